import { z } from 'zod'
import { stageAllows } from '../episodes/stages.ts'
import type { ReviewDecision } from '../../db/schema.ts'
import { addDays, dateParts, today } from '../../web/dates.ts'
import type { FieldErrors } from '../../web/forms.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { EditConflict } from '../../db/conflict.ts'
import { OutcomesStillOpen, outcomesStillOpenMessage, UnknownClosureReason } from '../closure/use-cases.ts'
import { loadEpisode } from '../episodes/repository.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { ACTION_STATUSES } from '../plans/use-cases.ts'
import { scoreChart } from './chart.ts'
import { progressPage } from './progress.ts'
import { readReview, reviewFieldOrder, reviewForm, UNEXPECTED } from './review-form.ts'
import { DECISIONS, OutcomesMissing, PROGRESS, recordReview } from './use-cases.ts'

/** Field names depend on the episode's outcomes, actions, children and elements: bounded here, each checked in readReview. */
const reviewBody = z
  .record(z.string().max(120), z.string().max(25_000), { error: 'Each question must have a single answer' })
  .refine((b) => Object.keys(b).length <= 800, UNEXPECTED)

/** Where each decision leads once saved. */
const AFTER: Record<ReviewDecision, (id: number) => string> = {
  continue: (id) => `/episodes/${id}/progress?done=reviewed`,
  'change-plan': (id) => `/episodes/${id}/plan?done=reviewed`,
  close: (id) => `/episodes/${id}?done=closed`,
  'step-up': (id) => `/episodes/${id}?done=stepped-up`,
}

function reviewPage(ctx: RequestContext, values?: Record<string, unknown>, errors?: FieldErrors, status = 200): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    if (!stageAllows(episode.status, 'review')) return redirect(`/episodes/${episode.id}`)
    const form = await reviewForm(ctx.services.db, ctx.actor, episode)
    const start = values ?? { ...dateParts(today(), 'held'), ...dateParts(addDays(today(), form.interval), 'next') }
    const { scale } = form
    return page(
      'reviews/views/new.njk',
      withErrors(
        {
          title: 'Record a review',
          ...episodeHeader(episode),
          ...form,
          progress: PROGRESS,
          actionStatuses: ACTION_STATUSES,
          decisions: DECISIONS,
          scores: Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i)),
          values: start,
          // An answer or an error under "Score another element" opens it, so that it is not hidden.
          moreOpen: form.groups.some((g) =>
            g.others.some((e) => ['practitioner', 'family'].some((who) => start[`${e.name}-${who}`] || errors?.[`${e.name}-${who}`])),
          ),
          action: ctx.path,
        },
        errors,
        reviewFieldOrder(form),
      ),
      { status },
    )
  })
}

/** Drops the action versions sent, so a form shown again after a conflict carries the versions now saved. */
function withoutVersions(body: Record<string, string>) {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !/^action-\d+-version$/.test(k)))
}

export const reviewRoutes: Route[] = [
  {
    method: 'GET',
    url: '/episodes/:id/reviews/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => reviewPage(ctx),
  },
  {
    method: 'POST',
    url: '/episodes/:id/reviews/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: reviewBody,
    invalid: (ctx, errors, values) => reviewPage(ctx, values, errors),
    handler: async (ctx, body: Record<string, string>) => {
      const id = idParam(ctx.params.id)
      const db = ctx.services.db
      const episode = await loadEpisode(db, ctx.actor.laId, id)
      const read = readReview(body, await reviewForm(db, ctx.actor, episode))
      if ('errors' in read) return invalid(read.errors)
      try {
        await recordReview(db, ctx.actor, id, read.input, ctx.services.config.baseUrl)
      } catch (error) {
        if (error instanceof OutcomesMissing) return invalid({ form: 'The desired outcomes changed while you were writing: check each one below' })
        if (error instanceof EditConflict) {
          return reviewPage(
            ctx,
            withoutVersions(body),
            { form: 'Someone else updated an action while you were writing. Check the actions below and save the review again' },
            409,
          )
        }
        if (error instanceof UnknownClosureReason) return invalid({ closeReason: 'Select why the episode is closing, from the reasons shown' })
        if (error instanceof OutcomesStillOpen) return invalid({ closingOpenOutcomes: outcomesStillOpenMessage(error.outcomes.length) })
        throw error
      }
      return redirect(AFTER[read.input.decision](id))
    },
  },
  {
    method: 'GET',
    url: '/episodes/:id/progress',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: async (ctx) => {
      const progress = await progressPage(ctx.services.db, ctx.actor.laId, ctx.id)
      const charts = progress.series.map((s, i) => ({ ...s, svg: scoreChart(`chart-${i}`, `${s.title}: scores over time`, s.points, progress.scale) }))
      return page('reviews/views/progress.njk', {
        title: 'Distance travelled',
        ...episodeHeader(progress.episode),
        charts,
        outcomes: progress.outcomes,
        reviews: progress.reviews.map((r) => ({ ...r, decisionText: DECISIONS.find((d) => d.value === r.decision)!.text })),
        scale: progress.scale,
        flash: flash(ctx, { reviewed: 'Review recorded' }),
      })
    },
  },
]
