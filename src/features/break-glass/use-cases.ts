import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { episodeAccess, episodeAllows } from '../../policies/episode.ts'
import { personAccess } from '../../policies/person.ts'
import type { Actor } from '../../web/actor.ts'
import { auditAs } from '../audit/audit-log.ts'

/**
 * Access the hub reviews: "breaking the glass" to read a record or an episode without an ordinary
 * right (for the rest of the session, reading only), and starting a CAF for a child whose record the
 * practitioner had no right to see (with their relationship to the child).
 *
 * Breaking the glass on an id that is not a record of the council is audited like any other attempt
 * and changes nothing, so that the answer does not tell anyone which ids exist.
 */
/** Whether the record exists in the actor's council, and whether they may already read it in full. */
async function standing(db: Kysely<DB>, actor: Actor, kind: 'person' | 'episode', id: number) {
  if (kind === 'person') {
    const access = await personAccess(db, actor, id)
    return { exists: access !== null, readable: access?.view === 'full' }
  }
  const access = await episodeAccess(db, actor, id)
  return { exists: access !== null, readable: episodeAllows(access, 'read') }
}

export async function breakGlass(db: Kysely<DB>, actor: Actor, kind: 'person' | 'episode', id: number, reason: string): Promise<void> {
  const { exists, readable } = await standing(db, actor, kind, id)
  // Someone who may already read it has no glass to break.
  if (readable) return
  await db.transaction().execute(async (tx) => {
    const target = kind === 'person' ? { person_id: id } : { episode_id: id }
    if (exists)
      await tx
        .insertInto('break_glass')
        .values({ la_id: actor.laId, user_id: actor.userId, session_id: actor.sessionId, ...target, reason })
        .execute()
    await auditAs(tx, actor, `${kind}.break-glass`, { type: kind, id }, { flagged: true, found: exists })
  })
}

/** A CAF started for a child whose record the practitioner had no right to see: kept for the hub's review, in the starting transaction. */
export async function recordStartWithoutRight(tx: Kysely<DB>, actor: Actor, personId: number, episodeId: number, relationship: string): Promise<void> {
  await tx
    .insertInto('break_glass')
    .values({
      la_id: actor.laId,
      user_id: actor.userId,
      session_id: actor.sessionId,
      person_id: personId,
      episode_id: episodeId,
      reason: relationship,
      purpose: 'start-caf',
    })
    .execute()
}

/** Access the hub has not yet reviewed, oldest first. */
export function accessToReview(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('break_glass as b')
    .innerJoin('users as u', 'u.id', 'b.user_id')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('people as p', 'p.id', 'b.person_id')
    .select([
      'b.id',
      'b.reason',
      'b.purpose',
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

export async function reviewAccess(db: Kysely<DB>, actor: Actor, id: number, note: string): Promise<boolean> {
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
