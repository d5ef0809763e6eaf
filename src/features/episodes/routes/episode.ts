import { sql } from 'kysely'
import { stageAllows } from '../stages.ts'
import { formSchema, text } from '../../../web/forms.ts'
import { page, redirect } from '../../../web/outcome.ts'
import { refusal, type Route } from '../../../web/router.ts'
import { addDays, today } from '../../../web/dates.ts'
import { breakGlass } from '../../break-glass/use-cases.ts'
import { cafConfig } from '../config.ts'
import { episodePage } from '../episode-page.ts'
import { EPISODE_VIEWED, episodeHeader, flash } from './shared.ts'

const breakGlassBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why you need to see this CAF episode' }) })

/** Intentions older than the council's follow-up time that have not become assessments. */
async function intentionsToFollowUp(db: Parameters<typeof cafConfig>[0], laId: number) {
  const config = await cafConfig(db, laId)
  const before = addDays(today(), -config.intentionFollowUpDays)
  const rows = await db
    .selectFrom('episodes as e')
    .innerJoin('users as u', 'u.id', 'e.initiator_user_id')
    .innerJoin('agencies as a', 'a.id', 'e.initiator_agency_id')
    .select(
      sql<string>`(select string_agg(concat_ws(' ', p.given_name, p.family_name), ', ') from episode_people ep join people p on p.id = ep.person_id
      where ep.episode_id = e.id and ep.role = 'child')`.as('children'),
    )
    .select(['e.id', 'e.created_at as recordedAt', 'e.intention_planned_on as plannedOn', 'u.full_name as name', 'u.email', 'u.phone', 'a.name as agencyName'])
    .where('e.la_id', '=', laId)
    .where('e.status', '=', 'intention')
    .where(sql<boolean>`e.created_at < ${before}::date`)
    .orderBy('e.created_at')
    .limit(500)
    .execute()
  return { days: config.intentionFollowUpDays, rows }
}

export const episodeRoutes: Route[] = [
  {
    method: 'GET',
    url: '/episodes/:id',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: async (ctx) => {
      const access = ctx.episodeAccess
      const view = await episodePage(ctx.services.db, ctx.actor.laId, ctx.id)
      const { episode, closure } = view
      return page('episodes/views/episode.njk', {
        title: `CAF for ${episode.children.map((c) => c.name).join(', ')}`,
        ...episodeHeader(episode),
        ...view,
        access,
        canClose: access.leads && stageAllows(episode.status, 'close'),
        canReopen: access.leads && closure?.canReopen,
        canArrange: access.canChange && stageAllows(episode.status, 'meetings'),
        isProposedLead: episode.proposedLead?.userId === ctx.actor.userId,
        flash: flash(ctx, {
          intention: 'Intention to assess recorded',
          completed: 'Assessment completed',
          lead: 'Lead professional updated',
          accepted: 'You are now the lead professional',
          declined: 'You declined to be lead professional',
          copy: 'Copy given to the family recorded',
          closed: 'Episode closed. Follow-up calls to the family are scheduled',
          'stepped-up': 'Episode closed: stepped up to children’s social care. Now refer the family, using the contact below',
          reopened: 'Episode reopened',
          'follow-up': 'Follow-up call recorded',
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
  {
    method: 'GET',
    url: '/episodes/intentions',
    permission: 'episode.follow-up',
    audit: { action: 'episode.intentions-listed', recordType: 'episode' },
    handler: async (ctx) => {
      const { days, rows } = await intentionsToFollowUp(ctx.services.db, ctx.actor.laId)
      return page('episodes/views/intentions.njk', { title: 'Intentions to follow up', days, rows }, { auditDetail: { shown: rows.map((r) => r.id) } })
    },
  },
]
