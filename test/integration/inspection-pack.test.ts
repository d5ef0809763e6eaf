import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson, buildUser, householdOf } from '../helpers/factories.ts'
import { Client } from '../helpers/browser-client.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/** The inspection pack: the children with an episode in a period (CSV and XLSX), and the last six months' quality audits. */

let t: TestApp
let staff: Staff
let data: Client
const ids: Record<string, number> = {}
const PERIOD = 'from-day=1&from-month=4&from-year=2026&to-day=30&to-month=6&to-year=2026'

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const by = staff.actor('practitioner')
  const at = (day: string) => sql`(${day}::date + time '12:00') at time zone 'Europe/London'`
  // Open through the period: in. Closed before it began: out.
  const ruby = await buildPerson(t.db, by, { givenName: 'Ruby', familyName: 'Stone', dateOfBirth: '2014-02-03' })
  const first = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id], family: await householdOf(t.db, by, [ruby]), lead: true })
  await sql`update episodes set created_at = ${at('2026-03-01')}, assessment_started_at = ${at('2026-03-05')} where id = ${first.id}`.execute(t.db)
  ids.ruby = ruby.id
  ids.first = first.id
  const gone = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id], lead: true })
  await closeEpisode(t.db, by, gone.id, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: 'Done' })
  await sql`update episodes set created_at = ${at('2026-01-01')}, closed_at = ${at('2026-03-31')} where id = ${gone.id}`.execute(t.db)
  const user = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.hub.id, roles: ['data_team'] })
  data = new Client(t.app)
  await data.signIn(user.email, user.password)
})
after(() => t?.close())

test('the children with an episode open in the period, as CSV and XLSX', async () => {
  const csv = await data.get(`/reports/inspection-pack/children.csv?${PERIOD}`)
  assert.equal(csv.statusCode, 200)
  const [headers, ...rows] = parse(csv.body) as string[][]
  assert.equal(headers![0], 'Child’s number on the register')
  assert.deepEqual(rows, [
    [String(ids.ruby), 'Ruby Stone', '03/02/2014', String(ids.first), '01/03/2026', '05/03/2026', '', 'Assessment complete', staff.agencies.school.name],
  ])

  const xlsx = await data.get(`/reports/inspection-pack/children.xlsx?${PERIOD}`)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  assert.deepEqual(
    book.worksheets.map((w) => w.name),
    ['Children with an episode'],
  )
  assert.equal(book.worksheets[0]!.rowCount, 2)
})

test('a bad period is a 400 with the error summary; the audits download for the hub and the data team; a manager may not', async () => {
  const bad = await data.get('/reports/inspection-pack/children.csv?from-day=1&from-month=13&from-year=2026&to-day=1&to-month=1&to-year=2027')
  assert.equal(bad.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(bad.body), ['#from-day'])
  const audits = await data.get('/reports/inspection-pack/audits.csv')
  assert.equal(audits.statusCode, 200)
  assert.match(audits.body, /^"Audit","Audited on","CAF episode"/)
  assert.equal((await (await staff.signIn(t.app, 'manager')).get(`/reports/inspection-pack/children.csv?${PERIOD}`)).statusCode, 403)
})
