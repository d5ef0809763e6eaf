import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { auditAs } from '../audit/audit-log.ts'
import { episodeGrantsPerson } from '../episodes/access.ts'

/**
 * Need to know: who may open a person's full record. The hub (coordinators) always; the agency that
 * made the record; anyone who may see an episode about the person (initiator, lead professional, team,
 * consented agencies); anyone else only by "breaking the glass" with a reason, for the rest of that
 * session, audited and reviewed by the hub.
 */
export type Access = { allowed: true; basis: 'hub' | 'creator-agency' | 'episode' | 'break-glass' } | { allowed: false }

export async function personAccess(db: Kysely<DB>, actor: Actor, person: { id: number; createdByAgency: number }): Promise<Access> {
  if (actor.roles.includes('coordinator')) return { allowed: true, basis: 'hub' }
  if (person.createdByAgency === actor.agencyId) return { allowed: true, basis: 'creator-agency' }
  if (await episodeGrantsPerson(db, actor, person.id)) return { allowed: true, basis: 'episode' }
  const glass = await db
    .selectFrom('break_glass')
    .select('id')
    .where('session_id', '=', actor.sessionId)
    .where('person_id', '=', person.id)
    .where('la_id', '=', actor.laId)
    .executeTakeFirst()
  return glass ? { allowed: true, basis: 'break-glass' } : { allowed: false }
}

export async function breakGlass(db: Kysely<DB>, actor: Actor, personId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('break_glass').values({ la_id: actor.laId, user_id: actor.userId, session_id: actor.sessionId, person_id: personId, reason }).execute()
    await auditAs(tx, actor, 'person.break-glass', { type: 'person', id: personId }, { flagged: true })
  })
}

/** Break-glass accesses the hub has not yet reviewed, oldest first. */
export function breakGlassToReview(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('break_glass as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('people as p', 'p.id', 'b.person_id')
    .select([
      'b.id',
      'b.reason',
      'b.granted_at as grantedAt',
      'b.person_id as personId',
      'b.episode_id as episodeId',
      'u.full_name as userName',
      'a.name as agencyName',
      'p.given_name',
      'p.family_name',
    ])
    .where('b.la_id', '=', actor.laId)
    .where('b.reviewed_at', 'is', null)
    .orderBy('b.granted_at')
    .limit(200)
    .execute()
}

export async function reviewBreakGlass(db: Kysely<DB>, actor: Actor, id: number, note: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('break_glass')
      .set({ reviewed_by: actor.userId, reviewed_at: sql<Date>`now()`, review_note: note })
      .where('id', '=', id)
      .where('la_id', '=', actor.laId)
      .where('reviewed_at', 'is', null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) return false
    await auditAs(tx, actor, 'break-glass.reviewed', { type: 'break-glass', id })
    return true
  })
}
