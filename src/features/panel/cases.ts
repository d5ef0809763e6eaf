import { sql, type Kysely } from 'kysely'
import type { DB, ResourceUnit } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound, WrongStage } from '../../web/outcome.ts'
import { episodeAccess, episodeAllows, requireEpisode } from '../../policies/episode.ts'
import { requirePanel } from '../../policies/panel.ts'
import { auditAs } from '../audit/audit-log.ts'
import { responsibleProfessional } from '../episodes/repository.ts'
import { queueMail } from '../mail/outbox.ts'
import { insertAction, NotAnOwner, type Owner } from '../plans/use-cases.ts'
import { PanelRefused } from './meetings.ts'

/**
 * The cases a panel hears: a lead professional asks for an episode to go to panel (what is stuck,
 * what has been tried, what is asked for); the panel decides it: advice, resources committed, actions
 * written into the episode's plan, and a date to review. The lead is told by email and sees it on the
 * episode.
 */

export const UNITS: { value: ResourceUnit; text: string }[] = [
  { value: 'hours', text: 'Hours' },
  { value: 'places', text: 'Places' },
  { value: 'money', text: 'Money (£)' },
]

export interface PanelAsk {
  stuck: string
  tried: string
  asked: string
}

/** The lead professional (or the hub) asks for the case to go to panel; one request waits at a time. */
export async function askForPanel(db: Kysely<DB>, actor: Actor, episodeId: number, ask: PanelAsk): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'lead')
  return db.transaction().execute(async (tx) => {
    const episode = await tx.selectFrom('episodes').select('status').where('id', '=', episodeId).forUpdate().executeTakeFirstOrThrow()
    if (episode.status === 'closed') throw new PanelRefused({ form: 'This episode is closed. Reopen it to take it to panel' })
    const waiting = await tx.selectFrom('panel_requests').select('id').where('episode_id', '=', episodeId).where('decided_at', 'is', null).executeTakeFirst()
    if (waiting) throw new PanelRefused({ form: 'This case is already waiting for the panel. Its decision comes first' })
    const { id } = await tx
      .insertInto('panel_requests')
      .values({ la_id: actor.laId, episode_id: episodeId, ...ask, requested_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'panel.requested', { type: 'episode', id: episodeId }, { request: id })
    return id
  })
}

export interface Resource {
  serviceId: number | null
  agencyId: number
  amount: number
  unit: ResourceUnit
}
export interface PanelAction {
  description: string
  outcomeId: number
  owner: Owner
  dueOn: string
}
export interface PanelDecision {
  advice: string
  reviewOn: string
  resources: Resource[]
  actions: PanelAction[]
}

/** A chair who is not the hub reads the cases only from publication to the end of the meeting day. */
export const CASES_CLOSED =
  'The cases on this agenda are open to the chair from its publication to the end of the meeting day, and it is not that time now. Ask the CAF hub to record the decision'

/** Whether the chair (or the hub) may read the case's episode now, as its decision needs. */
export async function chairReads(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<boolean> {
  return episodeAllows(await episodeAccess(db, actor, episodeId), 'read')
}

/** The case on this meeting's agenda, locked for its decision. */
async function caseOnAgenda(tx: Kysely<DB>, actor: Actor, meetingId: number, requestId: number) {
  const row = await tx
    .selectFrom('panel_requests')
    .select(['id', 'episode_id', 'decided_at'])
    .where('id', '=', requestId)
    .where('meeting_id', '=', meetingId)
    .where('la_id', '=', actor.laId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) throw new NotFound()
  if (row.decided_at) throw new PanelRefused({ advice: 'The panel’s decision on this case is already recorded' })
  return row
}

/**
 * Records the panel's decision on a case of its agenda: by the hub or the chair, who must be able to
 * read the episode (the chair does while the agenda is open). Its actions go into the plan with their
 * owners and dates, on the panel's authority.
 */
export async function decideCase(db: Kysely<DB>, actor: Actor, meetingId: number, requestId: number, d: PanelDecision, baseUrl: string): Promise<void> {
  await requirePanel(db, actor, meetingId, 'chair')
  const onAgenda = await db.selectFrom('panel_requests').select('episode_id').where('id', '=', requestId).where('meeting_id', '=', meetingId).executeTakeFirst()
  if (!onAgenda) throw new NotFound()
  const episodeId = onAgenda.episode_id
  if (!(await chairReads(db, actor, episodeId))) throw new PanelRefused({ advice: CASES_CLOSED })
  await db.transaction().execute(async (tx) => {
    await caseOnAgenda(tx, actor, meetingId, requestId)
    const agencies = await tx.selectFrom('agencies').select('id').where('la_id', '=', actor.laId).execute()
    const services = await tx.selectFrom('services').select('id').where('la_id', '=', actor.laId).execute()
    d.resources.forEach((r, i) => {
      if (!agencies.some((a) => a.id === r.agencyId)) throw new PanelRefused({ [`resource-${i + 1}-agency`]: 'Select the agency from the list' })
      if (r.serviceId !== null && !services.some((s) => s.id === r.serviceId))
        throw new PanelRefused({ [`resource-${i + 1}-service`]: 'Select the service from the list' })
    })
    if (d.resources.length)
      await tx
        .insertInto('panel_resources')
        .values(
          d.resources.map((r) => ({
            la_id: actor.laId,
            request_id: requestId,
            service_id: r.serviceId,
            agency_id: r.agencyId,
            amount: r.amount,
            unit: r.unit,
          })),
        )
        .execute()
    for (const [i, a] of d.actions.entries()) {
      try {
        await insertAction(tx, actor, episodeId, a.outcomeId, { description: a.description, owner: a.owner, dueOn: a.dueOn, serviceName: null }, requestId)
      } catch (error) {
        if (error instanceof NotAnOwner) throw new PanelRefused({ [`action-${i + 1}-owner`]: 'Select who will do it from the list' })
        if (error instanceof NotFound) throw new PanelRefused({ [`action-${i + 1}-outcome`]: 'Select the outcome from the plan' })
        if (error instanceof WrongStage)
          throw new PanelRefused({
            [`action-${i + 1}-description`]:
              'This episode has no plan to add actions to yet. Record the decision without actions, or after its assessment is complete',
          })
        throw error
      }
    }
    await tx
      .updateTable('panel_requests')
      .set({ advice: d.advice, review_on: d.reviewOn, decided_by: actor.userId, decided_at: sql<Date>`now()` })
      .where('id', '=', requestId)
      .execute()
    const lead = await responsibleProfessional(tx, actor.laId, episodeId)
    await queueMail(tx, {
      laId: actor.laId,
      to: lead.email,
      subject: 'The multi-agency panel’s decision',
      text: [
        `Hello ${lead.name},`,
        '',
        `The multi-agency panel has decided on CAF episode ${episodeId}.`,
        `Read the advice, the resources committed and the actions added to the plan: ${baseUrl}/episodes/${episodeId}/panel`,
        '',
        'This email does not name the family, to keep their information safe.',
      ].join('\n'),
    })
    await auditAs(tx, actor, 'panel.decided', { type: 'episode', id: episodeId }, { meeting: meetingId, request: requestId, actions: d.actions.length })
  })
}
