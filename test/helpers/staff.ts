import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import type { AgencyType } from '../../src/features/admin/agencies/agency-types.ts'
import { hashPassword } from '../../src/features/auth/passwords.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import type { Actor } from '../../src/web/actor.ts'
import type { Role } from '../../src/web/permissions.ts'
import { today } from '../../src/web/dates.ts'
import { Client } from './browser-client.ts'
import { actorOf, buildPerson, buildUser } from './factories.ts'

const unique = () => randomBytes(4).toString('hex')

/** The agencies every test council has, one of each kind a CAF draws on. */
const AGENCIES = {
  school: 'primary_school',
  secondary: 'secondary_school',
  healthVisiting: 'health_visiting',
  gp: 'gp_practice',
  police: 'police',
  housing: 'housing',
  voluntary: 'voluntary',
  socialCare: 'childrens_social_care',
  hub: 'early_help',
} as const satisfies Record<string, AgencyType>
export type AgencyKey = keyof typeof AGENCIES

/** One user for each role, and the agency each works for. */
const STAFF = {
  practitioner: { role: 'practitioner', agency: 'school' },
  coordinator: { role: 'coordinator', agency: 'hub' },
  manager: { role: 'manager', agency: 'hub' },
  panel: { role: 'panel_member', agency: 'housing' },
  socialCare: { role: 'social_care', agency: 'socialCare' },
  admin: { role: 'administrator', agency: 'hub' },
} as const satisfies Record<string, { role: Role; agency: AgencyKey }>
export type StaffKey = keyof typeof STAFF

export interface StaffUser {
  id: number
  email: string
  fullName: string
  agencyId: number
  roles: Role[]
}

export interface Staff {
  la: { id: number; name: string }
  locality: { id: number; name: string }
  agencies: Record<AgencyKey, { id: number; name: string }>
  users: Record<StaffKey, StaffUser>
  /** Every staff user's password. */
  password: string
  /** The acting user a use case takes, for one of the staff. */
  actor(who: StaffKey): Actor
  /** A client signed in to the app as one of the staff. */
  signIn(app: ConstructorParameters<typeof Client>[0], who: StaffKey): Promise<Client>
}

/**
 * A council of its own for one test file: a locality, an agency of each kind and one user for each
 * role, with made-up names no other test or the demo uses. Tests build their people and episodes on it.
 */
export async function buildStaff(db: Kysely<DB>): Promise<Staff> {
  const tag = unique()
  const la = await db
    .insertInto('local_authorities')
    .values({ code: `T${tag}`, name: `Testshire ${tag}` })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  const locality = await db
    .insertInto('localities')
    .values({ la_id: la.id, name: `Northfold ${tag}` })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  const agencies = {} as Staff['agencies']
  for (const [key, type] of Object.entries(AGENCIES) as [AgencyKey, AgencyType][]) {
    agencies[key] = await db
      .insertInto('agencies')
      .values({ la_id: la.id, name: `${key} agency ${tag}`, agency_type: type, locality_id: locality.id, phone: '01632 960 000' })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow()
  }
  const password = `pw-${unique()}-${unique()}`
  const passwordHash = await hashPassword(password)
  const users = {} as Staff['users']
  for (const [key, { role, agency }] of Object.entries(STAFF) as [StaffKey, (typeof STAFF)[StaffKey]][]) {
    const row = await db
      .insertInto('users')
      .values({
        la_id: la.id,
        agency_id: agencies[agency].id,
        email: `${key.toLowerCase()}-${tag}@example.gov.uk`,
        full_name: `${key} ${tag}`,
        job_title: `${role} (test)`,
        phone: '01632 960 123',
        roles: [role],
        password_hash: passwordHash,
      })
      .returning(['id', 'email', 'full_name'])
      .executeTakeFirstOrThrow()
    users[key] = { id: row.id, email: row.email, fullName: row.full_name, agencyId: agencies[agency].id, roles: [role] }
  }
  return {
    la,
    locality,
    agencies,
    users,
    password,
    actor(who) {
      const u = users[who]
      return { ...actorOf({ id: u.id, la_id: la.id }, u.agencyId, u.roles), fullName: u.fullName, email: u.email }
    },
    async signIn(app, who) {
      const client = new Client(app)
      await client.signIn(users[who].email, password)
      return client
    },
  }
}

/**
 * A household added by the actor: a mother (with parental responsibility) and her children, sharing a
 * postcode, the children at the given school. Given names are made up unless told; the first child is
 * born 4 March 2015, each next one three years later.
 */
export async function buildFamily(
  db: Kysely<DB>,
  actor: Actor,
  opts: { familyName?: string; mother?: string; children?: string[]; postcode?: string; schoolId?: number | null } = {},
) {
  const familyName = opts.familyName ?? `Family${unique()}`
  const postcode = opts.postcode ?? 'TS1 4QT'
  const mother = await buildPerson(db, actor, { givenName: opts.mother ?? `Mum${unique()}`, familyName, dateOfBirth: '1988-06-21', sex: 'female', postcode })
  const children: { id: number; name: string }[] = []
  for (const [i, given] of (opts.children ?? [`Child${unique()}`, `Child${unique()}`]).entries()) {
    const child = await buildPerson(db, actor, {
      givenName: given,
      familyName,
      dateOfBirth: `${2015 + i * 3}-03-04`,
      sex: i % 2 ? 'female' : 'male',
      postcode,
      schoolId: opts.schoolId ?? null,
    })
    const first = children[0]
    if (first)
      await addHouseholdMember(db, actor, first.id, { memberId: child.id, relationship: 'brother or sister', parentalResponsibility: false, fromDate: today() })
    await addHouseholdMember(db, actor, child.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
    children.push(child)
  }
  return { mother, children, familyName, postcode }
}

/**
 * Another user of the council, in one of its agencies (a practitioner unless told), signed in to the app:
 * for a second practitioner in a family's team, or an agency's manager.
 */
export async function buildColleague(
  db: Kysely<DB>,
  app: ConstructorParameters<typeof Client>[0],
  staff: Staff,
  agency: AgencyKey,
  opts: { name?: string; roles?: Role[] } = {},
) {
  const user = await buildUser(db, {
    laId: staff.la.id,
    agencyId: staff.agencies[agency].id,
    roles: opts.roles ?? ['practitioner'],
    ...(opts.name ? { name: opts.name } : {}),
  })
  const client = new Client(app)
  await client.signIn(user.email, user.password)
  return { id: user.id, email: user.email, name: user.full_name, client }
}

/** A second locality of the council, with a school in it and a practitioner at that school. */
export async function buildLocality(db: Kysely<DB>, staff: Staff, name = `North ${unique()}`) {
  const locality = await db.insertInto('localities').values({ la_id: staff.la.id, name }).returning(['id', 'name']).executeTakeFirstOrThrow()
  const agency = await db
    .insertInto('agencies')
    .values({ la_id: staff.la.id, name: `${name} school`, agency_type: 'primary_school', locality_id: locality.id })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow()
  const user = await buildUser(db, { laId: staff.la.id, agencyId: agency.id, roles: ['practitioner'], name: `${name} Teacher` })
  return { locality, agency, user, actor: actorOf(user, agency.id) }
}
