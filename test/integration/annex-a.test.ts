import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { openPglite } from '../../src/db/connection.ts'
import { migrate } from '../../src/db/migrate.ts'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { writeList2 } from '../../src/features/reports/annex-a/list-2.ts'
import { LIST_2_COLUMNS } from '../../src/features/reports/annex-a/list-2.ts'
import type { Actor } from '../../src/web/actor.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { schemaProblems } from '../helpers/annex-a-schema.ts'
import { actorOf, buildEpisode, buildPerson, buildUser, householdOf } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Ofsted Annex A list 2, from episodes made through the use cases and moved to known days around the
 * date of the list (30 November 2026), validated against Ofsted's schema file as a data team would.
 */

const ON = '2026-11-30'
const UNIQUE = ['Child Unique ID', 'Assessment start date']
const run = promisify(execFile)

let t: TestApp
let staff: Staff
const ids: Record<string, number> = {}

const at = (day: string) => sql`(${day}::date + time '12:00') at time zone 'Europe/London'`

/** A CAF for the children given, its assessment started, completed and closed on the days given (UK time). */
async function assessment(
  db: Kysely<DB>,
  s: Staff,
  children: Awaited<ReturnType<typeof buildPerson>>[],
  days: { started: string; completed?: string; closed?: string },
) {
  const lead = s.actor('practitioner')
  const { id } = await buildEpisode(db, lead, { consentedAgencies: [s.agencies.school.id], family: await householdOf(db, lead, children), lead: true })
  if (days.closed) await closeEpisode(db, lead, id, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: 'Done' })
  await sql`update episodes set assessment_started_at = ${at(days.started)},
    assessment_completed_at = ${days.completed ? at(days.completed) : at('2026-12-02')}, closed_at = ${days.closed ? at(days.closed) : null}
    where id = ${id}`.execute(db)
  return id
}

/** The known set: who is in the list on 30 November 2026, and who is not. */
async function knownEpisodes(db: Kysely<DB>, s: Staff) {
  const by = s.actor('practitioner')
  const child = (details: Parameters<typeof buildPerson>[2]) => buildPerson(db, by, details)
  const oliver = await child({ sex: 'male', ethnicity: 'WBRI', dateOfBirth: '2015-06-01' })
  ids.oliver = oliver.id
  // Started within the six months and completed before the date.
  await assessment(db, s, [oliver], { started: '2026-10-01', completed: '2026-10-20' })
  // Started long before, still open: a current episode, assessment completed after the date (blank).
  const [ava, noah] = [await child({ sex: 'female', ethnicity: 'BAFR', dateOfBirth: '2012-01-01' }), await child({ dateOfBirth: '2012-01-02' })]
  ids.ava = ava.id
  ids.noah = noah.id
  await assessment(db, s, [ava, noah], { started: '2026-03-01' })
  // Their dates of birth corrected since: Ava turned 18 on the date of the list, Noah the day after.
  await sql`update people set date_of_birth = case id when ${ava.id} then '2008-11-30'::date else '2008-12-01'::date end where id in (${ava.id}, ${noah.id})`.execute(
    db,
  )
  // Started on the first day of the six months, closed since: in. A day earlier, closed: out.
  const mia = await child({ sex: 'indeterminate', ethnicity: 'NOBT', dateOfBirth: '2019-01-15' })
  ids.mia = mia.id
  await assessment(db, s, [mia], { started: '2026-05-31', completed: '2026-06-10', closed: '2026-06-30' })
  const leo = await child({ sex: 'male' })
  ids.leo = leo.id
  await assessment(db, s, [leo], { started: '2026-05-30', completed: '2026-06-10', closed: '2026-07-01' })
  // Closed on the date itself, started long before: no longer current. Started after the date: not yet.
  const ella = await child({ sex: 'female' })
  ids.ella = ella.id
  await assessment(db, s, [ella], { started: '2026-01-05', completed: '2026-02-01', closed: ON })
  const finn = await child({ sex: 'male' })
  ids.finn = finn.id
  await assessment(db, s, [finn], { started: '2026-12-01' })
}

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  await knownEpisodes(t.db, staff)
})
after(() => t?.close())

const csvRows = (text: string) => parse(text, { bom: true }) as string[][]

async function csvOf(db: Kysely<DB>, laId: number): Promise<string[][]> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await writeList2(db, laId, ON, 'csv', out)
  return csvRows(Buffer.concat(chunks).toString('utf8'))
}

async function xlsxRows(buffer: Buffer): Promise<{ sheets: string[]; rows: string[][] }> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(buffer as unknown as ArrayBuffer)
  const sheet = book.getWorksheet('List 2')
  const rows: string[][] = []
  sheet?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = []
    for (let c = 1; c <= 8; c++) {
      const v = row.getCell(c).value
      cells.push(v === null || v === undefined ? '' : String(v))
    }
    rows.push(cells)
  })
  return { sheets: book.worksheets.map((w) => w.name), rows }
}

describe('the rows, in Ofsted’s codes', () => {
  test('who is in the list: the six months before the date and the episodes still open on it', async () => {
    const [, ...rows] = await csvOf(t.db, staff.la.id)
    assert.deepEqual(
      rows.map((r) => Number(r[0])).sort(),
      [ids.oliver, ids.ava, ids.noah, ids.mia].sort((a, b) => a! - b!),
    )
  })

  test('each column as the schema has it: codes, dd/mm/yyyy dates, age on the date, blank completion while open', async () => {
    const [, ...rows] = await csvOf(t.db, staff.la.id)
    const row = (id: number) => rows.find((r) => r[0] === String(id))
    assert.deepEqual(row(ids.oliver!), [String(ids.oliver), 'a) Male', 'a) WBRI', '01/06/2015', '11', '01/10/2026', '20/10/2026', staff.agencies.school.name])
    assert.deepEqual(row(ids.ava!)!.slice(1, 7), ['b) Female', 'o) BAFR', '30/11/2008', '18', '01/03/2026', ''], 'eighteen on the date itself')
    assert.deepEqual(
      row(ids.noah!)!.slice(1, 5),
      ['c) Not stated/recorded', 't) NOBT', '01/12/2008', '17'],
      'seventeen until the next day; no ethnicity recorded is NOBT',
    )
    assert.deepEqual(row(ids.mia!)!.slice(1, 3), ['d) Neither', 't) NOBT'])
  })

  test('the CSV validates against Ofsted’s schema file', async () => {
    const [headers, ...rows] = await csvOf(t.db, staff.la.id)
    assert.equal(rows.length, 4)
    assert.deepEqual(schemaProblems('list_2', headers!, rows, UNIQUE), [])
  })

  test('the check would catch a wrong code, a wrong date, a blank start and a repeated row', () => {
    const good = ['103', 'a) Male', 'a) WBRI', '01/06/2015', '11', '01/10/2026', '', 'School']
    const bad = [
      ['101', 'Boy', 'a) WBRI', '01/06/2015', '11', '01/10/2026', '', 'School'],
      ['102', 'a) Male', 'WB', '2015-06-01', '-1', '', '', 'School'],
      good,
      good,
    ]
    assert.deepEqual(schemaProblems('list_2', [...LIST_2_COLUMNS], bad, UNIQUE), [
      'row 2, Gender: "Boy" is not one of the schema\'s codes',
      'row 3, Ethnicity: "WB" is not one of the schema\'s codes',
      'row 3, Date of Birth: "2015-06-01" is not a date as dd/mm/yyyy',
      'row 3, Age of Child (Years): "-1" is not a whole number of at least 0',
      'row 3, Assessment start date: is blank, and may not be',
      'row 5 repeats Child Unique ID + Assessment start date 103|01/10/2026',
    ])
    assert.equal(schemaProblems('list_2', [...LIST_2_COLUMNS].reverse(), [], UNIQUE).length, 1, 'columns out of order')
  })
})

describe('the page, for the data team', () => {
  let dataTeam: Awaited<ReturnType<typeof signInDataTeam>>
  const query = 'date-day=30&date-month=11&date-year=2026'
  const signInDataTeam = async () => {
    const user = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.hub.id, roles: ['data_team'] })
    const { Client } = await import('../helpers/browser-client.ts')
    const client = new Client(t.app)
    await client.signIn(user.email, user.password)
    return { client, actor: actorOf(user, staff.agencies.hub.id, ['data_team']) as Actor }
  }
  before(async () => {
    dataTeam = await signInDataTeam()
  })

  test('downloads the XLSX: one sheet named "List 2" that validates, and the download is audited', async () => {
    assert.equal((await dataTeam.client.get('/reports/annex-a')).statusCode, 200)
    const res = await dataTeam.client.get(`/reports/annex-a/list-2?${query}&format=xlsx`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.match(String(res.headers['content-disposition']), /filename="annex-a-list-2-2026-11-30.xlsx"/)
    const { sheets, rows } = await xlsxRows(res.rawPayload)
    assert.deepEqual(sheets, ['List 2'])
    const [headers, ...body] = rows
    assert.equal(body.length, 4)
    assert.deepEqual(schemaProblems('list_2', headers!, body, UNIQUE), [])
    const audited = await t.db
      .selectFrom('audit_events')
      .select(['detail'])
      .where('action', '=', 'inspection.annex-a-exported')
      .where('actor_user_id', '=', dataTeam.actor.userId)
      .execute()
    assert.equal(audited.length, 1)
    assert.deepEqual(
      { date: (audited[0]!.detail as Record<string, unknown>).date, format: (audited[0]!.detail as Record<string, unknown>).format },
      { date: ON, format: 'xlsx' },
    )
  })

  test('downloads the CSV, which validates', async () => {
    const res = await dataTeam.client.get(`/reports/annex-a/list-2?${query}&format=csv`)
    assert.equal(res.statusCode, 200)
    const [headers, ...rows] = csvRows(res.body)
    assert.deepEqual(schemaProblems('list_2', headers!, rows, UNIQUE), [])
  })

  for (const [bad, field] of [
    ['date-day=31&date-month=11&date-year=2026&format=csv', '#date-day'],
    ['date-day=1&date-month=1&date-year=2099&format=csv', '#date-day'],
    ['date-day=&date-month=&date-year=&format=csv', '#date-day'],
    [`${query}&format=pdf`, '#format'],
  ] as const) {
    test(`a bad request (${bad}) is a 400 with the error summary, and nothing is downloaded or audited`, async () => {
      const before = await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'inspection.annex-a-exported')
        .executeTakeFirstOrThrow()
      const res = await dataTeam.client.get(`/reports/annex-a/list-2?${bad}`)
      assert.equal(res.statusCode, 400)
      assert.match(String(res.headers['content-type']), /text\/html/)
      assert.deepEqual(errorSummaryHrefs(res.body), [field])
      const afterwards = await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'inspection.annex-a-exported')
        .executeTakeFirstOrThrow()
      assert.equal(Number(afterwards.n), Number(before.n))
    })
  }

  test('a manager and a practitioner may not download it', async () => {
    for (const key of ['manager', 'practitioner'] as const) {
      const client = await staff.signIn(t.app, key)
      assert.equal((await client.get(`/reports/annex-a/list-2?${query}&format=csv`)).statusCode, 403, key)
    }
  })
})

describe('the command line', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/export-annex-a.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    )

  for (const [args, message] of [
    [[], /--la: give the council’s code/],
    [['--la', 'Camden Town', '--date', '2026-12-01', '--format', 'csv', '--out', 'x.csv'], /--la: "Camden Town" is not a council code/],
    [['--la', 'E09999001', '--date', '01/12/2026', '--format', 'csv', '--out', 'x.csv'], /--date: The date must be a real date.*\(as 2026-12-01\)/],
    [['--la', 'E09999001', '--date', '2099-01-01', '--format', 'csv', '--out', 'x.csv'], /--date: The date must be today or in the past/],
    [['--la', 'E09999001', '--date', '2026-12-01', '--format', 'pdf', '--out', 'x.pdf'], /--format: give xlsx or csv/],
    [['--la', 'E09999001', '--date', '2026-12-01', '--format', 'csv'], /--out: give the file to write/],
    [['--la', 'E09999001', '--colour', 'red'], /Unknown option '--colour'/],
  ] as const) {
    test(`bad arguments (${args.join(' ') || 'none'}) exit 2 with a message and the usage`, async () => {
      const r = await cli([...args])
      assert.equal(r.code, 2)
      assert.match(r.stderr, message)
      assert.match(r.stderr, /Usage: npm run export:annex-a -- --la/)
    })
  }

  test('writes a list that validates, from the embedded database, and names the councils when the code is not one', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'caf-annex-a-'))
    try {
      const database = await openPglite({ dataDir: path.join(dir, 'pglite') })
      let code: string
      try {
        await migrate(database.db)
        const s = await buildStaff(database.db)
        code = (await database.db.selectFrom('local_authorities').select('code').where('id', '=', s.la.id).executeTakeFirstOrThrow()).code
        await knownEpisodes(database.db, s)
      } finally {
        await database.close()
      }
      const out = path.join(dir, 'list2.csv')
      const ok = await cli(['--la', code, '--date', ON, '--format', 'csv', '--out', out], { DATA_DIR: dir })
      assert.equal(ok.code, 0, ok.stderr)
      assert.match(ok.stdout, new RegExp(`Wrote 4 rows of Annex A list 2 for .* on ${ON} to .*list2.csv \\(csv\\)`))
      const [headers, ...rows] = csvRows(await fs.readFile(out, 'utf8'))
      assert.deepEqual(schemaProblems('list_2', headers!, rows, UNIQUE), [])

      const missing = await cli(['--la', 'E09999999', '--date', ON, '--format', 'xlsx', '--out', path.join(dir, 'none.xlsx')], { DATA_DIR: dir })
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, new RegExp(`No council with the code E09999999\\. Councils here: .*${code}`))
      await assert.rejects(fs.access(path.join(dir, 'none.xlsx')), 'nothing is written')
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
})
