import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { recordTraining } from '../../src/features/admin/training/use-cases.ts'
import { runFigure } from '../../src/features/reports/figure.ts'
import { trainedVersusInitiating } from '../../src/features/reports/training-report.ts'
import { reportScope } from '../../src/policies/reports.ts'
import type { Actor } from '../../src/web/actor.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/** CAF training recorded by the administrator, and the report of trained practitioners against those who start CAFs. */

let t: TestApp
let staff: Staff
let untrained: Actor
let lateLearner: Actor
const PERIOD = { from: '2026-04-01', to: '2026-06-30' }

async function startedOn(by: Actor, day: string) {
  const { id } = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id] })
  await sql`update episodes set created_at = (${day}::date + time '10:00') at time zone 'Europe/London' where id = ${id}`.execute(t.db)
}

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const school = staff.agencies.school.id
  untrained = actorOf(await buildUser(t.db, { laId: staff.la.id, agencyId: school }), school)
  lateLearner = actorOf(await buildUser(t.db, { laId: staff.la.id, agencyId: school }), school)
  const admin = staff.actor('admin')
  await recordTraining(t.db, admin, { userId: staff.users.practitioner.id, course: 'CAF: lead professional', trainedOn: '2026-03-01' })
  // Trained in June, after starting a CAF in May: that CAF was started untrained; by the period's end they are trained.
  await recordTraining(t.db, admin, { userId: lateLearner.userId, course: 'CAF: lead professional', trainedOn: '2026-06-10' })
  await startedOn(staff.actor('practitioner'), '2026-04-20')
  await startedOn(staff.actor('practitioner'), '2026-05-20')
  await startedOn(untrained, '2026-05-01')
  await startedOn(lateLearner, '2026-05-02')
  await startedOn(untrained, '2026-07-01')
})
after(() => t?.close())

test('by agency: practitioners, trained, trained who started a CAF, CAFs started and those by someone untrained', async () => {
  const [table] = await runFigure(t.db, trainedVersusInitiating, {
    scope: reportScope(staff.actor('coordinator')),
    filters: { period: PERIOD, localityId: null },
    today: '2026-12-01',
  })
  const school = table!.rows.find((r) => r.agency === staff.agencies.school.name)
  assert.deepEqual(school, { agency: staff.agencies.school.name, practitioners: 3, trained: 2, trainedStarting: 2, started: 4, byUntrained: 2 })
})

test('the administrator records training on the page; a bad date or no one chosen is refused and nothing is saved', async () => {
  const admin = await staff.signIn(t.app, 'admin')
  const before = (await t.db.selectFrom('caf_training').select('id').execute()).length
  await admin.get('/admin/training')
  for (const [form, field] of [
    [{ userId: '', course: 'CAF basics', 'trained-day': '1', 'trained-month': '5', 'trained-year': '2026' }, '#userId'],
    [{ userId: String(untrained.userId), course: 'CAF basics', 'trained-day': '31', 'trained-month': '2', 'trained-year': '2026' }, '#trained-day'],
    [{ userId: String(untrained.userId), course: '', 'trained-day': '1', 'trained-month': '5', 'trained-year': '2026' }, '#course'],
    [{ userId: '999999', course: 'CAF basics', 'trained-day': '1', 'trained-month': '5', 'trained-year': '2026' }, '#userId'],
  ] as const) {
    const res = await admin.post('/admin/training', form)
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), [field])
  }
  assert.equal((await t.db.selectFrom('caf_training').select('id').execute()).length, before)
  const saved = await admin.post('/admin/training', {
    userId: String(untrained.userId),
    course: 'CAF basics',
    'trained-day': '1',
    'trained-month': '11',
    'trained-year': '2026',
  })
  assert.equal(saved.statusCode, 303)
  const rows = tableRows((await admin.get('/admin/training')).body, 'Training recorded')
  assert.ok(
    rows.some((r) => r[1] === 'CAF basics' && r[2] === '1 November 2026'),
    JSON.stringify(rows),
  )
  assert.equal((await (await staff.signIn(t.app, 'practitioner')).get('/admin/training')).statusCode, 403)
})
