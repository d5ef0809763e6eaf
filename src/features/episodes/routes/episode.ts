import { stageAllows } from '../stages.ts'
import { rolesAllow } from '../../../web/permissions.ts'
import { formSchema, text } from '../../../web/forms.ts'
import { page, redirect } from '../../../web/outcome.ts'
import { refusal, type Route } from '../../../web/router.ts'
import { breakGlass } from '../../break-glass/use-cases.ts'
import { episodePage } from '../episode-page.ts'
import { STEP_UP_STATUS, stepUpsOf } from '../../social-care/step-up-queries.ts'
import { stepDownOf } from '../../social-care/step-down-queries.ts'
import { TRANSFER_STATUS, transfersOfEpisode } from '../../transfers/queries.ts'
import { EPISODE_VIEWED, episodeHeader, flash } from './shared.ts'

const breakGlassBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why you need to see this CAF episode' }) })

export const episodeRoutes: Route[] = [
  {
    method: 'GET',
    url: '/episodes/:id',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: async (ctx) => {
      const access = ctx.episodeAccess
      const [view, stepUps, stepDown, transfers] = await Promise.all([
        episodePage(ctx.services.db, ctx.actor.laId, ctx.id),
        stepUpsOf(ctx.services.db, ctx.actor.laId, ctx.id),
        stepDownOf(ctx.services.db, ctx.actor.laId, ctx.id),
        transfersOfEpisode(ctx.services.db, ctx.actor.laId, ctx.id),
      ])
      const { episode, closure } = view
      return page('episodes/views/episode.njk', {
        title: `CAF for ${episode.children.map((c) => c.name).join(', ')}`,
        ...episodeHeader(episode),
        ...view,
        access,
        canClose: access.leads && stageAllows(episode.status, 'close'),
        canStepUp: access.leads && stageAllows(episode.status, 'step-up'),
        stepUps: stepUps.map((s) => ({ ...s, statusText: STEP_UP_STATUS[s.status] })),
        stepDown,
        transfers: transfers.map((t) => ({ ...t, statusText: TRANSFER_STATUS[t.status] })),
        canTransfer: access.leads && stageAllows(episode.status, 'transfer') && !transfers.some((t) => t.status === 'waiting'),
        canReopen: access.leads && closure?.canReopen,
        canArrange: access.canChange && stageAllows(episode.status, 'meetings', episode.origin),
        isProposedLead: episode.proposedLead?.userId === ctx.actor.userId,
        canFollowUp: access.canChange && stageAllows(episode.status, 'follow-up-intention') && rolesAllow(ctx.actor.roles, 'episode.follow-up'),
        flash: flash(ctx, {
          intention: 'Intention to assess recorded',
          completed: 'Assessment completed',
          lead: 'Lead professional updated',
          accepted: 'You are now the lead professional',
          declined: 'You declined to be lead professional',
          copy: 'Copy given to the family recorded',
          closed: 'Episode closed. Follow-up calls to the family are scheduled',
          'stepped-up': 'Step up sent to children’s social care. The episode stays open until social care decides',
          reopened: 'Episode reopened',
          'follow-up': 'Follow-up recorded',
          note: 'Note added',
          arrived: 'The family has arrived from another council. The lead professional you chose has been asked to accept',
          'meeting-cancelled': 'Meeting cancelled. Everyone invited has been sent the cancellation',
        }),
      })
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/break-glass',
    permission: 'episode.view',
    record: { episode: 'break-glass' },
    body: breakGlassBody,
    invalid: async (ctx, errors, values) => refusal('hidden', 'episode', ctx.id, errors, values),
    handler: async (ctx, input: { reason: string }) => {
      await breakGlass(ctx.services.db, ctx.actor, 'episode', ctx.id, input.reason)
      return redirect(`/episodes/${ctx.id}`)
    },
  },
]
