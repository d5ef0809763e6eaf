import { z } from 'zod'
import type { FieldErrors } from '../../web/forms.ts'
import { addDays, dateParts, readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { assessmentTasks } from '../assessment/tasks.ts'
import { cafConfig, type CafConfig } from '../episodes/config.ts'
import { loadEpisode, type Episode } from '../episodes/repository.ts'
import { episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { scoreChart } from './chart.ts'
import { distanceTravelled } from './progress.ts'
import { DECISIONS, openOutcomes, OutcomesMissing, PROGRESS, recordReview, reviewInterval, reviewsOf, type ReviewInput } from './use-cases.ts'

const AUDIT = { action: 'episode.viewed', recordType: 'episode' }
const UNEXPECTED = 'The form had information in it that we did not expect. Check your answers and submit the form again'

/** Field names depend on the episode's outcomes, children and elements: bounded here, each checked in readReview. */
const reviewBody = z
  .record(z.string().max(120), z.string().max(25_000), { error: 'Each question must have a single answer' })
  .refine((b) => Object.keys(b).length <= 800, UNEXPECTED)

/** What is scored at a review: the same elements as the assessment, per child where the assessment was. */
function scoredElements(episode: Episode, config: CafConfig) {
  return assessmentTasks(episode.people, config)
    .filter((t) => t.section.startsWith('domain-'))
    .map((t) => ({
      title: t.title,
      subjectId: t.subjectId,
      elements: t.fields.flatMap((f) => (f.kind === 'element' ? [{ code: f.name, label: f.label, name: `score-${t.subjectId}-${f.name}` }] : [])),
    }))
}

function readReview(
  body: Record<string, string>,
  open: { id: number }[],
  groups: ReturnType<typeof scoredElements>,
  scale: { min: number; max: number },
): { input: ReviewInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {}
  const allowed = new Set(['held-day', 'held-month', 'held-year', 'decision', 'next-day', 'next-month', 'next-year', 'summary'])
  for (const o of open) for (const k of [`progress-${o.id}`, `evidence-${o.id}`]) allowed.add(k)
  for (const g of groups) for (const e of g.elements) for (const k of [`${e.name}-practitioner`, `${e.name}-family`]) allowed.add(k)
  if (Object.keys(body).some((k) => !allowed.has(k))) errors.form = UNEXPECTED
  const text = (k: string) => (body[k] ?? '').trim()
  const held = readDate(body, 'held', 'Date of the review', { notAfter: today(), notBefore: '2000-01-01' })
  if ('error' in held) errors['held-day'] = held.error
  const outcomes: ReviewInput['outcomes'] = {}
  for (const o of open) {
    const progress = text(`progress-${o.id}`)
    const evidence = text(`evidence-${o.id}`)
    if (!PROGRESS.some((p) => p.value === progress)) errors[`progress-${o.id}`] = 'Select how this outcome is going'
    if (!evidence) errors[`evidence-${o.id}`] = 'Describe, in words, what shows how this outcome is going'
    else if (evidence.length > 5000) errors[`evidence-${o.id}`] = 'The evidence must be 5,000 characters or fewer'
    outcomes[o.id] = { progress: progress as ReviewInput['outcomes'][number]['progress'], evidence }
  }
  const scores: ReviewInput['scores'] = []
  for (const g of groups) {
    for (const e of g.elements) {
      const score = (who: 'practitioner' | 'family') => {
        const v = text(`${e.name}-${who}`)
        if (!v) return null
        const n = Number(v)
        if (!/^\d{1,3}$/.test(v) || n < scale.min || n > scale.max) errors[`${e.name}-${who}`] = `${e.label}: scores go from ${scale.min} to ${scale.max}`
        return n
      }
      scores.push({ subjectId: g.subjectId, element: e.code, practitioner: score('practitioner'), family: score('family') })
    }
  }
  const decision = text('decision')
  if (!DECISIONS.some((d) => d.value === decision)) errors.decision = 'Select the decision the review came to'
  const next = readDate(body, 'next', 'Date of the next review', { notBefore: today() })
  if ('error' in next) errors['next-day'] = next.error
  const summary = text('summary')
  if (summary.length > 20_000) errors.summary = 'The summary must be 20,000 characters or fewer'
  if (Object.keys(errors).length) return { errors }
  const input: ReviewInput = {
    heldOn: (held as { iso: string }).iso,
    outcomes,
    scores,
    decision: decision as ReviewInput['decision'],
    nextReviewOn: (next as { iso: string }).iso,
    summary: summary || null,
  }
  return { input }
}

function reviewPage(ctx: RequestContext, values?: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(
    ctx,
    async (episode) => {
      if (episode.status !== 'plan-active') return redirect(`/episodes/${episode.id}`)
      const db = ctx.services.db
      const [config, open, interval] = await Promise.all([
        cafConfig(db, ctx.actor.laId),
        openOutcomes(db, episode.id),
        reviewInterval(db, ctx.actor.laId, episode.id),
      ])
      const groups = scoredElements(episode, config)
      const start = values ?? { ...dateParts(today(), 'held'), ...dateParts(addDays(today(), interval), 'next') }
      return page(
        'reviews/views/new.njk',
        withErrors(
          {
            title: 'Record a review',
            ...episodeHeader(episode),
            open,
            groups,
            progress: PROGRESS,
            decisions: DECISIONS,
            scale: config.scale,
            scores: Array.from({ length: config.scale.max - config.scale.min + 1 }, (_, i) => String(config.scale.min + i)),
            interval,
            values: start,
            action: ctx.path,
          },
          errors,
          [
            'held-day',
            ...open.flatMap((o) => [`progress-${o.id}`, `evidence-${o.id}`]),
            ...groups.flatMap((g) => g.elements.flatMap((e) => [`${e.name}-practitioner`, `${e.name}-family`])),
            'decision',
            'next-day',
            'summary',
          ],
        ),
      )
    },
    { working: true },
  )
}

export const reviewRoutes: Route[] = [
  { method: 'GET', url: '/episodes/:id/reviews/new', permission: 'episode.work', audit: AUDIT, handler: (ctx) => reviewPage(ctx) },
  {
    method: 'POST',
    url: '/episodes/:id/reviews/new',
    permission: 'episode.work',
    body: reviewBody,
    invalid: (ctx, errors, values) => reviewPage(ctx, values, errors),
    handler: async (ctx, body: Record<string, string>) => {
      const id = idParam(ctx.params.id)
      const db = ctx.services.db
      const [episode, config, open] = await Promise.all([loadEpisode(db, ctx.actor.laId, id), cafConfig(db, ctx.actor.laId), openOutcomes(db, id)])
      const read = readReview(body, open, scoredElements(episode, config), config.scale)
      if ('errors' in read) return invalid(read.errors)
      try {
        await recordReview(db, ctx.actor, id, read.input)
      } catch (error) {
        if (error instanceof OutcomesMissing) return invalid({ form: 'The desired outcomes changed while you were writing: check each one below' })
        throw error
      }
      return redirect(`/episodes/${id}/progress?done=reviewed`)
    },
  },
  {
    method: 'GET',
    url: '/episodes/:id/progress',
    permission: 'episode.view',
    audit: AUDIT,
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        const db = ctx.services.db
        const [progress, config, reviews] = await Promise.all([
          distanceTravelled(db, ctx.actor.laId, episode),
          cafConfig(db, ctx.actor.laId),
          reviewsOf(db, ctx.actor.laId, episode.id),
        ])
        const charts = progress.series.map((s, i) => ({ ...s, svg: scoreChart(`chart-${i}`, `${s.title}: scores over time`, s.points, config.scale) }))
        return page('reviews/views/progress.njk', {
          title: 'Distance travelled',
          ...episodeHeader(episode),
          charts,
          outcomes: progress.outcomes,
          reviews: reviews.map((r) => ({ ...r, decisionText: DECISIONS.find((d) => d.value === r.decision)!.text })),
          scale: config.scale,
          flash: flash(ctx, { reviewed: 'Review recorded' }),
        })
      }),
  },
]
