import { choice, dateFields, formSchema, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { stageAllows } from '../episodes/stages.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { dateParts, readDate, today } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { EPISODE_VIEWED, episodeHeader, withEpisode } from '../episodes/routes/shared.ts'
import { openOutcomes, outcomeCounts } from '../plans/use-cases.ts'
import {
  closeEpisode,
  closureReasons,
  followUpsOf,
  NEEDS_MET_REASON,
  OutcomesStillOpen,
  outcomesStillOpenMessage,
  recordFollowUp,
  reopenEpisode,
  UnknownClosureReason,
} from './use-cases.ts'

const STAYED = [
  { value: 'yes', text: 'Yes' },
  { value: 'partly', text: 'Partly' },
  { value: 'no', text: 'No' },
] as const
const RECOMMEND = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'not-sure', text: 'Not sure' },
] as const

const closeBody = formSchema({
  reason: text('Reason', { max: 50, requiredMessage: 'Select why the episode is closing' }),
  summary: text('Closing summary', { max: 20_000, multiline: true, requiredMessage: 'Enter a closing summary: what changed, and what support carries on' }),
  openOutcomesReason: optionalText('Why the needs are met', { max: 5000, multiline: true }),
})
const reopenBody = formSchema({ reason: text('Reason', { max: 2000, multiline: true, requiredMessage: 'Enter why the episode is being reopened' }) })
const followUpBody = formSchema({
  ...dateFields('contacted', 'Date of the call'),
  stayedBetter: choice(
    'Did things stay better?',
    STAYED.map((s) => s.value),
    'Select whether things stayed better',
  ),
  stayedBetterWords: optionalText('In their words', { max: 5000, multiline: true }),
  recommend: choice(
    'Would they recommend it?',
    RECOMMEND.map((r) => r.value),
    'Select whether they would recommend early help to another family',
  ),
  couldBeBetter: optionalText('What could be better', { max: 5000, multiline: true }),
})

function closePage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    if (!stageAllows(episode.status, 'close')) return redirect(`/episodes/${episode.id}`)
    const [reasons, outcomes, open] = await Promise.all([
      closureReasons(ctx.services.db, ctx.actor.laId),
      outcomeCounts(ctx.services.db, episode.id),
      openOutcomes(ctx.services.db, episode.id),
    ])
    return page(
      'closure/views/close.njk',
      withErrors(
        { title: 'Close the episode', ...episodeHeader(episode), reasons, outcomes, open, needsMet: NEEDS_MET_REASON, values, action: ctx.path },
        errors,
        ['reason', 'openOutcomesReason', 'summary'],
      ),
    )
  })
}

export const closureRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/close',
    permission: 'episode.work',
    record: { episode: 'lead' },
    audit: EPISODE_VIEWED,
    body: closeBody,
    render: closePage,
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      try {
        await closeEpisode(ctx.services.db, ctx.actor, id, { reason: input.reason, summary: input.summary, openOutcomesReason: input.openOutcomesReason })
      } catch (error) {
        if (error instanceof UnknownClosureReason) return invalid({ reason: 'Select why the episode is closing, from the reasons shown' })
        if (error instanceof OutcomesStillOpen) return invalid({ openOutcomesReason: outcomesStillOpenMessage(error.outcomes.length) })
        throw error
      }
      return redirect(`/episodes/${id}?done=closed`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/reopen',
    permission: 'episode.work',
    record: { episode: 'lead' },
    audit: EPISODE_VIEWED,
    body: reopenBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) =>
        !stageAllows(episode.status, 'reopen')
          ? redirect(`/episodes/${episode.id}`)
          : page(
              'closure/views/reopen.njk',
              withErrors({ title: 'Reopen the episode', ...episodeHeader(episode), values, action: ctx.path }, errors, ['reason']),
            ),
      ),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const result = await reopenEpisode(ctx.services.db, ctx.actor, id, input.reason)
      if (result === 'too-late') return invalid({ form: 'This episode closed too long ago to reopen. Start a new CAF instead' })
      if (result === 'handed-over')
        return invalid({
          form: 'Social care or another council took this family on, so this episode cannot reopen. If they come back to early help, start a new CAF',
        })
      if (result === 'child-has-open-episode') return invalid({ form: 'A child in this episode has another CAF open now. Work in that one instead' })
      return redirect(`/episodes/${id}?done=reopened`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/follow-ups/:followUpId',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: followUpBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) => {
        const followUp = (await followUpsOf(ctx.services.db, ctx.actor.laId, episode.id)).find((f) => String(f.id) === ctx.params.followUpId)
        if (!followUp) throw new NotFound()
        return page(
          'closure/views/follow-up.njk',
          withErrors(
            {
              title: `Follow-up call: ${followUp.months} months after closing`,
              ...episodeHeader(episode),
              followUp,
              stayed: STAYED,
              recommend: RECOMMEND,
              values,
              action: ctx.path,
            },
            errors,
            ['contacted-day', 'stayedBetter', 'stayedBetterWords', 'recommend', 'couldBeBetter'],
          ),
        )
      }),
    initial: async () => dateParts(today(), 'contacted'),
    submit: async (ctx, input) => {
      const on = readDate(input, 'contacted', 'Date of the call', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in on) return invalid({ 'contacted-day': on.error })
      const id = idParam(ctx.params.id)
      await recordFollowUp(ctx.services.db, ctx.actor, id, idParam(ctx.params.followUpId), {
        contactedOn: on.iso!,
        stayedBetter: input.stayedBetter,
        stayedBetterWords: input.stayedBetterWords,
        recommend: input.recommend,
        couldBeBetter: input.couldBeBetter,
      })
      return redirect(`/episodes/${id}?done=follow-up`)
    },
  }),
]
