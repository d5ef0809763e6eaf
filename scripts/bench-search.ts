// npm run bench:search -- [--la CODE] [--queries N] [--seed S]
// Times the "Is there already a CAF?" search on the database made by `npm run generate`, and scores
// its quality: p50/p95 of the search use case (SQL + ranking) and of the raw SQL it runs, then
// recall@10 and precision over misspelt queries whose true person is known.
import { sql } from 'kysely'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { LIKELY_MATCH } from '../src/features/people/matching.ts'
import { candidateQuery, findPeople, searchTerms } from '../src/features/people/search.ts'
import { pct, timeRaw } from './lib/bench.ts'
import { misspell, nickname, rng, slipDate } from './lib/synthetic.ts'

const { values: args } = parseArgs({
  options: { la: { type: 'string', default: 'E09999001' }, queries: { type: 'string', default: '300' }, seed: { type: 'string', default: '7' } },
})
/** Mistakes in a full name and date of birth, as the one box is usually used. */
const KINDS = ['exact', 'transposition', 'substitution', 'deletion', 'insertion', 'sound-alike', 'nickname', 'swapped', 'dob-swap', 'dob-digit'] as const
/** How people are told about a child: one name and a date of birth, or the date written out (issue 15 item 7). */
const TOLD = ['given+dob', 'family+dob', 'date-in-words', 'date-iso'] as const
type Kind = (typeof KINDS)[number] | (typeof TOLD)[number]

const ukDate = (iso: string) => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}/${iso.slice(0, 4)}`
const inWords = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/** The words typed for one person, by what the practitioner knows and how they write it. */
function typed(kind: (typeof TOLD)[number], p: { given_name: string; family_name: string; date_of_birth: string }): string {
  if (kind === 'given+dob') return `${p.given_name} ${ukDate(p.date_of_birth)}`
  if (kind === 'family+dob') return `${p.family_name} ${ukDate(p.date_of_birth)}`
  if (kind === 'date-in-words') return `${p.given_name} ${p.family_name}, born ${inWords(p.date_of_birth)}`
  return `${p.given_name} ${p.family_name} ${p.date_of_birth}`
}

async function main() {
  const database = await openDatabase(loadConfig())
  const db = database.db
  try {
    const la = await db.selectFrom('local_authorities').select('id').where('code', '=', args.la!).executeTakeFirst()
    if (!la) throw new Error(`No council ${args.la}: run npm run generate -- --people N --la ${args.la} first`)
    const count = Number((await sql<{ n: number }>`select count(*) as n from people where la_id = ${la.id}`.execute(db)).rows[0]!.n)
    const r = rng(Number(args.seed))
    const n = Number(args.queries)
    // Children with a date of birth, sampled evenly through the table.
    const sample = await sql<{ id: number; given_name: string; family_name: string; date_of_birth: string }>`
      select id, given_name, family_name, date_of_birth from people
      where la_id = ${la.id} and merged_into is null and date_of_birth > current_date - interval '18 years' and given_name is not null and family_name is not null
      and id not in (select duplicate_id from synthetic_duplicates)
      order by md5(id::text || ${args.seed}) limit ${n}`.execute(db)
    const dupRows = await sql<{
      original_id: number
      duplicate_id: number
    }>`select original_id, duplicate_id from synthetic_duplicates where la_id = ${la.id}`.execute(db)
    const samePerson = new Map<number, Set<number>>()
    for (const d of dupRows.rows) {
      for (const [a, b] of [
        [d.original_id, d.duplicate_id],
        [d.duplicate_id, d.original_id],
      ] as const)
        samePerson.set(a, (samePerson.get(a) ?? new Set()).add(b))
    }

    const queries = sample.rows.map((p, i) => {
      const kind: Kind = KINDS[i % KINDS.length]!
      let given = p.given_name
      let family = p.family_name
      let dob = p.date_of_birth
      if (kind === 'nickname') given = nickname(given, r) ?? misspell(given, 'sound-alike', r)
      else if (kind === 'swapped') [given, family] = [family, given]
      else if (kind === 'dob-swap' || kind === 'dob-digit') dob = slipDate(dob, kind === 'dob-swap' ? 'swap' : 'digit', r) ?? dob
      else if (kind !== 'exact') {
        if (r.chance(0.5)) family = misspell(family, kind, r)
        else given = misspell(given, kind, r)
      }
      return { truth: p.id, kind: kind as Kind, text: `${given} ${family} ${ukDate(dob)}` }
    })
    // The same people again, as a practitioner told only part of it would search.
    queries.push(...sample.rows.flatMap((p, i) => (i % 3 ? [] : TOLD.map((kind) => ({ truth: p.id, kind: kind as Kind, text: typed(kind, p) })))))

    // Warm up caches and plans, as a running server would be.
    for (const q of queries.slice(0, 20)) await findPeople(db, la.id, { text: q.text, dob: null, postcode: null, schoolId: null, nhsNumber: null, upn: null })

    const useCaseMs: number[] = []
    const rawMs: number[] = []
    const hitsByKind = new Map<Kind, [number, number]>()
    let found = 0
    let likely = 0
    let likelyCorrect = 0
    for (const q of queries) {
      const t0 = performance.now()
      const results = await findPeople(db, la.id, { text: q.text, dob: null, postcode: null, schoolId: null, nhsNumber: null, upn: null }, 10)
      useCaseMs.push(performance.now() - t0)

      const { given, family, canon, dates } = searchTerms(q.text)
      rawMs.push(await timeRaw(db, candidateQuery(la.id, { given, family, canon, dates, postcode: null, nhsNumber: null, upn: null }).compile(db)))

      const correct = new Set([q.truth, ...(samePerson.get(q.truth) ?? [])])
      const hit = results.some((x) => correct.has(x.id))
      if (hit) found++
      const [h, t] = hitsByKind.get(q.kind) ?? [0, 0]
      hitsByKind.set(q.kind, [h + (hit ? 1 : 0), t + 1])
      for (const x of results.filter((x) => x.score >= LIKELY_MATCH)) {
        likely++
        if (correct.has(x.id)) likelyCorrect++
      }
    }

    const f = (x: number) => x.toFixed(2).padStart(7)
    console.log(
      `\nSearch benchmark on ${database.kind}: ${count.toLocaleString('en-GB')} people in ${args.la}, ${queries.length} queries (name + date of birth with one mistake; one name + date of birth; dates written out)\n`,
    )
    console.log('                              p50 ms    p95 ms')
    console.log(`search use case (SQL+rank)  ${f(pct(useCaseMs, 50))}   ${f(pct(useCaseMs, 95))}`)
    console.log(`raw SQL baseline            ${f(pct(rawMs, 50))}   ${f(pct(rawMs, 95))}`)
    console.log(`target: p95 under 50 ms (use case) -> ${pct(useCaseMs, 95) < 50 ? 'met' : 'NOT MET'}\n`)
    console.log(`recall@10:  ${((100 * found) / queries.length).toFixed(1)}% (true person in the first 10 results)`)
    console.log(
      `precision:  ${likely ? ((100 * likelyCorrect) / likely).toFixed(1) : 'n/a'}% of results shown as likely matches (score >= ${LIKELY_MATCH}) were the true person\n`,
    )
    for (const [kind, [h, t]] of hitsByKind) console.log(`  ${kind.padEnd(14)} recall@10 ${((100 * h) / t).toFixed(0).padStart(3)}% (${h}/${t})`)
  } finally {
    await database.close()
  }
}

await main()
