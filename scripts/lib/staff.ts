// A synthetic council's staff for generated episodes: four localities, its schools, GP practices and
// health visiting teams spread over them, an early help hub, practitioners in each and a few managers.
// Nobody here can sign in: no account has a password.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import type { Council } from './population.ts'

export interface Practitioner {
  id: number
  agencyId: number
  localityId: number
}

export interface CouncilStaff {
  practitioners: Practitioner[]
  hub: { id: number; agencyId: number }
}

async function agencyNamed(db: Kysely<DB>, laId: number, name: string, type: string): Promise<number> {
  const found = await db.selectFrom('agencies').select('id').where('la_id', '=', laId).where('name', '=', name).executeTakeFirst()
  if (found) return found.id
  return (await db.insertInto('agencies').values({ la_id: laId, name, agency_type: type }).returning('id').executeTakeFirstOrThrow()).id
}

async function localityNamed(db: Kysely<DB>, laId: number, name: string): Promise<number> {
  const found = await db.selectFrom('localities').select('id').where('la_id', '=', laId).where('name', '=', name).executeTakeFirst()
  if (found) return found.id
  return (await db.insertInto('localities').values({ la_id: laId, name }).returning('id').executeTakeFirstOrThrow()).id
}

export async function councilStaff(db: Kysely<DB>, council: Council, code: string): Promise<CouncilStaff> {
  const tag = code.toLowerCase()
  const localities: number[] = []
  for (const name of ['North', 'South', 'East', 'West']) localities.push(await localityNamed(db, council.laId, `Synthetic ${name}`))
  const agencies = [...council.schools]
  for (let i = 1; i <= 10; i++) agencies.push(await agencyNamed(db, council.laId, `Synthetic GP Practice ${i}`, 'gp_practice'))
  for (let i = 1; i <= 4; i++) agencies.push(await agencyNamed(db, council.laId, `Synthetic Health Visiting ${i}`, 'health_visiting'))
  const hubAgency = await agencyNamed(db, council.laId, 'Synthetic Early Help Hub', 'early_help')
  for (const [i, id] of agencies.entries()) {
    await db
      .updateTable('agencies')
      .set({ locality_id: localities[i % localities.length]! })
      .where('id', '=', id)
      .execute()
  }
  const people: { email: string; agency: number; roles: string[] }[] = []
  agencies.forEach((agency, a) => {
    for (let p = 1; p <= 3; p++) people.push({ email: `synthetic-${tag}-a${a}-p${p}@synthetic.invalid`, agency, roles: ['practitioner'] })
    if (a % 10 === 0) people.push({ email: `synthetic-${tag}-a${a}-manager@synthetic.invalid`, agency, roles: ['manager'] })
  })
  people.push({ email: `synthetic-${tag}-hub@synthetic.invalid`, agency: hubAgency, roles: ['coordinator'] })
  await sql`insert into users (la_id, agency_id, email, full_name, roles)
    select ${council.laId}, a, e, 'Synthetic worker', string_to_array(r, ',')
    from unnest(${people.map((p) => p.agency)}::int[], ${people.map((p) => p.email)}::text[], ${people.map((p) => p.roles.join(','))}::text[]) as u(a, e, r)
    on conflict do nothing`.execute(db)
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.agency_id', 'a.locality_id', 'u.roles'])
    .where('u.la_id', '=', council.laId)
    .where('u.email', 'like', `synthetic-${tag}-%`)
    .orderBy('u.id')
    .execute()
  const hub = rows.find((u) => u.roles.includes('coordinator'))
  if (!hub) throw new Error(`no hub account for ${code}`)
  return {
    practitioners: rows.filter((u) => u.roles.includes('practitioner')).map((u) => ({ id: u.id, agencyId: u.agency_id, localityId: u.locality_id! })),
    hub: { id: hub.id, agencyId: hub.agency_id },
  }
}
