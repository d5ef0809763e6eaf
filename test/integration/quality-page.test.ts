import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { getCafSettings, updateCafSettings } from '../../src/features/admin/caf-config/use-cases.ts'
import { recordCopyGiven } from '../../src/features/assessment/use-cases.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { backdate } from '../helpers/queues.ts'
import { auditOverHttp, GRADES, sampleOfEverything } from '../helpers/quality.ts'
import { buildLocality, buildStaff, type Staff } from '../helpers/staff.ts'
import { today } from '../../src/web/dates.ts'

/**
 * The QA page and its download: the last six months' audits, the share judged good or better by
 * agency and locality, the checklist items most often missing; and the council's choice of scale.
 */

let t: TestApp
let staff: Staff
let hub: Client
let north: Awaited<ReturnType<typeof buildLocality>>
let names: string[]

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  north = await buildLocality(t.db, staff)
  // Two of the school's CAFs (one judged good, one poor; one copy given) and one of the north's (good), audited today;
  // and one of the school's audited seven months ago, judged poor, which the page no longer counts.
  const school = staff.actor('practitioner')
  const built = [
    await buildEpisode(t.db, school, { consentedAgencies: [staff.agencies.school.id], lead: true }),
    await buildEpisode(t.db, school, { consentedAgencies: [staff.agencies.school.id], lead: true }),
    await buildEpisode(t.db, north.actor, { consentedAgencies: [north.agency.id], lead: true }),
    await buildEpisode(t.db, school, { consentedAgencies: [staff.agencies.school.id], lead: true }),
  ]
  names = built.flatMap((b) => [b.child.name, b.parent.name])
  const [good, poor, northern, old] = built.map((b) => b.id) as [number, number, number, number]
  for (const id of [good, poor, northern, old]) await backdate(t.db, { table: 'episodes', column: 'assessment_completed_at' }, id, 11)
  await recordCopyGiven(t.db, school, good, today())
  const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
  await auditOverHttp(hub, good, sample)
  await auditOverHttp(hub, poor, sample, { overall: 'poor' })
  await auditOverHttp(hub, northern, sample)
  const stale = await auditOverHttp(hub, old, sample, { overall: 'poor' })
  await sql`update qa_audits set audited_at = now() - interval '7 months' where id = ${stale}`.execute(t.db)
})
after(() => t?.close())

describe('the QA page', () => {
  test('shows the share judged good or better by agency and by locality, and what is most often missing', async () => {
    const page = await hub.get('/qa')
    assert.equal(page.statusCode, 200)
    const sort = (rows: string[][]) => rows.sort((a, b) => a[0]!.localeCompare(b[0]!))
    assert.deepEqual(
      tableRows(page.body, 'by agency'),
      sort([
        [staff.agencies.school.name, '2', '1', '50%'],
        [north.agency.name, '1', '1', '100%'],
      ]),
    )
    assert.deepEqual(
      tableRows(page.body, 'by locality'),
      sort([
        [staff.locality.name, '2', '1', '50%'],
        [north.locality.name, '1', '1', '100%'],
      ]),
    )
    // The factory's children have no school or GP on the register; two of the three had no copy 11 days after the
    // assessment; a first meeting is not due until the 14th day, so it is not missing.
    assert.deepEqual(tableRows(page.body, 'most often missing'), [
      ['School and GP recorded for each child (school from age 5)', '3', '3', '100%'],
      ['The family was given a copy of the assessment', '2', '3', '67%'],
    ])
    assert.equal(tableRows(page.body, 'Every audit').length, 3, 'the audit of seven months ago is not listed')
  })

  test('the download lists the last six months’ audits, one row each, and names no child', async () => {
    const res = await hub.get('/qa/audits.csv')
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv/)
    assert.match(String(res.headers['content-disposition']), /attachment; filename="quality-audits-since-\d{4}-\d{2}-\d{2}\.csv"/)
    assert.equal(res.headers['cache-control'], 'no-store')
    const lines = res.body.trim().split('\r\n')
    assert.equal(lines.length, 4, 'a heading and three audits')
    assert.match(lines[0]!, /^"Audit","Audited on","CAF episode","Sample","Agency","Locality","Auditor","Level of detail"/)
    assert.ok(lines.slice(1).every((l) => l.includes(`"${staff.users.coordinator.fullName}"`)))
    const overallPoor = lines.filter((l) => l.includes(',"No",')).length
    assert.equal(overallPoor, 1, 'one of the three was not judged good or better')
    for (const name of names) assert.ok(!res.body.includes(name), `the download does not name ${name}`)
    const downloaded = await t.db.selectFrom('audit_events').select(['actor_user_id', 'detail']).where('action', '=', 'qa.downloaded').execute()
    assert.deepEqual(
      downloaded.map((d) => [d.actor_user_id, (d.detail as { shown: number[] }).shown.length]),
      [[staff.users.coordinator.id, 3]],
      'audited, with the three episodes it lists',
    )
  })
})

describe('the council’s scale', () => {
  test('a council that grades outstanding to inadequate audits on that scale; earlier audits keep theirs', async () => {
    const admin = staff.actor('admin')
    await updateCafSettings(t.db, admin, { ...(await getCafSettings(t.db, admin)), qaScale: 'outstanding-to-inadequate' })
    const { id } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id], lead: true })
    const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
    const url = `/episodes/${id}/samples/${sample}/audit`
    assert.match(textOf((await hub.get(url)).body), /Outstanding\s+Good\s+Requires improvement\s+Inadequate/)
    const refused = await hub.post(url, { ...GRADES, feedback: 'Fine.' })
    assert.equal(refused.statusCode, 400, 'satisfactory and poor are not on this scale')
    assert.deepEqual(errorSummaryHrefs(refused.body), ['#strengths', '#risks'])
    await auditOverHttp(hub, id, sample, { strengths: 'good', risks: 'inadequate', overall: 'outstanding' })
    const page = (await hub.get('/qa')).body
    const school = tableRows(page, 'by agency').find((r) => r[0] === staff.agencies.school.name)
    assert.deepEqual(school, [staff.agencies.school.name, '3', '2', '67%'], 'outstanding counts as good or better')
    const listed = tableRows(page, 'Every audit').map((r) => r[5])
    assert.deepEqual(listed.sort(), ['Good', 'Good', 'Outstanding', 'Poor'])
  })
})
