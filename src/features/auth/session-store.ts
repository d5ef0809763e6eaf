import { createHash, randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { isRole } from '../../web/permissions.ts'

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export interface SessionLimits {
  idleMinutes: number
  absoluteHours: number
}

/** Starts a session; returns the token for the cookie (only its hash is stored). */
export async function startSession(db: Kysely<DB>, user: { id: number; la_id: number }): Promise<{ token: string; id: string }> {
  const token = newToken()
  const id = sha256(token)
  await db.insertInto('sessions').values({ id, user_id: user.id, la_id: user.la_id }).execute()
  return { token, id }
}

export interface ActiveSession {
  actor: Actor
  councilName: string
  /** Where the council's users send feedback about CAF Hub (the phase banner links to it), if set. */
  feedbackAddress: string | null
}

/**
 * The session for a cookie token, if it is still live: not ended, not idle or too old, and its user
 * not disabled. Checked on every request, so disabling a user or ending a session cuts access at once.
 */
export async function findActiveSession(db: Kysely<DB>, token: string, limits: SessionLimits): Promise<ActiveSession | null> {
  if (token.length > 100) return null
  const id = sha256(token)
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('local_authorities as la', 'la.id', 'u.la_id')
    .leftJoin('caf_settings as cs', 'cs.la_id', 'u.la_id')
    .select([
      's.id',
      's.last_seen_at',
      'u.id as user_id',
      'u.la_id',
      'u.agency_id',
      'u.full_name',
      'u.email',
      'u.roles',
      'u.manages_locality_id',
      'la.name as council_name',
      'cs.feedback_address',
    ])
    .select(sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'))
    .where('s.id', '=', id)
    .where('s.ended_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .where(sql<boolean>`s.last_seen_at > now() - make_interval(mins => ${limits.idleMinutes})`)
    .where(sql<boolean>`s.created_at > now() - make_interval(hours => ${limits.absoluteHours})`)
    .executeTakeFirst()
  if (!row) return null
  // Touch at most once a minute: keeps the idle timeout honest without a write on every request.
  if (row.stale)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute()
  return {
    councilName: row.council_name,
    feedbackAddress: row.feedback_address,
    actor: {
      userId: row.user_id,
      laId: row.la_id,
      agencyId: row.agency_id,
      fullName: row.full_name,
      email: row.email,
      roles: row.roles.filter(isRole),
      managesLocalityId: row.manages_locality_id,
      sessionId: row.id,
    },
  }
}

export async function endSession(db: Kysely<DB>, id: string, reason: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: sql<Date>`now()`, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute()
}

/** Ends every live session of a user (disabled, or password changed elsewhere). */
export async function endUserSessions(db: Kysely<DB>, userId: number, reason: string, exceptSessionId?: string): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ ended_at: sql<Date>`now()`, end_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}
