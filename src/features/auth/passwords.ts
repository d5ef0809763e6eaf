import { hash, verify } from '@node-rs/argon2'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { DB } from '../../db/schema.ts'
import { queueMail } from '../mail/outbox.ts'
import { newToken, sha256 } from './session-store.ts'

/** argon2id (algorithm 2) with OWASP's recommended minimum cost. */
const ARGON = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 256

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON)
}

export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  // With no stored hash, still spend the time of a check so that timing does not reveal whether an account exists.
  if (!stored) {
    await verify((DUMMY_HASH ??= await hashPassword('not-a-real-password')), password).catch(() => false)
    return false
  }
  return verify(stored, password).catch(() => false)
}
let DUMMY_HASH: string | undefined

/** A new password: long enough to resist guessing, short enough to hash quickly. */
export function newPasswordFields() {
  return {
    newPassword: z
      .preprocess((v) => (v === undefined ? '' : v), z.string({ error: 'Enter a new password' }))
      .refine((v) => v.length > 0, 'Enter a new password')
      .refine((v) => v.length === 0 || v.length >= PASSWORD_MIN, `Your new password must be ${PASSWORD_MIN} characters or more`)
      .refine((v) => v.length <= PASSWORD_MAX, `Your new password must be ${PASSWORD_MAX} characters or fewer`)
      .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'Your new password must not contain special characters such as tabs or control codes'),
    confirmPassword: z.preprocess((v) => (v === undefined ? '' : v), z.string({ error: 'Confirm your new password' })),
  }
}

export function passwordsDiffer(input: { newPassword: string; confirmPassword: string }): Record<string, string> | null {
  if (input.confirmPassword === '') return { confirmPassword: 'Confirm your new password' }
  return input.newPassword === input.confirmPassword ? null : { confirmPassword: 'The passwords do not match' }
}

/**
 * Creates a one-time link to set a password and queues the email that carries it, in the caller's
 * transaction. Any earlier unused link for the user stops working.
 */
export async function issueSetPasswordLink(
  tx: Kysely<DB>,
  user: { id: number; la_id: number; email: string; full_name: string },
  opts: { baseUrl: string; hours: number; reason: 'new-account' | 'reset' },
): Promise<void> {
  const token = newToken()
  await tx
    .updateTable('password_tokens')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', user.id)
    .where('used_at', 'is', null)
    .execute()
  await tx
    .insertInto('password_tokens')
    .values({ token_hash: sha256(token), user_id: user.id, la_id: user.la_id, expires_at: sql<Date>`now() + make_interval(hours => ${opts.hours})` })
    .execute()
  const link = `${opts.baseUrl}/set-password/${token}`
  const intro =
    opts.reason === 'new-account'
      ? 'An account has been made for you on CAF Hub, the early help case management service.'
      : 'Your CAF Hub administrator has asked for your password to be reset.'
  await queueMail(tx, {
    laId: user.la_id,
    to: user.email,
    subject: opts.reason === 'new-account' ? 'Your CAF Hub account: set your password' : 'Reset your CAF Hub password',
    text: [
      `Dear ${user.full_name},`,
      '',
      intro,
      '',
      'Set your password using this link. It works once, and stops working after',
      `${opts.hours} hours:`,
      '',
      link,
      '',
      'If you did not expect this email, tell your CAF Hub administrator. Do not forward it.',
    ].join('\n'),
  })
}

export type TokenCheck = { ok: true; userId: number; laId: number } | { ok: false }

export async function checkSetPasswordToken(db: Kysely<DB>, token: string): Promise<TokenCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false }
  const row = await db
    .selectFrom('password_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 't.la_id'])
    .where('t.token_hash', '=', sha256(token))
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst()
  return row ? { ok: true, userId: row.user_id, laId: row.la_id } : { ok: false }
}
