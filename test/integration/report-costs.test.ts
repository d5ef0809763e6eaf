import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { costsAvoided, episodeCosts } from '../../src/features/reports/costs-report.ts'
import { runFigure, type Figure } from '../../src/features/reports/figure.ts'
import { changeReferral, referFromAction } from '../../src/features/services/referrals.ts'
import { reportScope } from '../../src/policies/reports.ts'
import { today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { meetingHeldAt } from '../helpers/queues.ts'
import { buildService, planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The cost of an episode from its meetings and services at the administrator's costs, beside the
 * costs avoided: one episode, two meetings (90 and 60 minutes, the practitioner at £40 an hour) and
 * a service at £475 a referral, closed today.
 */

let t: TestApp
let staff: Staff
const lead = () => staff.actor('practitioner')

const meeting = (episode: number, minutes: number, hoursAgo: number) =>
  meetingHeldAt(t.db, lead(), episode, new Date(Date.now() - hoursAgo * 3_600_000), { minutes })

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const admin = await staff.signIn(t.app, 'admin')
  await admin.get('/admin/costs')
  assert.equal((await admin.post('/admin/costs', { 'rate-primary_school': '40', 'rate-voluntary': '£25.50' })).statusCode, 303)
  await admin.get('/admin/costs')
  assert.equal(
    (await admin.post('/admin/costs/avoided', { name: 'A year in foster care', description: 'One child, for a year', cost: '40,000', source: 'Illustrative' }))
      .statusCode,
    303,
  )

  const { id, child } = await buildEpisode(t.db, lead(), { consentedAgencies: [staff.agencies.school.id, staff.agencies.voluntary.id], lead: true })
  await meeting(id, 90, 48)
  await meeting(id, 60, 24)
  const action = await planAction(t.db, lead(), id)
  const service = await buildService(t.db, staff.actor('coordinator'), staff.agencies.voluntary.id, { unitCost: 475 })
  const referral = await referFromAction(t.db, lead(), id, action, { serviceId: service, childId: child.id })
  const provider = actorOf(await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.voluntary.id }), staff.agencies.voluntary.id)
  const move = { startedOn: null, helped: null, reason: null }
  await changeReferral(t.db, provider, { episodeId: id }, referral, { ...move, to: 'accepted' }, '')
  await changeReferral(t.db, provider, { episodeId: id }, referral, { ...move, to: 'started', startedOn: today() }, '')
  await closeEpisode(t.db, lead(), id, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: 'Done' })
})
after(() => t?.close())

const ctx = () => ({ scope: reportScope(staff.actor('coordinator')), filters: { period: { from: today(), to: today() }, localityId: null }, today: today() })
const rowsOf = async <R>(f: Figure<R>) => (await runFigure(t.db, f, ctx()))[0]!

test('the estimated cost: meeting time at the hourly cost of each person’s agency type, and the services used', async () => {
  const table = await rowsOf(episodeCosts)
  assert.deepEqual(
    table.rows.map((r) => [r.what, r.total, r.each]),
    [
      ['Team Around the Family meetings', 100, 100],
      ['Services used', 475, 475],
      ['All (1 episode)', 575, 575],
    ],
  )
  assert.match(table.notes!.join(' '), /3 hours of professionals’ time at meetings\./, '2.5 hours, rounded')
})

test('beside the costs avoided: how many episodes each scenario is worth', async () => {
  const table = await rowsOf(costsAvoided)
  assert.deepEqual(
    table.rows.map((r) => [r.name, r.cost, Number((r.episodes as number).toFixed(2))]),
    [['A year in foster care: One child, for a year', 40_000, 69.57]],
  )
})

test('the administrator’s costs refuse what is not a sum of money, and nothing changes', async () => {
  const admin = await staff.signIn(t.app, 'admin')
  await admin.get('/admin/costs')
  for (const bad of ['forty', '40.123', '-5', '10001']) {
    const res = await admin.post('/admin/costs', { 'rate-primary_school': bad })
    assert.equal(res.statusCode, 400, bad)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#rate-primary_school'], bad)
  }
  const again = await admin.post('/admin/costs/avoided', { name: 'a year in FOSTER care', description: 'Again', cost: '1', source: '' })
  assert.equal(again.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(again.body), ['#name'])
  const missing = await admin.post('/admin/costs/avoided', { name: 'Exclusion', description: 'A permanent exclusion', cost: '', source: '' })
  assert.deepEqual(errorSummaryHrefs(missing.body), ['#cost'])
  const rates = await t.db
    .selectFrom('hourly_costs')
    .select(['agency_type', 'pounds_per_hour'])
    .where('la_id', '=', staff.la.id)
    .orderBy('agency_type')
    .execute()
  assert.deepEqual(rates, [
    { agency_type: 'primary_school', pounds_per_hour: 40 },
    { agency_type: 'voluntary', pounds_per_hour: 25.5 },
  ])
})
