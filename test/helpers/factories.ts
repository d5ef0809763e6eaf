import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { hashPassword } from '../../src/features/auth/passwords.ts'
import type { Role } from '../../src/web/permissions.ts'
import type { Actor } from '../../src/web/actor.ts'
import { today } from '../../src/web/dates.ts'
import { assessed } from '../../src/features/demo/builders.ts'
import { proposeLead } from '../../src/features/episodes/lead.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import type { PersonDetails } from '../../src/features/people/person-form.ts'
import { DETAIL_FIELDS } from '../../src/features/people/repository.ts'
import { createPerson } from '../../src/features/people/use-cases.ts'

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

/** The acting user a use case takes, for a user a factory made (any session id: a factory's actor has no browser). */
export function actorOf(user: { id: number; la_id: number; manages_locality_id?: number | null }, agencyId: number, roles: Role[] = ['practitioner']): Actor {
  return {
    managesLocalityId: user.manages_locality_id ?? null,
    userId: user.id,
    laId: user.la_id,
    agencyId,
    fullName: `User ${user.id}`,
    email: `user-${user.id}@example.gov.uk`,
    roles,
    sessionId: `factory-${unique()}`,
  }
}

/** An agency of the council, of a type (a voluntary organisation unless told). */
export async function buildAgency(db: Kysely<DB>, laId: number, agencyType = 'voluntary') {
  return db
    .insertInto('agencies')
    .values({ la_id: laId, name: `Agency ${unique()}`, agency_type: agencyType })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
}

/** A person on the register, added by the actor through the use case (a made-up name no other test uses). */
export async function buildPerson(db: Kysely<DB>, actor: Actor, details: Partial<PersonDetails> = {}) {
  const blank = Object.fromEntries(DETAIL_FIELDS.map((f) => [f, null])) as unknown as PersonDetails
  const given = `Given${unique()}`
  const family = `Family${unique()}`
  const result = await createPerson(db, actor, { ...blank, givenName: given, familyName: family, dateOfBirth: '2015-06-01', ...details }, 'a test person')
  if (result.type !== 'created') throw new Error('the factory could not add a person')
  return { id: result.id, name: `${details.givenName ?? given} ${details.familyName ?? family}` }
}

type Built = { id: number; name: string }

/**
 * A family CAF with a completed assessment, built through the use cases. Unless a family (from
 * `buildFamily`) is given, a child and their parent; the first child's CAF, with everyone in it, the
 * mother giving consent for these agencies. The initiator may see every record, and leads it if told.
 */
export async function buildEpisode(
  db: Kysely<DB>,
  initiator: Actor,
  opts: { consentedAgencies: number[]; family?: { mother: Built; children: Built[] }; lead?: boolean },
) {
  const family = opts.family ?? (await childAndParent(db, initiator))
  const [child, ...siblings] = family.children as [Built, ...Built[]]
  const id = await assessed(db, initiator, {
    child: child.id,
    others: [...siblings.map((c) => c.id), family.mother.id],
    children: family.children.map((c) => c.id),
    adult: family.mother.id,
    agencies: opts.consentedAgencies,
  })
  if (opts.lead && (await proposeLead(db, initiator, id, initiator.userId, today())) !== 'appointed') throw new Error('the initiator could not lead')
  return { id, child: family.children[0]!, parent: family.mother }
}

async function childAndParent(db: Kysely<DB>, initiator: Actor) {
  return householdOf(db, initiator, [await buildPerson(db, initiator)])
}

/** These children in one household with a mother (made here), for `buildEpisode`'s family. */
export async function householdOf(db: Kysely<DB>, actor: Actor, children: Built[]): Promise<{ mother: Built; children: Built[] }> {
  const mother = await buildPerson(db, actor, { dateOfBirth: '1985-02-01', sex: 'female' })
  for (const [i, c] of children.entries()) {
    if (i > 0)
      await addHouseholdMember(db, actor, children[0]!.id, {
        memberId: c.id,
        relationship: 'brother or sister',
        parentalResponsibility: false,
        fromDate: today(),
      })
    await addHouseholdMember(db, actor, c.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  }
  return { mother, children }
}
