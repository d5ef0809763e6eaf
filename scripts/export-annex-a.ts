// npm run export:annex-a -- --la E09999001 --date 2026-12-01 --format xlsx --out list2.xlsx
// Writes Ofsted Annex A list 2 (early help) for one council on a date, as the page does, for councils'
// data teams and scheduled jobs. Reads DATABASE_URL (REPORTING_DATABASE_URL for the rows, when set),
// or the embedded database `npm start` uses (stop the server first: one process at a time may open it).
// Exits 2 on bad arguments and 1 when the export cannot be made, each with a message saying why.
import fs from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.ts'
import { openDatabase, openPostgres, type Database } from '../src/db/connection.ts'
import { migrate } from '../src/db/migrate.ts'
import { audit } from '../src/features/audit/audit-log.ts'
import { writeList2 } from '../src/features/reports/annex-a/list-2.ts'
import { requestFromArguments } from '../src/features/reports/annex-a/request.ts'

const USAGE = 'Usage: npm run export:annex-a -- --la E09999001 --date 2026-12-01 --format xlsx|csv --out list2.xlsx'

class Refused extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message)
  }
}

function readArguments() {
  let values: Record<string, string | undefined>
  try {
    ;({ values } = parseArgs({
      options: { la: { type: 'string' }, date: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    throw new Refused(`${(error as Error).message}\n${USAGE}`, 2)
  }
  const problems: string[] = []
  if (!values.la) problems.push('--la: give the council’s code, like E09999001')
  else if (!/^[A-Za-z0-9]{1,12}$/.test(values.la)) problems.push(`--la: "${values.la}" is not a council code (letters and digits, like E09999001)`)
  const read = requestFromArguments(values.date, values.format)
  if ('errors' in read) {
    if (read.errors.date)
      problems.push(`--date: ${values.date === undefined ? 'give the date the list is for, like 2026-12-01' : `${read.errors.date} (as 2026-12-01)`}`)
    if (read.errors.format) problems.push('--format: give xlsx or csv')
  }
  if (!values.out) problems.push('--out: give the file to write, like list2.xlsx')
  if (problems.length || 'errors' in read) throw new Refused(`${problems.join('\n')}\n${USAGE}`, 2)
  return { la: values.la!, out: values.out!, ...read.request }
}

async function main() {
  const args = readArguments()
  const config = loadConfig()
  const database = await openDatabase(config)
  let reporting: Database | undefined
  try {
    // The embedded database may be new (a fresh clone): bring it up to date. A server is migrated by the app.
    if (database.kind === 'pglite') await migrate(database.db)
    const council = await database.db.selectFrom('local_authorities').select(['id', 'name']).where('code', '=', args.la).executeTakeFirst()
    if (!council) {
      const known = await database.db.selectFrom('local_authorities').select(['code', 'name']).orderBy('code').execute()
      const list = known.length
        ? `Councils here: ${known.map((c) => `${c.code} (${c.name})`).join(', ')}.`
        : 'There are no councils here yet: run npm start once to seed the demo.'
      throw new Refused(`No council with the code ${args.la}. ${list}`, 1)
    }
    reporting = config.reportingDatabaseUrl ? await openPostgres(config.reportingDatabaseUrl, 1) : undefined
    // Written beside the file and renamed once complete: a failed export leaves no half-written list.
    const partial = `${args.out}.part`
    let rows: number
    try {
      rows = await writeList2((reporting ?? database).db, council.id, args.date, args.format, fs.createWriteStream(partial))
      await rename(partial, args.out)
    } catch (error) {
      await rm(partial, { force: true })
      throw error
    }
    await audit(database.db, {
      laId: council.id,
      action: 'inspection.annex-a-exported',
      recordType: 'annex-a',
      detail: { date: args.date, format: args.format, rows, via: 'command line' },
    })
    process.stdout.write(`Wrote ${rows.toLocaleString('en-GB')} rows of Annex A list 2 for ${council.name} on ${args.date} to ${args.out} (${args.format}).\n`)
  } finally {
    await reporting?.close()
    await database.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(error instanceof Refused ? error.code : 1)
})
