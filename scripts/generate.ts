// npm run generate -- --people N --la CODE [--seed S] [--duplicates 0.02]
// npm run generate -- --episodes N [--councils 20] [--first-council 1] [--seed S]
// Fills the database (DATABASE_URL, or the embedded one) with synthetic data. With --people: a
// population for a council — households of adults and children with common UK names of many origins,
// schools, plausible ages, and a known share of deliberate near-duplicates (recorded in
// synthetic_duplicates). With --episodes: CAF episodes at every stage spread over the synthetic
// councils E09999001 onwards, each with its child and the records the use cases would make
// (see scripts/lib/episodes.ts). No real person's data.
import { sql, type Kysely } from 'kysely'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrate } from '../src/db/migrate.ts'
import type { DB } from '../src/db/schema.ts'
import { generateEpisodes } from './lib/episodes.ts'
import { BATCH, insertPeople, isoDate, setUp, THIS_YEAR, type PersonRow } from './lib/population.ts'
import { misspell, NAMES, nickname, rng, slipDate, syntheticNhsNumber, syntheticPostcode, syntheticUpn, type Rng } from './lib/synthetic.ts'

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    la: { type: 'string', default: 'E09999001' },
    seed: { type: 'string', default: '42' },
    duplicates: { type: 'string', default: '0.02' },
    episodes: { type: 'string' },
    councils: { type: 'string', default: '20' },
    'first-council': { type: 'string', default: '1' },
  },
})
const total = Number(args.people)
const dupRate = Number(args.duplicates)
if (!Number.isInteger(total) || total < 1 || total > 20_000_000) throw new Error('--people must be a whole number from 1 to 20,000,000')
if (!(dupRate >= 0 && dupRate <= 0.5)) throw new Error('--duplicates must be between 0 and 0.5')
const episodes = args.episodes === undefined ? null : Number(args.episodes)
const councils = Number(args.councils)
if (episodes !== null && (!Number.isInteger(episodes) || episodes < 1 || episodes > 5_000_000))
  throw new Error('--episodes must be a whole number from 1 to 5,000,000')
if (!Number.isInteger(councils) || councils < 1 || councils > 100) throw new Error('--councils must be a whole number from 1 to 100')
const firstCouncil = Number(args['first-council'])
if (!Number.isInteger(firstCouncil) || firstCouncil < 1 || firstCouncil + councils - 1 > 999)
  throw new Error('--first-council must be a whole number from 1, and the last council 999 or less')

/** A deliberate near-duplicate of a child: a misspelt name, a nickname, or a date-of-birth slip. */
function nearDuplicate(original: PersonRow, id: number, r: Rng): { row: PersonRow; kind: string } {
  const kind = r.pick(['transposition', 'substitution', 'deletion', 'sound-alike', 'nickname', 'dob-swap', 'dob-digit'] as const)
  const row = { ...original, id, nhs: null, upn: null }
  if (kind === 'nickname') row.given = nickname(original.given, r) ?? misspell(original.given, 'sound-alike', r)
  else if (kind === 'dob-swap' || kind === 'dob-digit') row.dob = slipDate(original.dob, kind === 'dob-swap' ? 'swap' : 'digit', r) ?? original.dob
  else if (r.chance(0.5)) row.family = misspell(original.family, kind, r)
  else row.given = misspell(original.given, kind, r)
  return { row, kind }
}

async function main() {
  const config = loadConfig()
  const database = await openDatabase(config)
  try {
    await migrate(database.db)
    if (episodes === null) await generatePeople(database.db, database.kind)
    else await generateEpisodes(database.db, { episodes, councils, firstCouncil, seed: Number(args.seed), engine: database.kind })
  } finally {
    await database.close()
  }
}

async function generatePeople(db: Kysely<DB>, engine: string) {
  const started = performance.now()
  const ctx = await setUp(db, args.la!)
  const r = rng(Number(args.seed))
  const firstId = Number((await sql<{ v: number }>`select nextval('people_id_seq') as v`.execute(db)).rows[0]!.v)
  let nextId = firstId
  let made = 0
  let households = 0
  let duplicates = 0
  while (made < total) {
    const people: PersonRow[] = []
    const members: { household: number; person: number }[] = []
    const relations: { adult: number; child: number; relationship: string }[] = []
    const dups: { original: number; duplicate: number; kind: string }[] = []
    const householdIds: number[] = []
    while (people.length < BATCH && made + people.length < total) {
      const family = r.pick(NAMES.family)
      const postcode = syntheticPostcode(r)
      const household = householdIds.length
      householdIds.push(household)
      const adults: number[] = []
      for (let a = 0; a < (r.chance(0.7) ? 2 : 1); a++) {
        const sex = a === 0 ? 'female' : 'male'
        const row: PersonRow = {
          id: nextId++,
          given: r.pick(NAMES[sex]),
          family,
          sex,
          dob: isoDate(r, 1965, THIS_YEAR - 19),
          postcode,
          school: null,
          nhs: syntheticNhsNumber(r),
          upn: null,
        }
        people.push(row)
        adults.push(row.id)
        members.push({ household, person: row.id })
      }
      for (let c = 0; c < r.int(1, 4); c++) {
        const sex = r.chance(0.5) ? 'female' : 'male'
        const dob = isoDate(r, THIS_YEAR - 17, THIS_YEAR)
        const age = THIS_YEAR - Number(dob.slice(0, 4))
        const row: PersonRow = {
          id: nextId++,
          given: r.pick(NAMES[sex]),
          family,
          sex,
          dob,
          postcode,
          school: age >= 5 ? ctx.schools[(age >= 11 ? 30 : 0) + r.int(0, age >= 11 ? 9 : 29)]! : null,
          nhs: syntheticNhsNumber(r),
          upn: age >= 5 ? syntheticUpn(r) : null,
        }
        people.push(row)
        members.push({ household, person: row.id })
        adults.forEach((adult, i) => relations.push({ adult, child: row.id, relationship: i === 0 ? 'mother' : 'father' }))
        if (r.chance(dupRate)) {
          const { row: dup, kind } = nearDuplicate(row, nextId++, r)
          people.push(dup)
          dups.push({ original: row.id, duplicate: dup.id, kind })
        }
      }
    }
    await sql`select setval('people_id_seq', ${nextId})`.execute(db)
    await insertPeople(db, ctx, people)
    const hh = await sql<{
      id: number
    }>`insert into households (la_id, created_by) select ${ctx.laId}, ${ctx.userId} from generate_series(1, ${householdIds.length}) returning id`.execute(db)
    const hhIds = hh.rows.map((h) => h.id)
    await sql`insert into household_members (la_id, household_id, person_id)
        select ${ctx.laId}, h, p from unnest(${members.map((m) => hhIds[m.household]!)}::bigint[], ${members.map((m) => m.person)}::bigint[]) as u(h, p)`.execute(
      db,
    )
    if (relations.length) {
      await sql`insert into relationships (la_id, person_id, child_id, relationship, parental_responsibility)
          select ${ctx.laId}, a, c, rel, true from unnest(${relations.map((x) => x.adult)}::bigint[], ${relations.map((x) => x.child)}::bigint[], ${relations.map((x) => x.relationship)}::text[]) as u(a, c, rel)`.execute(
        db,
      )
    }
    if (dups.length) {
      await sql`insert into synthetic_duplicates (la_id, original_id, duplicate_id, kind)
          select ${ctx.laId}, o, d, k from unnest(${dups.map((x) => x.original)}::bigint[], ${dups.map((x) => x.duplicate)}::bigint[], ${dups.map((x) => x.kind)}::text[]) as u(o, d, k)`.execute(
        db,
      )
    }
    made += people.length
    households += householdIds.length
    duplicates += dups.length
    process.stdout.write(`\r${made.toLocaleString('en-GB')} people in ${households.toLocaleString('en-GB')} households (${duplicates} near-duplicates)`)
  }
  // VACUUM sets the visibility map, so searches can answer from the covering index without visiting the table.
  await sql`vacuum analyze people`.execute(db)
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(
    `\nGenerated ${made.toLocaleString('en-GB')} people for ${args.la} in ${seconds.toFixed(1)} s (${Math.round(made / seconds).toLocaleString('en-GB')} a second) on ${engine}.\n`,
  )
}

await main()
