import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { interfaceCounts, monthsOf, readRange } from '../../src/features/social-care/counts.ts'
import { decideNotification, sendNotification } from '../../src/features/social-care/notifications.ts'
import { startStepDown } from '../../src/features/social-care/step-downs.ts'
import { decideStepUp, requestStepUp } from '../../src/features/social-care/step-ups.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/** The interface counted by month: from rows made through the use cases and moved to known months. */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const social = () => staff.actor('socialCare')
const URL = 'https://caf.example'
/** Moves a row's time to noon UK time on a day. */
const moveTo = (table: string, column: string, id: number, day: string) =>
  sql`update ${sql.table(table)} set ${sql.ref(column)} = (${day}::date + time '12:00') at time zone 'Europe/London' where id = ${id}`.execute(t.db)

async function stepDown(point: 'after-contact' | 'cin-closure', day: string) {
  const child = await buildPerson(t.db, social(), { dateOfBirth: '2012-02-02' })
  const level = (await t.db.selectFrom('need_levels').select('code').where('la_id', '=', staff.la.id).where('tier', '=', 3).executeTakeFirstOrThrow()).code
  const id = await startStepDown(t.db, social(), child.id, {
    decisionPoint: point,
    endsOn: addDays(today(), 40),
    known: 'Known',
    proposedAgencyId: staff.agencies.school.id,
    needLevel: level,
    giverId: child.id,
    giverRole: 'young-person',
    method: 'verbal',
    givenOn: today(),
  })
  await moveTo('step_downs', 'started_at', id, day)
}

test('step downs by decision point, step ups by answer and notifications by decision, per UK month, with the month’s last day and first day apart', async () => {
  await stepDown('cin-closure', '2026-03-31')
  await stepDown('cin-closure', '2026-03-01')
  await stepDown('after-contact', '2026-04-01')

  const lead = staff.actor('practitioner')
  for (const [day, accepted] of [
    ['2026-03-15', true],
    ['2026-04-10', false],
    ['2026-04-11', null],
  ] as const) {
    const { id } = await buildEpisode(t.db, lead, { consentedAgencies: [staff.agencies.school.id], lead: true })
    await planAction(t.db, lead, id)
    const stepUp = await requestStepUp(t.db, lead, id, { reason: 'Why', risks: 'Risks' }, URL)
    if (accepted === true) await decideStepUp(t.db, social(), stepUp, { accepted: true, takenOn: today() }, URL)
    if (accepted === false) await decideStepUp(t.db, social(), stepUp, { accepted: false, reason: 'Below threshold', advice: null }, URL)
    await moveTo('step_ups', 'requested_at', stepUp, day)
  }

  const child = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
  const contact = { contactOn: today(), source: '6' as const, reported: 'R', socialCareAction: 'A', familyAware: 'agrees' as const }
  const n1 = await sendNotification(t.db, social(), child.id, contact)
  await decideNotification(t.db, staff.actor('coordinator'), n1, { decision: 'no-further-action', note: 'Support in place' }, URL)
  await moveTo('interface_notifications', 'sent_at', n1, '2026-04-30')
  const n2 = await sendNotification(t.db, social(), child.id, contact)
  await moveTo('interface_notifications', 'sent_at', n2, '2026-05-01')

  const [downs, ups, notes] = await interfaceCounts(t.db, staff.la.id, { from: '2026-03', to: '2026-05' })
  const byMonth = (table: typeof downs) => Object.fromEntries(table!.rows.map((r) => [r.month, r.counts]))
  // Columns: after contact, after assessment, at closure of a child in need plan.
  assert.deepEqual(byMonth(downs), { '2026-03': [0, 0, 2], '2026-04': [1, 0, 0], '2026-05': [0, 0, 0] })
  // Columns: waiting, accepted, not accepted.
  assert.deepEqual(byMonth(ups), { '2026-03': [0, 1, 0], '2026-04': [1, 0, 1], '2026-05': [0, 0, 0] })
  // Columns: offer a CAF, signpost, no further action, not yet decided.
  assert.deepEqual(byMonth(notes), { '2026-03': [0, 0, 0, 0], '2026-04': [0, 0, 1, 0], '2026-05': [0, 0, 0, 1] })

  const client = await staff.signIn(t.app, 'manager')
  const csv = await client.get('/social-care/counts.csv?from=2026-03&to=2026-05')
  assert.equal(csv.statusCode, 200)
  assert.match(csv.headers['content-type'] as string, /text\/csv/)
  assert.ok(csv.body.includes('"Step downs by decision point","2026-03","At the closure of a child in need plan","2"'), csv.body.slice(0, 300))
})

test('the months in the address are checked: a bad month or range is a 400 with the error summary', async () => {
  const client = await staff.signIn(t.app, 'manager')
  for (const [query, href] of [
    ['from=2026-13&to=2026-12', '#from'],
    ['from=2026-05&to=2026-04', '#to'],
    ['from=2020-01&to=2026-01', '#to'],
    ['from=%3Cscript%3E&to=2026-01', '#from'],
  ] as const) {
    const res = await client.get(`/social-care/counts?${query}`)
    assert.equal(res.statusCode, 400, query)
    assert.deepEqual(errorSummaryHrefs(res.body), [href], query)
  }
  assert.equal((await client.get('/social-care/counts')).statusCode, 200)
  assert.deepEqual(monthsOf({ from: '2026-11', to: '2027-02' }), ['2026-11', '2026-12', '2027-01', '2027-02'])
  const fallback = readRange({})
  assert.ok('range' in fallback)
  const months = monthsOf(fallback.range)
  assert.equal(months.length, 12, 'the last 12 months')
  assert.equal(months.at(-1), today().slice(0, 7), 'this month included')
})
