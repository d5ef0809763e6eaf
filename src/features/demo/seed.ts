import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { seedDemoEpisodes } from './episodes.ts'
import { seedSecondCouncil } from './second-council.ts'
import { seedReporting } from './reporting.ts'
import type { DB } from '../../db/schema.ts'
import { audit } from '../audit/audit-log.ts'
import type { AgencyType } from '../admin/agencies/agency-types.ts'
import { hashPassword } from '../auth/passwords.ts'
import { ROLE_LABELS, type Role } from '../../web/permissions.ts'
import { searchKeys } from '../people/names.ts'

export const DEMO_LA_CODE = 'E09999001'
export const DEMO_FEEDBACK_ADDRESS = 'caf-hub-feedback@demo-borough.example'

const LOCALITIES = ['North', 'Central', 'South'] as const

const AGENCIES: { key: string; name: string; type: AgencyType; locality: (typeof LOCALITIES)[number] | null }[] = [
  { key: 'oakfield', name: 'Oakfield Primary School', type: 'primary_school', locality: 'North' },
  { key: 'st-annes', name: "St Anne's Church of England Primary School", type: 'primary_school', locality: 'South' },
  { key: 'riverside', name: 'Riverside Academy', type: 'secondary_school', locality: 'Central' },
  { key: 'health-visiting', name: 'Demo Borough Health Visiting Team', type: 'health_visiting', locality: null },
  { key: 'gp', name: 'Elm Street Medical Practice', type: 'gp_practice', locality: 'Central' },
  { key: 'police', name: 'Demo Borough Police Early Intervention Team', type: 'police', locality: null },
  { key: 'housing', name: 'Demo Borough Housing Options', type: 'housing', locality: null },
  { key: 'voluntary', name: 'Families Together (charity)', type: 'voluntary', locality: 'North' },
  { key: 'social-care', name: "Demo Borough Children's Social Care", type: 'childrens_social_care', locality: null },
  { key: 'hub', name: 'Demo Borough Early Help Hub', type: 'early_help', locality: null },
]

const USERS: { role: Role; name: string; email: string; agency: string; jobTitle: string; label?: string }[] = [
  {
    role: 'practitioner',
    name: 'Priya Patel',
    email: 'practitioner@demo-borough.example',
    agency: 'oakfield',
    jobTitle: 'Special educational needs coordinator (SENCO)',
  },
  // A second practitioner, at the charity that provides family support: answers referrals to its services.
  {
    role: 'practitioner',
    name: 'Tom Achebe',
    email: 'family-support@demo-borough.example',
    agency: 'voluntary',
    jobTitle: 'Family support worker',
    label: 'Practitioner (a provider)',
  },
  { role: 'coordinator', name: 'Callum Reid', email: 'coordinator@demo-borough.example', agency: 'hub', jobTitle: 'CAF coordinator' },
  { role: 'manager', name: 'Margaret Owusu', email: 'manager@demo-borough.example', agency: 'hub', jobTitle: 'Early help manager' },
  { role: 'panel_member', name: 'Daniel Kowalski', email: 'panel@demo-borough.example', agency: 'housing', jobTitle: 'Housing options team leader' },
  { role: 'social_care', name: 'Sarah Ahmed', email: 'social-care@demo-borough.example', agency: 'social-care', jobTitle: 'Social worker' },
  { role: 'administrator', name: 'Alex Morgan', email: 'admin@demo-borough.example', agency: 'hub', jobTitle: 'CAF Hub administrator' },
  { role: 'data_team', name: 'Tom Fletcher', email: 'data@demo-borough.example', agency: 'hub', jobTitle: 'Performance and data analyst' },
]

export interface DemoCredentials {
  password: string
  accounts: { role: string; email: string }[]
}

/**
 * The first time only: a made-up council, "Demo Borough", with localities, agencies of each kind,
 * one user for each role, and child population figures. Returns the credentials, or null if the
 * demo council is already there. No real person's data.
 */
export async function seedDemo(db: Kysely<DB>): Promise<DemoCredentials | null> {
  const existing = await db.selectFrom('local_authorities').select('id').where('code', '=', DEMO_LA_CODE).executeTakeFirst()
  if (existing) return null
  const password = `demo-${randomBytes(9).toString('base64url')}`
  const passwordHash = await hashPassword(password)
  const credentials = await db.transaction().execute(async (tx) => {
    const la = await tx.insertInto('local_authorities').values({ code: DEMO_LA_CODE, name: 'Demo Borough' }).returning('id').executeTakeFirstOrThrow()
    // The beta banner's feedback link (the address is on a domain reserved for examples: nothing is sent).
    await tx.updateTable('caf_settings').set({ feedback_address: DEMO_FEEDBACK_ADDRESS }).where('la_id', '=', la.id).execute()
    const localities = new Map<string, number>()
    for (const name of LOCALITIES) {
      const row = await tx.insertInto('localities').values({ la_id: la.id, name }).returning('id').executeTakeFirstOrThrow()
      localities.set(name, row.id)
    }
    const agencies = new Map<string, number>()
    for (const a of AGENCIES) {
      const row = await tx
        .insertInto('agencies')
        .values({ la_id: la.id, name: a.name, agency_type: a.type, locality_id: a.locality ? localities.get(a.locality)! : null, phone: '01632 960 000' })
        .returning('id')
        .executeTakeFirstOrThrow()
      agencies.set(a.key, row.id)
    }
    // The first user of each role (the demo's practitioner is Priya Patel).
    const userIds = new Map<Role, number>()
    for (const u of USERS) {
      const id = await insertDemoAccount(tx, { ...u, laId: la.id, agencyId: agencies.get(u.agency)!, phone: '01632 960 123' }, passwordHash, password)
      if (!userIds.has(u.role)) userIds.set(u.role, id)
    }
    await seedFamilies(tx, la.id, { school: userIds.get('practitioner')!, socialCare: userIds.get('social_care')! }, agencies)
    const shireAccounts = await seedSecondCouncil(tx, passwordHash, password)
    await seedReporting(tx, la.id, { admin: userIds.get('administrator')!, trained: [userIds.get('practitioner')!, userIds.get('coordinator')!] })
    await audit(tx, { laId: la.id, action: 'demo.seeded', detail: { localities: LOCALITIES.length, agencies: AGENCIES.length, users: USERS.length } })
    return { password, accounts: [...USERS.map((u) => ({ role: u.label ?? ROLE_LABELS[u.role], email: u.email })), ...shireAccounts] }
  })
  await seedDemoEpisodes(db, DEMO_LA_CODE)
  return credentials
}

/** A demo user, and the line the sign-in page shows for them (their role's name, or the label given). */
export async function insertDemoAccount(
  tx: Kysely<DB>,
  u: { laId: number; agencyId: number; role: Role; name: string; email: string; jobTitle: string; phone: string; label?: string },
  passwordHash: string,
  password: string,
): Promise<number> {
  const created = await tx
    .insertInto('users')
    .values({
      la_id: u.laId,
      agency_id: u.agencyId,
      email: u.email,
      full_name: u.name,
      job_title: u.jobTitle,
      phone: u.phone,
      roles: [u.role],
      password_hash: passwordHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('demo_accounts')
    .values({ email: u.email, role: u.label ?? ROLE_LABELS[u.role], password })
    .execute()
  return created.id
}

/** A few made-up families, added by the practitioner's school (or by social care, which knew them first), so that search has someone to find. */
const FAMILIES = [
  {
    postcode: 'DB1 4QT',
    adults: [{ given: 'Sarah', family: 'Smith', dob: '1988-06-21', sex: 'female', relationship: 'mother' }],
    children: [
      { given: 'John', family: 'Smith', dob: '2015-03-04', sex: 'male', school: 'oakfield' },
      { given: 'Amelia', family: 'Smith', dob: '2018-11-30', sex: 'female', school: 'oakfield' },
    ],
  },
  {
    postcode: 'DB3 2LN',
    adults: [
      { given: 'Siobhan', family: "O'Neill", dob: '1990-02-14', sex: 'female', relationship: 'mother' },
      { given: 'Dafydd', family: 'Rhys', dob: '1987-09-03', sex: 'male', relationship: 'step-parent' },
    ],
    children: [{ given: 'Siân', family: "O'Neill", dob: '2012-07-19', sex: 'female', school: 'riverside' }],
  },
  // The next four have CAF episodes at different stages (see episodes.ts).
  {
    postcode: 'DB5 8RJ',
    adults: [{ given: 'Grace', family: 'Okafor', dob: '1986-04-17', sex: 'female', relationship: 'mother' }],
    children: [
      { given: 'Daniel', family: 'Okafor', dob: '2013-09-12', sex: 'male', school: 'riverside' },
      { given: 'Joy', family: 'Okafor', dob: '2017-02-03', sex: 'female', school: 'oakfield' },
    ],
  },
  {
    postcode: 'DB2 6WE',
    adults: [{ given: 'Anna', family: 'Kowalczyk', dob: '1990-11-02', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Piotr', family: 'Kowalczyk', dob: '2011-05-20', sex: 'male', school: 'riverside' }],
  },
  {
    postcode: 'DB6 3PS',
    adults: [{ given: 'Rhian', family: 'Evans', dob: '1995-07-29', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Cerys', family: 'Evans', dob: '2019-08-08', sex: 'female', school: 'oakfield' }],
  },
  {
    postcode: 'DB4 1AZ',
    adults: [{ given: 'Amina', family: 'Hussain', dob: '1989-03-11', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Yusuf', family: 'Hussain', dob: '2014-01-27', sex: 'male', school: 'riverside' }],
  },
  {
    postcode: 'DB7 9HX',
    adults: [{ given: 'Thi Linh', family: 'Nguyễn', dob: '1992-01-08', sex: 'female', relationship: 'mother' }],
    children: [
      { given: 'Minh Anh', family: 'Nguyễn', dob: '2016-10-02', sex: 'male', school: 'st-annes' },
      { given: 'Mai', family: 'Nguyễn', dob: '2021-05-25', sex: 'female', school: null },
    ],
  },
  // Signposted to family support in the last three months (see signposting.ts): the service's waiting time.
  {
    postcode: 'DB1 7JS',
    adults: [{ given: 'Kelly', family: 'Brown', dob: '1984-08-30', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Leo', family: 'Brown', dob: '2011-12-01', sex: 'male', school: 'riverside' }],
  },
  {
    postcode: 'DB3 5TE',
    adults: [{ given: 'Fiona', family: 'Hughes', dob: '1987-03-09', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Maya', family: 'Hughes', dob: '2012-06-14', sex: 'female', school: 'riverside' }],
  },
  {
    postcode: 'DB2 8QL',
    adults: [{ given: 'Marcus', family: 'Clarke', dob: '1982-10-22', sex: 'male', relationship: 'father' }],
    children: [{ given: 'Noah', family: 'Clarke', dob: '2010-09-05', sex: 'male', school: 'riverside' }],
  },
  {
    postcode: 'DB6 1NB',
    adults: [{ given: 'Jade', family: 'Wright', dob: '1993-01-17', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Ava', family: 'Wright', dob: '2016-04-28', sex: 'female', school: 'oakfield' }],
  },
  {
    postcode: 'DB4 6GU',
    adults: [{ given: 'Rehana', family: 'Begum', dob: '1985-12-03', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Ayaan', family: 'Begum', dob: '2013-02-19', sex: 'male', school: 'riverside' }],
  },
  // Families between early help and social care (social-care.ts): the Kellys and the Greens, whom
  // early help stepped up; the others known to social care first, whose records social care made.
  {
    postcode: 'DB2 7HX',
    adults: [{ given: 'Niamh', family: 'Kelly', dob: '1986-09-12', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Liam', family: 'Kelly', dob: '2017-04-18', sex: 'male', school: 'oakfield' }],
  },
  {
    postcode: 'DB1 9PE',
    adults: [{ given: 'Leanne', family: 'Green', dob: '1992-01-05', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Ruby', family: 'Green', dob: '2019-07-22', sex: 'female', school: 'oakfield' }],
  },
  {
    by: 'social-care',
    postcode: 'DB3 5RT',
    adults: [{ given: 'Kerry', family: 'Walker', dob: '1984-03-30', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Mason', family: 'Walker', dob: '2013-05-09', sex: 'male', school: 'riverside' }],
  },
  {
    by: 'social-care',
    postcode: 'DB2 1AB',
    adults: [{ given: 'Dean', family: 'Turner', dob: '1983-11-11', sex: 'male', relationship: 'father' }],
    children: [{ given: 'Ellie', family: 'Turner', dob: '2020-02-14', sex: 'female', school: 'st-annes' }],
  },
  {
    by: 'social-care',
    postcode: 'DB1 2CD',
    adults: [{ given: 'Gemma', family: 'Robinson', dob: '1995-08-08', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Isla', family: 'Robinson', dob: '2023-03-03', sex: 'female', school: null }],
  },
  {
    by: 'social-care',
    postcode: 'DB3 8EF',
    adults: [{ given: 'Claire', family: 'Hall', dob: '1987-12-01', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Oscar', family: 'Hall', dob: '2016-06-06', sex: 'male', school: 'oakfield' }],
  },
  {
    by: 'social-care',
    postcode: 'DB2 4GH',
    adults: [{ given: 'Bethan', family: 'Lewis', dob: '1979-04-04', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Freya', family: 'Lewis', dob: '2011-10-10', sex: 'female', school: 'riverside' }],
  },
  // Moving to Demo Shire (second-council.ts).
  {
    postcode: 'DB1 6TT',
    adults: [{ given: 'Laura', family: 'Bennett', dob: '1989-05-17', sex: 'female', relationship: 'mother' }],
    children: [{ given: 'Oliver', family: 'Bennett', dob: '2018-01-09', sex: 'male', school: 'oakfield' }],
  },
] as const

async function seedFamilies(tx: Kysely<DB>, laId: number, users: { school: number; socialCare: number }, agencies: Map<string, number>) {
  let [userId, createdByAgency] = [users.school, agencies.get('oakfield')!]
  const add = async (p: { given: string; family: string; dob: string; sex: string }, extra: { postcode: string; school?: string | null }) => {
    const row = await tx
      .insertInto('people')
      .values({
        la_id: laId,
        given_name: p.given,
        family_name: p.family,
        sex: p.sex,
        date_of_birth: p.dob,
        postcode: extra.postcode,
        school_agency_id: extra.school ? agencies.get(extra.school)! : null,
        ...searchKeys(p.given, p.family),
        created_by: userId,
        created_by_agency: createdByAgency,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('person_changes')
      .values({
        la_id: laId,
        person_id: row.id,
        changed_by: userId,
        change_type: 'created',
        changes: JSON.stringify({ givenName: [null, p.given], familyName: [null, p.family], dateOfBirth: [null, p.dob] }),
      })
      .execute()
    return row.id
  }
  for (const family of FAMILIES) {
    ;[userId, createdByAgency] = 'by' in family ? [users.socialCare, agencies.get('social-care')!] : [users.school, agencies.get('oakfield')!]
    const household = await tx.insertInto('households').values({ la_id: laId, created_by: userId }).returning('id').executeTakeFirstOrThrow()
    const adults: [number, string][] = []
    for (const a of family.adults) adults.push([await add(a, family), a.relationship])
    for (const c of family.children) {
      const child = await add(c, { postcode: family.postcode, school: c.school })
      for (const [adult, relationship] of adults) {
        await tx
          .insertInto('relationships')
          .values({
            la_id: laId,
            person_id: adult,
            child_id: child,
            relationship,
            parental_responsibility: relationship === 'mother' || relationship === 'father',
          })
          .execute()
      }
      await tx.insertInto('household_members').values({ la_id: laId, household_id: household.id, person_id: child }).execute()
    }
    for (const [adult] of adults) await tx.insertInto('household_members').values({ la_id: laId, household_id: household.id, person_id: adult }).execute()
  }
}
