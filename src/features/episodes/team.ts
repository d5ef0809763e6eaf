import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { isUniqueViolation } from '../admin/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireWorking } from './access.ts'

export type AddMemberResult = 'added' | 'already' | 'not-consented'

/**
 * Adds a practitioner to the Team Around the Family. Their agency must be named in the family's
 * current consent: information about the family may only go where the family agreed.
 */
export async function addTeamMember(db: Kysely<DB>, actor: Actor, episodeId: number, userId: number): Promise<AddMemberResult> {
  await requireWorking(db, actor, episodeId)
  const user = await db
    .selectFrom('users')
    .select(['id', 'agency_id'])
    .where('id', '=', userId)
    .where('la_id', '=', actor.laId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst()
  if (!user) throw new NotFound()
  const consented = await db
    .selectFrom('consent_agencies')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('agency_id', '=', user.agency_id)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (!consented) return 'not-consented'
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

/** Takes a practitioner off the team, unless they lead it (or have been asked to): hand over first. */
export async function removeTeamMember(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  memberId: number,
  reason: string,
): Promise<'removed' | 'not-member' | 'is-lead'> {
  await requireWorking(db, actor, episodeId)
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
