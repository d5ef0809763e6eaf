import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { ROLE_LABELS, type Role } from '../../../web/permissions.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { queueMail } from '../../mail/outbox.ts'
import { issueSetPasswordLink } from '../../auth/passwords.ts'
import { endUserSessions } from '../../auth/session-store.ts'
import { isUniqueViolation, saveIfUnchanged } from '../../../db/conflict.ts'

export class EmailInUse extends Error {}
export class UnknownAgency extends Error {}
export class UnknownLocality extends Error {}
/** Managing a locality lets a manager see its families: only managers may. */
export class LocalityNeedsManager extends Error {}
export class CannotChangeSelf extends Error {}
/** Nobody may change their own roles: an administrator could otherwise make itself a coordinator and read the register. */
export class CannotChangeOwnRoles extends Error {}

export interface UserInput {
  fullName: string
  email: string
  jobTitle: string | null
  phone: string | null
  agencyId: number
  roles: Role[]
  /** A manager who also manages a locality sees that locality's families in their work queues. */
  managesLocalityId: number | null
}

export interface LinkOptions {
  baseUrl: string
  hours: number
}

export function listUsers(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.full_name as fullName', 'u.email', 'u.roles', 'u.disabled_at as disabledAt', 'a.name as agencyName'])
    .select(sql<boolean>`u.locked_until is not null and u.locked_until > now()`.as('locked'))
    .where('u.la_id', '=', actor.laId)
    .orderBy('u.full_name')
    .execute()
}

export async function getUser(db: Kysely<DB>, actor: Actor, id: number) {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.full_name as fullName',
      'u.email',
      'u.job_title as jobTitle',
      'u.phone',
      'u.agency_id as agencyId',
      'a.name as agencyName',
      'u.manages_locality_id as managesLocalityId',
      sql<string | null>`(select l.name from localities l where l.id = u.manages_locality_id)`.as('managesLocalityName'),
      'u.roles',
      'u.version',
      'u.disabled_at as disabledAt',
      'u.locked_until as lockedUntil',
      'u.last_sign_in_at as lastSignInAt',
      'u.password_hash',
    ])
    .select(sql<boolean>`u.locked_until is not null and u.locked_until > now()`.as('locked'))
    .where('u.la_id', '=', actor.laId)
    .where('u.id', '=', id)
    .executeTakeFirst()
  if (!row) throw new NotFound()
  const { password_hash, ...user } = row
  return { ...user, roles: user.roles as Role[], hasPassword: password_hash !== null }
}

async function checkAgency(db: Kysely<DB>, actor: Actor, agencyId: number) {
  const found = await db
    .selectFrom('agencies')
    .select('id')
    .where('la_id', '=', actor.laId)
    .where('id', '=', agencyId)
    .where('active', '=', true)
    .executeTakeFirst()
  if (!found) throw new UnknownAgency()
}

/** The input's own rules beyond its fields: the agency is active, the locality the council's and managed by a manager. */
async function checkInput(db: Kysely<DB>, actor: Actor, input: UserInput, before?: { agencyId: number }) {
  if (input.agencyId !== before?.agencyId) await checkAgency(db, actor, input.agencyId)
  if (input.managesLocalityId === null) return
  if (!input.roles.includes('manager')) throw new LocalityNeedsManager()
  const found = await db.selectFrom('localities').select('id').where('la_id', '=', actor.laId).where('id', '=', input.managesLocalityId).executeTakeFirst()
  if (!found) throw new UnknownLocality()
}

const roleWords = (roles: readonly Role[]) => (roles.length ? roles.map((r) => ROLE_LABELS[r]).join(', ') : 'none')

/**
 * Records a change of a user's roles (a new account's roles count: they are granted), and tells the
 * council's other administrators by email, so that no administrator can grant roles unseen.
 */
async function rolesChanged(tx: Kysely<DB>, actor: Actor, user: { id: number; fullName: string; email: string }, from: Role[], to: Role[], baseUrl: string) {
  await auditAs(tx, actor, 'user.roles-changed', { type: 'user', id: user.id }, { from, to })
  const others = await tx
    .selectFrom('users')
    .select('email')
    .where('la_id', '=', actor.laId)
    .where('id', '!=', actor.userId)
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`'administrator' = any(roles)`)
    .execute()
  for (const admin of others) {
    await queueMail(tx, {
      laId: actor.laId,
      to: admin.email,
      subject: `Roles changed for ${user.fullName}`,
      text: [
        `${actor.fullName} changed the roles of ${user.fullName} (${user.email}) in CAF Hub.`,
        `Before: ${roleWords(from)}.`,
        `Now: ${roleWords(to)}.`,
        '',
        `You are told because you are an administrator of this council. If this change was not expected, check the account: ${baseUrl}/admin/users/${user.id}`,
      ].join('\n'),
    })
  }
}

async function guardEmail<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_unique')) throw new EmailInUse()
    throw error
  }
}

/** Creates an account with no password and emails a one-time link to set one (through the outbox). */
export async function createUser(db: Kysely<DB>, actor: Actor, input: UserInput, link: LinkOptions): Promise<number> {
  return guardEmail(() =>
    db.transaction().execute(async (tx) => {
      await checkInput(tx, actor, input)
      const user = await tx
        .insertInto('users')
        .values({
          la_id: actor.laId,
          agency_id: input.agencyId,
          email: input.email,
          full_name: input.fullName,
          job_title: input.jobTitle,
          phone: input.phone,
          roles: input.roles,
          manages_locality_id: input.managesLocalityId,
        })
        .returning(['id', 'la_id', 'email', 'full_name'])
        .executeTakeFirstOrThrow()
      await issueSetPasswordLink(tx, user, { ...link, reason: 'new-account' })
      await auditAs(tx, actor, 'user.created', { type: 'user', id: user.id }, { agencyId: input.agencyId, roles: input.roles })
      await rolesChanged(tx, actor, { id: user.id, fullName: user.full_name, email: user.email }, [], input.roles, link.baseUrl)
      return user.id
    }),
  )
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r))

export async function updateUser(db: Kysely<DB>, actor: Actor, id: number, input: UserInput & { version: number }, baseUrl: string): Promise<void> {
  await guardEmail(() =>
    db.transaction().execute(async (tx) => {
      const before = await getUser(tx, actor, id)
      await checkInput(tx, actor, input, before)
      const rolesDiffer = !sameRoles(before.roles, input.roles)
      if (id === actor.userId && rolesDiffer) throw new CannotChangeOwnRoles()
      await saveIfUnchanged(
        tx
          .updateTable('users')
          .set({
            full_name: input.fullName,
            email: input.email,
            job_title: input.jobTitle,
            phone: input.phone,
            agency_id: input.agencyId,
            roles: input.roles,
            manages_locality_id: input.managesLocalityId,
            updated_at: sql<Date>`now()`,
          })
          .where('la_id', '=', actor.laId)
          .where('id', '=', id),
        input.version,
        () => before,
      )
      const changed = (['fullName', 'email', 'jobTitle', 'phone', 'agencyId', 'managesLocalityId'] as const).filter((k) => before[k] !== input[k])
      await auditAs(tx, actor, 'user.updated', { type: 'user', id }, { changed, agencyId: input.agencyId })
      if (rolesDiffer) await rolesChanged(tx, actor, { id, fullName: input.fullName, email: input.email }, before.roles, input.roles, baseUrl)
    }),
  )
}

/** Disables an account and ends its sessions at once: the next request of that user is refused. */
export async function disableUser(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  if (id === actor.userId) throw new CannotChangeSelf()
  await db.transaction().execute(async (tx) => {
    await getUser(tx, actor, id)
    await tx
      .updateTable('users')
      .set({ disabled_at: sql<Date>`now()`, version: sql<number>`version + 1` })
      .where('la_id', '=', actor.laId)
      .where('id', '=', id)
      .execute()
    const ended = await endUserSessions(tx, id, 'disabled')
    await auditAs(tx, actor, 'user.disabled', { type: 'user', id }, { sessionsEnded: ended })
  })
}

export async function enableUser(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await getUser(tx, actor, id)
    await tx
      .updateTable('users')
      .set({ disabled_at: null, version: sql<number>`version + 1` })
      .where('la_id', '=', actor.laId)
      .where('id', '=', id)
      .execute()
    await auditAs(tx, actor, 'user.enabled', { type: 'user', id })
  })
}

export async function unlockUser(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await getUser(tx, actor, id)
    await tx.updateTable('users').set({ locked_until: null, failed_sign_ins: 0 }).where('la_id', '=', actor.laId).where('id', '=', id).execute()
    await auditAs(tx, actor, 'user.unlocked', { type: 'user', id })
  })
}

/** Sends a new one-time link (a forgotten password, or the first link expired). */
export async function sendPasswordLink(db: Kysely<DB>, actor: Actor, id: number, link: LinkOptions): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const user = await getUser(tx, actor, id)
    await issueSetPasswordLink(tx, { id: user.id, la_id: actor.laId, email: user.email, full_name: user.fullName }, { ...link, reason: 'reset' })
    await auditAs(tx, actor, 'user.password-link-sent', { type: 'user', id })
  })
}
