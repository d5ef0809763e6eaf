import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { hashPassword } from '../../src/features/auth/passwords.ts'
import type { Role } from '../../src/web/permissions.ts'

const unique = () => randomBytes(4).toString('hex')

/** A second (or third...) council with one agency, for tenancy tests. */
export async function buildCouncil(db: Kysely<DB>, name = `Council ${unique()}`) {
  const la = await db
    .insertInto('local_authorities')
    .values({ code: `E0${unique()}`, name })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  const locality = await db
    .insertInto('localities')
    .values({ la_id: la.id, name: `Locality ${unique()}` })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  const agency = await db
    .insertInto('agencies')
    .values({ la_id: la.id, name: `Agency ${unique()}`, agency_type: 'primary_school', locality_id: locality.id })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  return { la, locality, agency }
}

export async function buildUser(db: Kysely<DB>, opts: { laId: number; agencyId: number; roles?: Role[]; password?: string; name?: string }) {
  const password = opts.password ?? `pw-${unique()}-${unique()}`
  const email = `user-${unique()}@example.gov.uk`
  const user = await db
    .insertInto('users')
    .values({
      la_id: opts.laId,
      agency_id: opts.agencyId,
      email,
      full_name: opts.name ?? `Test User ${unique()}`,
      roles: opts.roles ?? ['practitioner'],
      password_hash: await hashPassword(password),
    })
    .returning(['id', 'email', 'full_name', 'la_id'])
    .executeTakeFirstOrThrow()
  return { ...user, password }
}
