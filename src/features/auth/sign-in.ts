import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { audit } from '../audit/audit-log.ts'
import { passwordMatches } from './passwords.ts'
import { startSession } from './session-store.ts'

export interface LockoutPolicy {
  attempts: number
  minutes: number
}

/** A locked account answers as a wrong password or an unknown email does, so no answer tells which emails exist. */
export type SignInResult = { type: 'signed-in'; token: string; userId: number } | { type: 'wrong' }

/**
 * Checks an email and password. Too many wrong passwords lock the account for a while; the lock
 * lifts by itself. Every attempt is audited; passwords never are. Every refusal does the same work
 * (one password hash) and gives the same answer, whether the email is unknown, the password wrong
 * or the account locked.
 */
export async function signIn(db: Kysely<DB>, input: { email: string; password: string; ip: string }, policy: LockoutPolicy): Promise<SignInResult> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'la_id', 'password_hash', 'failed_sign_ins', 'locked_until', 'disabled_at'])
    .select(sql<boolean>`locked_until is not null and locked_until > now()`.as('locked'))
    .where(sql`lower(email)`, '=', input.email.toLowerCase())
    .executeTakeFirst()

  if (!user) {
    await passwordMatches(null, input.password)
    await audit(db, { laId: null, action: 'sign-in.failed', detail: { reason: 'unknown-email' }, ip: input.ip })
    return { type: 'wrong' }
  }
  const matches = await passwordMatches(user.password_hash, input.password)
  if (user.locked) {
    await audit(db, { laId: user.la_id, actorUserId: user.id, action: 'sign-in.refused', detail: { reason: 'locked' }, ip: input.ip })
    return { type: 'wrong' }
  }
  if (!matches || user.disabled_at) {
    const reason = user.disabled_at ? 'disabled' : user.password_hash ? 'wrong-password' : 'no-password-set'
    // A lock that has expired starts the count again.
    const failures = (user.locked_until ? 0 : user.failed_sign_ins) + 1
    const lock = failures >= policy.attempts
    await db
      .updateTable('users')
      .set({
        failed_sign_ins: lock ? 0 : failures,
        locked_until: lock ? sql<Date>`now() + make_interval(mins => ${policy.minutes})` : null,
      })
      .where('id', '=', user.id)
      .execute()
    await audit(db, { laId: user.la_id, actorUserId: user.id, action: 'sign-in.failed', detail: { reason, failures }, ip: input.ip })
    if (lock) await audit(db, { laId: user.la_id, actorUserId: user.id, action: 'account.locked', detail: { minutes: policy.minutes }, ip: input.ip })
    return { type: 'wrong' }
  }
  const session = await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: sql<Date>`now()` })
      .where('id', '=', user.id)
      .execute()
    const s = await startSession(tx, user)
    await audit(tx, { laId: user.la_id, actorUserId: user.id, sessionId: s.id, action: 'sign-in', ip: input.ip })
    return s
  })
  return { type: 'signed-in', token: session.token, userId: user.id }
}
