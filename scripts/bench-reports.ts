// npm run bench:reports -- [--la E09999001] [--runs 20] [--export-la E09999021]
// Times the reports on the database made by `npm run generate -- --episodes N` (see the README): one
// council's dashboard (every figure of every report, run together as the pages would) cold (the first
// run in this process) and warm (p50/p95), each figure beside the same SQL sent by hand; and the Annex
// A export of the council named by --export-la, in a process of its own so that its peak memory is
// its own: rows a second and peak RSS, beside the raw cursor reading the same rows.
import { execFile } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { parseArgs } from 'node:util'
import { sql, type Kysely } from 'kysely'
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import type { DB } from '../src/db/schema.ts'
import { writeList2 } from '../src/features/reports/annex-a/list-2.ts'
import { list2Query } from '../src/features/reports/annex-a/list-2.ts'
import { runFigure, type FigureContext } from '../src/features/reports/figure.ts'
import { financialYear, financialYearOf } from '../src/features/reports/filters.ts'
import { REPORTS } from '../src/features/reports/reports.ts'
import { today } from '../src/web/dates.ts'
import { pct, timeRaw } from './lib/bench.ts'

const { values: args } = parseArgs({
  options: {
    la: { type: 'string', default: 'E09999001' },
    runs: { type: 'string', default: '20' },
    'export-la': { type: 'string', default: 'E09999021' },
    'export-only': { type: 'boolean', default: false },
    format: { type: 'string', default: 'xlsx' },
  },
})
const runs = Number(args.runs)
const DASHBOARD_GOAL = 500
const RATIO_GOAL = 2
const EXPORT_RATE_GOAL = 50_000
const EXPORT_RSS_GOAL = 200

async function councilId(db: Kysely<DB>, code: string): Promise<number> {
  const la = await db.selectFrom('local_authorities').select('id').where('code', '=', code).executeTakeFirst()
  if (!la) throw new Error(`No council ${code}: run npm run generate -- --episodes N first (see the README)`)
  return la.id
}

/** In the child process: one export, timed, with its peak memory, then the same rows read raw from the cursor. */
async function exportOnly(db: Kysely<DB>) {
  const laId = await councilId(db, args['export-la']!)
  const file = path.join(os.tmpdir(), `bench-annex-a-${process.pid}.${args.format}`)
  let peak = 0
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  const t0 = performance.now()
  const rows = await writeList2(db, laId, today(), args.format as 'xlsx' | 'csv', createWriteStream(file))
  const ms = performance.now() - t0
  clearInterval(sample)
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
  await rm(file, { force: true })
  // The baseline: the same query through a cursor, 5,000 rows at a time, nothing written.
  const r0 = performance.now()
  let raw = 0
  await db.transaction().execute(async (tx) => {
    await sql`declare bench no scroll cursor for ${list2Query(laId, today())}`.execute(tx)
    for (;;) {
      const { rows: batch } = await sql`fetch 5000 from bench`.execute(tx)
      if (!batch.length) break
      raw += batch.length
    }
  })
  process.stdout.write(JSON.stringify({ rows, ms, rawRows: raw, rawMs: performance.now() - r0, peakMb: peak / 1024 / 1024 }))
}

async function dashboard(db: Kysely<DB>, kind: string) {
  const laId = await councilId(db, args.la!)
  const period = financialYear(financialYearOf(today()) - 1)
  const ctx: FigureContext = { scope: { kind: 'council', laId }, filters: { period, localityId: null }, today: today() }
  const figures = REPORTS.flatMap((r) => r.figures.map((f) => ({ report: r.key, f })))
  const [episodes, all] = await Promise.all([
    sql<{ n: string }>`select count(*) as n from episodes where la_id = ${laId}`.execute(db),
    sql<{ n: string; councils: string }>`select count(*) as n, count(distinct la_id) as councils from episodes`.execute(db),
  ])
  const every = () => Promise.all(figures.map(({ f }) => runFigure(db, f, ctx)))

  let t0 = performance.now()
  await every()
  const cold = performance.now() - t0
  const warm: number[] = []
  for (let i = 0; i < runs; i++) {
    t0 = performance.now()
    await every()
    warm.push(performance.now() - t0)
  }
  const rows: { name: string; app: number[]; raw: number[] }[] = []
  for (const { report, f } of figures) {
    const app: number[] = []
    const raw: number[] = []
    for (let i = 0; i < runs; i++) {
      t0 = performance.now()
      await runFigure(db, f, ctx)
      app.push(performance.now() - t0)
      raw.push(await timeRaw(db, f.query(ctx).compile(db)))
    }
    rows.push({ name: `${report}: ${f.key}`, app, raw })
  }

  const n = (x: string) => Number(x).toLocaleString('en-GB')
  const fmt = (x: number) => x.toFixed(1).padStart(8)
  console.log(
    `\nReports benchmark on ${kind}: ${n(episodes.rows[0]!.n)} episodes in ${args.la}, ${n(all.rows[0]!.n)} across ${all.rows[0]!.councils} councils; ` +
      `period ${period.from} to ${period.to}; ${runs} runs each\n`,
  )
  const dashboardMet = cold < DASHBOARD_GOAL && pct(warm, 95) < DASHBOARD_GOAL
  console.log(
    `Dashboard (all ${figures.length} figures at once): cold ${cold.toFixed(1)} ms, warm p50 ${pct(warm, 50).toFixed(1)} ms, p95 ${pct(warm, 95).toFixed(1)} ms` +
      `  ${dashboardMet ? 'met' : 'NOT MET'} (cold and p95 < ${DASHBOARD_GOAL} ms)\n`,
  )
  console.log(`${'figure'.padEnd(34)}  app p50  app p95  raw p50  raw p95   ratio  goal`)
  let met = dashboardMet
  for (const r of rows) {
    const ratio = pct(r.app, 95) / pct(r.raw, 95)
    const ok = ratio <= RATIO_GOAL
    met &&= ok
    console.log(
      `${r.name.padEnd(34)} ${fmt(pct(r.app, 50))} ${fmt(pct(r.app, 95))} ${fmt(pct(r.raw, 50))} ${fmt(pct(r.raw, 95))}  ${ratio.toFixed(2).padStart(5)}x  ${ok ? 'met' : 'NOT MET'} (<= ${RATIO_GOAL}x raw)`,
    )
  }
  return met
}

async function main() {
  const database = await openDatabase(loadConfig())
  try {
    if (args['export-only']) return await exportOnly(database.db)
    const met = await dashboard(database.db, database.kind)
    await database.close()
    // The export, in a process of its own: its peak memory is then the export's alone.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench-reports.ts', '--export-only', '--export-la', args['export-la']!, '--format', args.format!],
      { env: process.env, maxBuffer: 1 << 20 },
    )
    const e = JSON.parse(stdout) as { rows: number; ms: number; rawRows: number; rawMs: number; peakMb: number }
    const rate = e.rows / (e.ms / 1000)
    const rawRate = e.rawRows / (e.rawMs / 1000)
    const exportMet = rate >= EXPORT_RATE_GOAL && e.peakMb < EXPORT_RSS_GOAL
    console.log(
      `\nAnnex A list 2 of ${args['export-la']} (${args.format}): ${e.rows.toLocaleString('en-GB')} rows in ${(e.ms / 1000).toFixed(2)} s = ${Math.round(rate).toLocaleString('en-GB')} rows a second, ` +
        `peak RSS ${e.peakMb.toFixed(0)} MB; raw cursor ${Math.round(rawRate).toLocaleString('en-GB')} rows a second` +
        `  ${exportMet ? 'met' : 'NOT MET'} (>= ${EXPORT_RATE_GOAL.toLocaleString('en-GB')} rows a second, RSS < ${EXPORT_RSS_GOAL} MB)`,
    )
    console.log(`\n${met && exportMet ? 'Every goal met.' : 'Some goals NOT MET.'}\n`)
  } finally {
    await database.close().catch(() => undefined)
  }
}

await main()
