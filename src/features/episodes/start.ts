import type { Kysely } from 'kysely'
import type { DB, EpisodeOrigin } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { NotFound } from '../../web/outcome.ts'
import { isUniqueViolation } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { recordStartWithoutRight } from '../break-glass/use-cases.ts'
import { isChild } from '../people/repository.ts'
import { personToStart } from '../people/use-cases.ts'
import { insertEpisode } from './repository.ts'
import { recordStageChange } from './stages.ts'

export interface StartInput {
  childId: number
  kind: 'child' | 'family'
  /** For a family CAF: the other members of the child's household to include. */
  memberIds: number[]
  /** Straight into the assessment only when social care steps a family down (its level of need given). */
  start: 'intention' | 'pre-assessment' | 'assessment'
  intentionReason: string | null
  plannedOn: string | null
  /** Asked of someone with no right to the child's record: how they know the child. */
  relationship: string | null
  /** Where the episode came from, when not a practitioner's own start. */
  origin?: EpisodeOrigin
  /** For a start straight into the assessment: the level of need the pre-assessment would have set. */
  needLevel?: string
}

/** The actor has no right to the child's full record, so must say how they know the child (and may start a CAF for the child alone). */
export class RelationshipNeeded extends Error {
  constructor(public readonly field: 'relationship' | 'members') {
    super('relationship needed')
  }
}

export type StartResult = { type: 'started'; id: number } | { type: 'already-open'; episodeId: number }

/**
 * Starts an episode for a child (and, for a family CAF, the others in their household): either an
 * intention to assess or straight into the pre-assessment. The database refuses a second open episode
 * for any child, so two people starting one at once cannot both succeed.
 *
 * A practitioner may start a CAF for any child found in a search. One with no right to the child's
 * full record must give their relationship to the child, may start it for the child alone (the
 * household is part of the record), and the start is kept for the hub's review of access.
 */
export async function startEpisode(db: Kysely<DB>, actor: Actor, input: StartInput): Promise<StartResult> {
  const checked = await checkStart(db, actor, input)
  try {
    return await db.transaction().execute(async (tx) => ({ type: 'started' as const, id: await insertStart(tx, actor, input, checked) }))
  } catch (error) {
    return { type: 'already-open', episodeId: await openInstead(db, actor.laId, input, checked, error) }
  }
}

/** What a start needs checked first: the actor's right to the child's record, and the household members named. */
export async function checkStart(db: Kysely<DB>, actor: Actor, input: StartInput) {
  const { access } = await personToStart(db, actor, input.childId)
  const withoutRight = access?.view !== 'full'
  if (withoutRight && !input.relationship) throw new RelationshipNeeded('relationship')
  const memberIds = input.kind === 'family' ? input.memberIds.filter((id) => id !== input.childId) : []
  if (withoutRight && memberIds.length) throw new RelationshipNeeded('members')
  const members = memberIds.length ? await householdMembers(db, actor, input.childId, memberIds) : []
  return { withoutRight, memberIds, members }
}
type CheckedStart = Awaited<ReturnType<typeof checkStart>>

/**
 * A start whose transaction failed: the open episode one of its children is already in (someone else
 * started it at the same moment), or the error again if that is not what happened.
 */
export async function openInstead(db: Kysely<DB>, laId: number, input: StartInput, checked: CheckedStart, error: unknown): Promise<number> {
  if (!isUniqueViolation(error)) throw error
  const open = await openEpisodeOfAny(db, laId, [input.childId, ...checked.memberIds])
  if (!open) throw error
  return open
}

/** The episode, its people, its first team member and its first stage, inside the caller's transaction. */
export async function insertStart(tx: Kysely<DB>, actor: Actor, input: StartInput, { withoutRight, members }: CheckedStart): Promise<number> {
  const now = today()
  const episodeId = await insertEpisode(tx, {
    la_id: actor.laId,
    kind: input.kind,
    status: input.start,
    initiator_user_id: actor.userId,
    initiator_agency_id: actor.agencyId,
    intention_reason: input.start === 'intention' ? input.intentionReason : null,
    intention_planned_on: input.start === 'intention' ? input.plannedOn : null,
    origin: input.origin ?? 'practitioner',
    ...(input.start === 'assessment' ? { assessment_started_at: new Date(), need_level: input.needLevel ?? null } : {}),
  })
  const people = [{ id: input.childId, child: true }, ...members.map((m) => ({ id: m.id, child: isChild(m, now) }))]
  await tx
    .insertInto('episode_people')
    .values(people.map((p, i) => ({ la_id: actor.laId, episode_id: episodeId, person_id: p.id, role: p.child ? 'child' : 'adult', sort_order: i })))
    .execute()
  await tx
    .insertInto('team_members')
    .values({ la_id: actor.laId, episode_id: episodeId, user_id: actor.userId, agency_id: actor.agencyId, added_by: actor.userId })
    .execute()
  await recordStageChange(tx, actor, episodeId, null, input.start)
  if (withoutRight) await recordStartWithoutRight(tx, actor, input.childId, episodeId, input.relationship!)
  await auditAs(
    tx,
    actor,
    'episode.started',
    { type: 'episode', id: episodeId },
    { kind: input.kind, start: input.start, people: people.map((p) => p.id), withoutRight },
  )
  return episodeId
}

/** The people named, checked to be in the child's current household. */
async function householdMembers(db: Kysely<DB>, actor: Actor, childId: number, ids: number[]) {
  const rows = await db
    .selectFrom('household_members as mine')
    .innerJoin('household_members as m', 'm.household_id', 'mine.household_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.date_of_birth', 'p.expected_delivery_date'])
    .where('mine.la_id', '=', actor.laId)
    .where('mine.person_id', '=', childId)
    .where('mine.to_date', 'is', null)
    .where('m.to_date', 'is', null)
    .where('p.merged_into', 'is', null)
    .where('m.person_id', 'in', ids)
    .execute()
  if (rows.length !== new Set(ids).size) throw new NotFound()
  return rows
}

/** The open episode any of these children is in, if there is one. */
export async function openEpisodeOfAny(db: Kysely<DB>, laId: number, personIds: number[]): Promise<number | null> {
  const row = await db
    .selectFrom('episode_people')
    .select('episode_id')
    .where('la_id', '=', laId)
    .where('person_id', 'in', personIds)
    .where('role', '=', 'child')
    .where('episode_open', '=', true)
    .executeTakeFirst()
  return row?.episode_id ?? null
}
