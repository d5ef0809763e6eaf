import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { audit, auditAs } from '../audit/audit-log.ts'
import { checkSetPasswordToken, hashPassword, passwordMatches } from './passwords.ts'
import { endUserSessions, sha256 } from './session-store.ts'

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword'; message: string }

/** Changes the signed-in user's own password and ends their other sessions. */
export async function changePassword(db: Kysely<DB>, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<ChangePasswordResult> {
  const user = await db.selectFrom('users').select('password_hash').where('id', '=', actor.userId).where('la_id', '=', actor.laId).executeTakeFirstOrThrow()
  if (!(await passwordMatches(user.password_hash, input.currentPassword))) {
    await auditAs(db, actor, 'password.change-failed', { type: 'user', id: actor.userId })
    return { ok: false, field: 'currentPassword', message: 'Your current password is not correct' }
  }
  const passwordHash = await hashPassword(input.newPassword)
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()`, version: sql<number>`version + 1` })
      .where('id', '=', actor.userId)
      .execute()
    await endUserSessions(tx, actor.userId, 'password-changed', actor.sessionId)
    await auditAs(tx, actor, 'password.changed', { type: 'user', id: actor.userId })
  })
  return { ok: true }
}

/** Uses a one-time link to set a password. Returns false if the link is unknown, used or expired. */
export async function setPasswordWithToken(db: Kysely<DB>, token: string, newPassword: string, ip: string): Promise<boolean> {
  const check = await checkSetPasswordToken(db, token)
  if (!check.ok) return false
  const passwordHash = await hashPassword(newPassword)
  return db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('password_tokens')
      .set({ used_at: sql<Date>`now()` })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(used.numUpdatedRows) !== 1) return false // used by a concurrent request
    await tx
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: sql<Date>`now()`, failed_sign_ins: 0, locked_until: null, version: sql<number>`version + 1` })
      .where('id', '=', check.userId)
      .execute()
    await endUserSessions(tx, check.userId, 'password-set')
    await audit(tx, { laId: check.laId, actorUserId: check.userId, action: 'password.set-by-link', recordType: 'user', recordId: check.userId, ip })
    return true
  })
}
