import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound, WrongStage } from '../../web/outcome.ts'
import { isUniqueViolation } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { consentedAgencyIds } from './consent.ts'
import { lockEpisode } from './stages.ts'

export type AddMemberResult = 'added' | 'already' | 'not-consented'

/**
 * Adds a practitioner to the Team Around the Family. Their agency must be named in the family's
 * current consent: information about the family may only go where the family agreed.
 */
export async function addTeamMember(db: Kysely<DB>, actor: Actor, episodeId: number, userId: number): Promise<AddMemberResult> {
  await requireEpisode(db, actor, episodeId, 'work')
  const user = await db
    .selectFrom('users')
    .select(['id', 'agency_id'])
    .where('id', '=', userId)
    .where('la_id', '=', actor.laId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
  if (!user) throw new NotFound()
  if (!(await consentedAgencyIds(db, episodeId)).includes(user.agency_id)) return 'not-consented'
  try {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('team_members')
        .values({ la_id: actor.laId, episode_id: episodeId, user_id: user.id, agency_id: user.agency_id, added_by: actor.userId })
        .execute()
      await auditAs(tx, actor, 'team.member-added', { type: 'episode', id: episodeId }, { userId: user.id })
    })
    return 'added'
  } catch (error) {
    if (isUniqueViolation(error)) return 'already'
    throw error
  }
}

export interface ExternalMemberInput {
  name: string
  role: string
  agencyId: number
  email: string
}

/**
 * Adds a member of the team who has no CAF Hub account (a GP, a housing officer): they are invited
 * and sent the minutes by email, and never sign in. Their organisation must be named in the consent.
 */
export async function addExternalMember(db: Kysely<DB>, actor: Actor, episodeId: number, input: ExternalMemberInput): Promise<AddMemberResult> {
  await requireEpisode(db, actor, episodeId, 'work')
  const agency = await db.selectFrom('agencies').select('id').where('id', '=', input.agencyId).where('la_id', '=', actor.laId).executeTakeFirst()
  if (!agency) throw new NotFound()
  if (!(await consentedAgencyIds(db, episodeId)).includes(agency.id)) return 'not-consented'
  try {
    await db.transaction().execute(async (tx) => {
      if ((await lockEpisode(tx, actor.laId, episodeId)) === 'closed') throw new WrongStage()
      const row = await tx
        .insertInto('team_externals')
        .values({
          la_id: actor.laId,
          episode_id: episodeId,
          agency_id: agency.id,
          name: input.name,
          role: input.role,
          email: input.email,
          added_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await auditAs(tx, actor, 'team.external-added', { type: 'episode', id: episodeId }, { externalId: row.id, agencyId: agency.id })
    })
    return 'added'
  } catch (error) {
    if (isUniqueViolation(error)) return 'already'
    throw error
  }
}

/** Takes a member without an account off the team. */
export async function removeExternalMember(db: Kysely<DB>, actor: Actor, episodeId: number, externalId: number): Promise<'removed' | 'not-member'> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('team_externals')
      .set({ left_at: sql<Date>`now()`, left_reason: 'Left the team' })
      .where('id', '=', externalId)
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', actor.laId)
      .where('left_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return 'not-member'
    await auditAs(tx, actor, 'team.external-removed', { type: 'episode', id: episodeId }, { externalId })
    return 'removed'
  })
}

/** Takes a practitioner off the team, unless they lead it (or have been asked to): hand over first. */
export async function removeTeamMember(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  memberId: number,
  reason: string,
): Promise<'removed' | 'not-member' | 'is-lead'> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    const member = await tx
      .selectFrom('team_members')
      .select('user_id')
      .where('id', '=', memberId)
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', actor.laId)
      .where('left_at', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!member) return 'not-member'
    const leads = await tx
      .selectFrom('lead_professionals')
      .select('id')
      .where('episode_id', '=', episodeId)
      .where('user_id', '=', member.user_id)
      .where('ended_at', 'is', null)
      .where('declined_at', 'is', null)
      .executeTakeFirst()
    if (leads) return 'is-lead'
    await tx
      .updateTable('team_members')
      .set({ left_at: sql<Date>`now()`, left_reason: reason })
      .where('id', '=', memberId)
      .execute()
    await auditAs(tx, actor, 'team.member-removed', { type: 'episode', id: episodeId }, { memberId })
    return 'removed'
  })
}

/**
 * Records which family members take part in the Team Around the Family: any of the episode's adults
 * and children. Anyone else is refused; a closed episode's team no longer changes.
 */
export async function setFamilyInTeam(db: Kysely<DB>, actor: Actor, episodeId: number, personIds: number[]): Promise<'saved' | 'not-in-episode'> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    if ((await lockEpisode(tx, actor.laId, episodeId)) === 'closed') throw new WrongStage()
    const people = await tx.selectFrom('episode_people').select(['person_id', 'in_team']).where('episode_id', '=', episodeId).orderBy('person_id').execute()
    if (personIds.some((id) => !people.some((p) => p.person_id === id))) return 'not-in-episode'
    const joined = people.filter((p) => !p.in_team && personIds.includes(p.person_id)).map((p) => p.person_id)
    const left = people.filter((p) => p.in_team && !personIds.includes(p.person_id)).map((p) => p.person_id)
    for (const [ids, inTeam] of [
      [joined, true],
      [left, false],
    ] as const) {
      if (ids.length)
        await tx.updateTable('episode_people').set({ in_team: inTeam }).where('episode_id', '=', episodeId).where('person_id', 'in', ids).execute()
    }
    if (joined.length || left.length) await auditAs(tx, actor, 'team.family-updated', { type: 'episode', id: episodeId }, { joined, left })
    return 'saved'
  })
}
