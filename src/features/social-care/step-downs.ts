import { sql, type Kysely } from 'kysely'
import type { DB, DecisionPoint } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { isSocialCare, requireInterface } from '../../policies/social-care.ts'
import { auditAs } from '../audit/audit-log.ts'
import { writeConsent } from '../episodes/consent.ts'
import { isCurrentLead } from '../episodes/repository.ts'
import { checkStart, insertStart, openEpisodeOfAny, openInstead, RelationshipNeeded, type StartInput } from '../episodes/start.ts'
import { possibleGivers } from '../signposting/requests.ts'
import { isChild } from '../people/repository.ts'

/**
 * A step down: social care ends its involvement with a child and hands the family to early help. A new
 * episode starts at once, in the assessment (the pre-assessment is what social care already did), with
 * the family's consent recorded and social care's worker in its team. The hub allocates a named lead
 * professional, who must accept. The Team Around the Family meets at least 3 weeks before social care
 * lets go (the 3-week rule), and social care cannot record its involvement as ended until a lead has
 * accepted.
 */

export const DECISION_POINTS: { value: DecisionPoint; text: string }[] = [
  { value: 'after-contact', text: 'After a contact (no assessment by social care)' },
  { value: 'after-assessment', text: 'After a social care assessment' },
  { value: 'cin-closure', text: 'At the closure of a child in need plan' },
]

/** The 3-week rule: the Team Around the Family meets at least this many days before social care's involvement ends. */
export const HANDOVER_DAYS = 21
/** A step down is at risk of breaking the rule when its meeting is needed within this many days and none is arranged in time. */
export const AT_RISK_DAYS = 14

export interface StepDownInput {
  decisionPoint: DecisionPoint
  endsOn: string
  known: string
  proposedAgencyId: number
  needLevel: string
  giverId: number
  giverRole: 'parent-with-pr' | 'young-person'
  method: 'written' | 'verbal'
  givenOn: string
}

/** What the step down needs and was not given, or a step that cannot be taken yet: field to message. */
export class StepDownRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('step down refused')
  }
}

/** The day the handover meeting must be held by: 3 weeks before social care's involvement ends. */
export function meetingNeededBy(endsOn: string): string {
  return addDays(endsOn, -HANDOVER_DAYS)
}

export type HandoverState = 'met' | 'arranged' | 'on-track' | 'at-risk' | 'broken'

/**
 * Where a step down stands against the 3-week rule, from its episode's meetings: met (a meeting held in
 * time), arranged (one booked in time), on track (time enough to book one), at risk (the day is near
 * and nothing is booked in time), broken (the day passed with no meeting held in time).
 */
export function handoverState(endsOn: string, meetings: readonly { day: string; status: string }[], now = today()): HandoverState {
  const by = meetingNeededBy(endsOn)
  const inTime = meetings.filter((m) => m.day <= by)
  if (inTime.some((m) => m.status === 'held')) return 'met'
  if (now > by) return 'broken'
  if (inTime.some((m) => m.status === 'scheduled')) return 'arranged'
  return addDays(now, AT_RISK_DAYS) >= by ? 'at-risk' : 'on-track'
}

/** The agencies a step down may propose to lead: any of the council's, except social care itself. */
export function leadAgencies(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('agencies')
    .select(['id', 'name'])
    .where('la_id', '=', laId)
    .where('agency_type', '<>', 'childrens_social_care')
    .orderBy('name')
    .execute()
}

export async function startStepDown(db: Kysely<DB>, actor: Actor, childId: number, input: StepDownInput): Promise<number> {
  if (!isSocialCare(actor)) throw new Forbidden()
  const child = await db
    .selectFrom('people')
    .select(['date_of_birth', 'expected_delivery_date'])
    .where('id', '=', childId)
    .where('la_id', '=', actor.laId)
    .executeTakeFirst()
  if (!child || !isChild(child, today())) throw new StepDownRefused({ form: 'Early help is for children and young people under 18. Step down a child' })
  const open = await openEpisodeOfAny(db, actor.laId, [childId])
  if (open) throw new StepDownRefused({ form: `This child already has an open CAF (episode ${open}). Talk to its lead professional about the handover` })
  if (input.endsOn < today()) throw new StepDownRefused({ 'ends-day': 'The date social care’s involvement ends must be today or in the future' })
  const [agencies, levels, givers] = await Promise.all([
    leadAgencies(db, actor.laId),
    db.selectFrom('need_levels').select('code').where('la_id', '=', actor.laId).where('hidden', '=', false).execute(),
    possibleGivers(db, actor, childId, ''),
  ])
  if (!agencies.some((a) => a.id === input.proposedAgencyId))
    throw new StepDownRefused({ proposedAgencyId: 'Select the agency proposed to lead from the list' })
  if (!levels.some((l) => l.code === input.needLevel)) throw new StepDownRefused({ needLevel: 'Select the level of need from the list' })
  if (!givers.some((g) => g.id === input.giverId)) throw new StepDownRefused({ giverId: 'Select who gave consent from the list' })
  if ((input.giverRole === 'young-person') !== (input.giverId === childId))
    throw new StepDownRefused({ giverRole: 'The young person gives consent as the young person; anyone else as a parent or carer' })
  const fromChild = input.giverId === childId
  const start: StartInput = {
    childId,
    kind: fromChild ? 'child' : 'family',
    memberIds: fromChild ? [] : [input.giverId],
    start: 'assessment',
    needLevel: input.needLevel,
    intentionReason: null,
    plannedOn: null,
    relationship: 'Children’s social care worker, stepping the family down to early help',
    origin: 'step-down',
  }
  let checked
  try {
    checked = await checkStart(db, actor, start)
  } catch (error) {
    if (error instanceof RelationshipNeeded)
      throw new StepDownRefused({ giverId: 'You cannot see this child’s household. Ask the early help hub to add the family' })
    if (error instanceof NotFound) throw new StepDownRefused({ giverId: 'That person no longer lives with the child' })
    throw error
  }
  try {
    return await db.transaction().execute(async (tx) => {
      const episodeId = await insertStart(tx, actor, start, checked)
      await writeConsent(tx, actor, episodeId, {
        decision: 'given',
        givenBy: input.giverId,
        giverRole: input.giverRole,
        method: input.method,
        givenOn: input.givenOn,
        agencyIds: [...new Set([input.proposedAgencyId, actor.agencyId])],
      })
      const { id } = await tx
        .insertInto('step_downs')
        .values({
          la_id: actor.laId,
          episode_id: episodeId,
          decision_point: input.decisionPoint,
          involvement_ends_on: input.endsOn,
          known: input.known,
          proposed_agency_id: input.proposedAgencyId,
          started_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await auditAs(tx, actor, 'step-down.started', { type: 'episode', id: episodeId }, { stepDown: id })
      return id
    })
  } catch (error) {
    const episodeId = await openInstead(db, actor.laId, start, checked, error)
    throw new StepDownRefused({ form: `This child has just had a CAF started (episode ${episodeId}). Talk to its lead professional about the handover` })
  }
}

/** Social care records that its involvement ended: only once a lead professional has accepted the family. */
export async function endInvolvement(db: Kysely<DB>, actor: Actor, id: number, endedOn: string): Promise<void> {
  await requireInterface(db, actor, 'step-down', id, 'work')
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('step_downs as d')
      .select([
        'd.episode_id',
        'd.ended_on',
        'd.started_at',
        sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = d.episode_id and ${isCurrentLead('l')})`.as('accepted'),
      ])
      .where('d.id', '=', id)
      .forUpdate('d')
      .executeTakeFirstOrThrow()
    if (row.ended_on) throw new StepDownRefused({ form: 'Social care’s involvement has already been recorded as ended' })
    if (!row.accepted)
      throw new StepDownRefused({
        form: 'A lead professional must accept the family before social care’s involvement can end. The early help hub allocates one',
      })
    if (endedOn < ukDate(row.started_at)) throw new StepDownRefused({ 'ended-day': 'The date involvement ended must be on or after the day of the step down' })
    await tx
      .updateTable('step_downs')
      .set({ ended_on: endedOn, ended_by: actor.userId, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute()
    await auditAs(tx, actor, 'step-down.ended', { type: 'episode', id: row.episode_id }, { stepDown: id })
  })
}
