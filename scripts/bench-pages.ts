// npm run bench:pages -- [--requests N]
// Times the pages a practitioner opens most (the episode, the plan, distance travelled, a search),
// signed in, each beside a plain page (the home page) in the same run, on a fresh Demo Borough in a
// temporary embedded database (or DATABASE_URL's server). Goal: each within 2x the plain page.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrate } from '../src/db/migrate.ts'
import { seedDemo } from '../src/features/demo/seed.ts'
import { createServices } from '../src/services.ts'
import { pct } from './lib/bench.ts'

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '200' } } })
const requests = Number(args.requests)
if (!Number.isInteger(requests) || requests < 10) throw new Error('--requests must be a whole number of 10 or more')

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'caf-bench-pages-'))
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO: 'true' })
  // The time each page spends in the database, beside its whole answer: what a read model can save.
  const sql = { on: false, ms: 0, queries: 0 }
  const database = await openDatabase(config, (event) => {
    if (sql.on && event.level === 'query') {
      sql.ms += event.queryDurationMillis
      sql.queries++
    }
  })
  try {
    await migrate(database.db)
    const demo = await seedDemo(database.db)
    if (!demo) throw new Error('bench:pages seeds Demo Borough, so it needs an empty database')
    const app = await createApp(createServices(database, config), { logger: false })
    const signIn = await app.inject({ method: 'GET', url: '/sign-in' })
    const preCookie = [signIn.cookies]
      .flat()
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(signIn.body)![1]!
    const signedIn = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: preCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, email: 'practitioner@demo-borough.example', password: demo.password, returnTo: '/' }).toString(),
    })
    if (signedIn.statusCode !== 303) throw new Error(`could not sign in (${signedIn.statusCode})`)
    const cookie = [signedIn.cookies]
      .flat()
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
    const okafors = await database.db
      .selectFrom('episodes as e')
      .innerJoin('episode_people as ep', 'ep.episode_id', 'e.id')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select('e.id')
      .where('p.family_name', '=', 'Okafor')
      .executeTakeFirstOrThrow()
    const pages = [
      ['the home page (plain)', '/'],
      ['the episode', `/episodes/${okafors.id}`],
      ['the plan', `/episodes/${okafors.id}/plan`],
      ['distance travelled', `/episodes/${okafors.id}/progress`],
      ['search', '/people?q=John+Smith&dob-day=4&dob-month=3&dob-year=2015'],
    ] as const
    const times = new Map<string, number[]>(pages.map(([name]) => [name, []]))
    const sqlTimes = new Map<string, number[]>(pages.map(([name]) => [name, []]))
    const queries = new Map<string, number>()
    // Warm up, then take turns so that the machine's noise falls on every page alike.
    for (let round = -20; round < requests; round++) {
      for (const [name, url] of pages) {
        Object.assign(sql, { on: true, ms: 0, queries: 0 })
        const start = performance.now()
        const res = await app.inject({ method: 'GET', url, headers: { cookie } })
        const ms = performance.now() - start
        sql.on = false
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
        if (round >= 0) {
          times.get(name)!.push(ms)
          sqlTimes.get(name)!.push(sql.ms)
          queries.set(name, sql.queries)
        }
      }
    }
    const plain = pct(times.get(pages[0][0])!, 50)
    console.log(`${requests} requests of each page, signed in as the demo practitioner, on ${database.kind}`)
    console.log('page                   p50 ms   p95 ms   p50 / plain page   queries   p50 ms in SQL')
    for (const [name] of pages) {
      const xs = times.get(name)!
      const ratio = pct(xs, 50) / plain
      console.log(
        `${name.padEnd(22)} ${pct(xs, 50).toFixed(1).padStart(6)}   ${pct(xs, 95).toFixed(1).padStart(6)}   ${`${ratio.toFixed(1)}x${ratio > 2 ? ' (not met)' : ''}`.padEnd(16)}   ${String(queries.get(name)).padStart(7)}   ${pct(sqlTimes.get(name)!, 50).toFixed(1).padStart(13)}`,
      )
    }
    await app.close()
  } finally {
    await database.close()
    await fs.rm(dataDir, { recursive: true, force: true })
  }
}

await main()
