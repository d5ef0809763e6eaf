// npm run bench:queues -- [--la CODE] [--runs N]
// Times the work queues on the database made by `npm run generate -- --episodes N`: the hub's desk
// for one council (every queue's count, one query) and the first page of each list, p50/p95, beside
// the same SQL run by hand. Also the desk of a manager (their agency) and a practitioner (their own),
// whose scopes apply the episode access rule in SQL.
import { sql } from 'kysely'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { NO_FILTERS } from '../src/features/desk/filters.ts'
import { context, deskCounts, deskCountsQuery, queueList, queueListQuery } from '../src/features/desk/queries.ts'
import { QUEUE_KEYS, type QueueKey } from '../src/features/desk/queues.ts'
import type { Actor } from '../src/web/actor.ts'
import { isRole } from '../src/web/permissions.ts'
import { pct, timeRaw } from './lib/bench.ts'

const { values: args } = parseArgs({ options: { la: { type: 'string', default: 'E09999001' }, runs: { type: 'string', default: '40' } } })
const runs = Number(args.runs)
const DESK_GOAL = 150
const LIST_GOAL = 100
const RATIO_GOAL = 1.5

async function main() {
  const database = await openDatabase(loadConfig())
  const db = database.db
  try {
    const la = await db.selectFrom('local_authorities').select('id').where('code', '=', args.la!).executeTakeFirst()
    if (!la) throw new Error(`No council ${args.la}: run npm run generate -- --episodes N first`)
    const [episodes, all] = await Promise.all([
      sql<{ n: string }>`select count(*) as n from episodes where la_id = ${la.id}`.execute(db),
      sql<{ n: string; councils: string }>`select count(*) as n, count(distinct la_id) as councils from episodes`.execute(db),
    ])
    const actorWith = async (role: string): Promise<Actor> => {
      const u = await db
        .selectFrom('users')
        .select(['id', 'la_id', 'agency_id', 'roles', 'manages_locality_id'])
        .where('la_id', '=', la.id)
        .where(sql<boolean>`${role} = any(roles)`)
        .where('email', 'like', 'synthetic-%')
        .orderBy('id')
        .executeTakeFirstOrThrow()
      return {
        userId: u.id,
        laId: u.la_id,
        agencyId: u.agency_id,
        fullName: 'Bench',
        email: 'bench@synthetic.invalid',
        roles: u.roles.filter(isRole),
        managesLocalityId: u.manages_locality_id,
        sessionId: '',
      }
    }
    const hub = await actorWith('coordinator')
    const rows: { name: string; app: number[]; raw: number[]; goal: number }[] = []
    const measure = async (name: string, goal: number, app: () => Promise<unknown>, raw: () => Promise<number>) => {
      for (let i = 0; i < 3; i++) await app() // warm the caches and plans, as a running server would be
      const a: number[] = []
      const b: number[] = []
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        await app()
        a.push(performance.now() - t0)
        b.push(await raw())
      }
      rows.push({ name, app: a, raw: b, goal })
    }
    for (const [name, actor, scope] of [
      ['hub’s desk (council)', hub, 'council'],
      ['manager’s desk (agency)', await actorWith('manager'), 'agency'],
      ['practitioner’s desk (mine)', await actorWith('practitioner'), 'mine'],
    ] as const) {
      const filters = { ...NO_FILTERS, scope }
      await measure(
        name,
        DESK_GOAL,
        () => deskCounts(db, actor, filters),
        () => timeRaw(db, deskCountsQuery(actor, filters).query.compile(db)),
      )
    }
    const counts = (await deskCounts(db, hub, NO_FILTERS)).counts
    for (const key of QUEUE_KEYS as readonly QueueKey[]) {
      await measure(
        `list: ${key} (${counts[key].toLocaleString('en-GB')})`,
        LIST_GOAL,
        () => queueList(db, hub, key, NO_FILTERS),
        () => timeRaw(db, queueListQuery(context(hub, NO_FILTERS), key, 1).compile(db)),
      )
    }

    const f = (x: number) => x.toFixed(1).padStart(8)
    console.log(
      `\nWork queues benchmark on ${database.kind}: ${Number(episodes.rows[0]!.n).toLocaleString('en-GB')} episodes in ${args.la}, ` +
        `${Number(all.rows[0]!.n).toLocaleString('en-GB')} across ${all.rows[0]!.councils} councils; ${runs} runs each\n`,
    )
    console.log(`${''.padEnd(36)}  app p50  app p95  raw p50  raw p95   ratio  goal`)
    let met = true
    for (const r of rows) {
      const ratio = pct(r.app, 95) / pct(r.raw, 95)
      const ok = pct(r.app, 95) < r.goal && ratio <= RATIO_GOAL
      met &&= ok
      console.log(
        `${r.name.padEnd(36)} ${f(pct(r.app, 50))} ${f(pct(r.app, 95))} ${f(pct(r.raw, 50))} ${f(pct(r.raw, 95))}  ${ratio.toFixed(2).padStart(5)}x  ${ok ? 'met' : 'NOT MET'} (p95 < ${r.goal} ms, <= ${RATIO_GOAL}x raw)`,
      )
    }
    console.log(`\n${met ? 'Every goal met.' : 'Some goals NOT MET.'}\n`)
  } finally {
    await database.close()
  }
}

await main()
