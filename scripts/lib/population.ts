// The population the generators share: a council with its generator account and schools, and people
// inserted in batches of plain SQL.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { searchKeys } from '../../src/features/people/names.ts'
import type { Rng } from './synthetic.ts'

export interface PersonRow {
  id: number
  given: string
  family: string
  sex: 'female' | 'male'
  dob: string
  postcode: string
  school: number | null
  nhs: string | null
  upn: string | null
}

export const BATCH = 5000
export const THIS_YEAR = new Date().getUTCFullYear()

export function isoDate(r: Rng, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1)
  const end = Math.min(Date.UTC(toYear, 11, 31), Date.now() - 86_400_000)
  return new Date(start + Math.floor(r.next() * (end - start))).toISOString().slice(0, 10)
}

export type Council = Awaited<ReturnType<typeof setUp>>

/** The council with this code, made if need be, with the generator's own account (which cannot sign in) and 40 schools. */
export async function setUp(db: Kysely<DB>, code: string) {
  let la = await db.selectFrom('local_authorities').select('id').where('code', '=', code).executeTakeFirst()
  la ??= await db
    .insertInto('local_authorities')
    .values({ code, name: `Synthetic council ${code}` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const agencyName = 'Synthetic data generator'
  let agency = await db.selectFrom('agencies').select('id').where('la_id', '=', la.id).where('name', '=', agencyName).executeTakeFirst()
  agency ??= await db
    .insertInto('agencies')
    .values({ la_id: la.id, name: agencyName, agency_type: 'other', active: false })
    .returning('id')
    .executeTakeFirstOrThrow()
  const email = `generator+${code.toLowerCase()}@synthetic.invalid`
  let user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
  // No password: this account cannot sign in; it only owns what the generator makes.
  user ??= await db
    .insertInto('users')
    .values({ la_id: la.id, agency_id: agency.id, email, full_name: 'Synthetic data generator', roles: ['practitioner'] })
    .returning('id')
    .executeTakeFirstOrThrow()
  const schools: number[] = []
  for (let i = 1; i <= 40; i++) {
    const name = `Synthetic ${i <= 30 ? 'Primary' : 'Secondary'} School ${i}`
    let s = await db.selectFrom('agencies').select('id').where('la_id', '=', la.id).where('name', '=', name).executeTakeFirst()
    s ??= await db
      .insertInto('agencies')
      .values({ la_id: la.id, name, agency_type: i <= 30 ? 'primary_school' : 'secondary_school' })
      .returning('id')
      .executeTakeFirstOrThrow()
    schools.push(s.id)
  }
  return { laId: la.id, agencyId: agency.id, userId: user.id, schools }
}

export async function insertPeople(db: Kysely<DB>, ctx: Council, rows: PersonRow[]) {
  const col = <K extends keyof PersonRow>(k: K) => rows.map((r) => r[k])
  const keys = rows.map((r) => searchKeys(r.given, r.family))
  await sql`
    insert into people (id, la_id, given_name, family_name, sex, date_of_birth, postcode, school_agency_id, nhs_number, upn,
                        search_given, search_family, search_name, given_canon, created_by, created_by_agency)
    select u.id, ${ctx.laId}, u.g, u.f, u.s, u.d, u.p, u.sc, u.n, u.u, u.sg, u.sf, u.sn, u.gc, ${ctx.userId}, ${ctx.agencyId}
    from unnest(${col('id')}::bigint[], ${col('given')}::text[], ${col('family')}::text[], ${col('sex')}::text[], ${col('dob')}::date[],
                ${col('postcode')}::text[], ${col('school')}::int[], ${col('nhs')}::text[], ${col('upn')}::text[],
                ${keys.map((k) => k.search_given)}::text[], ${keys.map((k) => k.search_family)}::text[],
                ${keys.map((k) => k.search_name)}::text[], ${keys.map((k) => k.given_canon)}::text[])
      as u(id, g, f, s, d, p, sc, n, u, sg, sf, sn, gc)`.execute(db)
}
