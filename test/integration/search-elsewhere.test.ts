import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { tableRows } from '../helpers/html.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * A child who lives in one council and goes to school in another: practitioners of both see, in search,
 * that a CAF exists and who leads it, and nothing more.
 */

let t: TestApp
let home: Staff
let school: Staff
before(async () => {
  t = await testApp()
  home = await buildStaff(t.db)
  school = await buildStaff(t.db)
})
after(() => t?.close())

const ELSEWHERE = /Open CAFs in other councils/
const search = (q: string, dob: string) => {
  const [y, m, d] = dob.split('-')
  return `/people?q=${encodeURIComponent(q)}&dob-day=${Number(d)}&dob-month=${Number(m)}&dob-year=${y}`
}

test('the other council’s practitioner sees the open CAF, its council and its lead, and cannot open the record', async () => {
  const { child } = await buildEpisode(t.db, home.actor('practitioner'), { consentedAgencies: [home.agencies.school.id], lead: true })
  const row = await t.db.selectFrom('people').select(['id', 'date_of_birth', 'postcode']).where('id', '=', child.id).executeTakeFirstOrThrow()
  const client = await school.signIn(t.app, 'practitioner')
  const res = await client.get(search(child.name, row.date_of_birth!))
  assert.equal(res.statusCode, 200)
  const rows = tableRows(res.body, 'Open CAFs in other councils')
  assert.equal(rows.length, 1)
  assert.deepEqual(rows[0]!.slice(0, 2), [home.la.name, 'A CAF is open'])
  assert.match(rows[0]![2]!, new RegExp(home.users.practitioner.fullName))
  assert.ok(!rows.flat().some((cell) => cell.includes(child.name)), 'the other council’s record of the child is not shown')
  const found = await t.db
    .selectFrom('audit_events')
    .select(['record_id', 'detail'])
    .where('la_id', '=', home.la.id)
    .where('action', '=', 'person.found-from-another-council')
    .execute()
  assert.deepEqual(
    found.map((f) => [f.record_id, (f.detail as { by: number }).by]),
    [[String(child.id), school.la.id]],
    'the home council’s chain records the find',
  )
  assert.doesNotMatch(res.body, new RegExp(`href="/people/${child.id}"`), 'no link to the record')
  assert.equal((await client.get(`/people/${child.id}`)).statusCode, 404, 'the record stays closed')
  const audited = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('la_id', '=', school.la.id)
    .where('action', '=', 'person.searched')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  assert.deepEqual((audited?.detail as { elsewhere?: number[] }).elsewhere, [child.id], 'what was shown is audited')
})

test('not shown: a child with no open CAF, a different date of birth, a search by name alone, or the council’s own children twice', async () => {
  const noCaf = await buildPerson(t.db, home.actor('practitioner'), { dateOfBirth: '2014-04-04' })
  const client = await school.signIn(t.app, 'practitioner')
  assert.doesNotMatch((await client.get(search(noCaf.name, '2014-04-04'))).body, ELSEWHERE)
  const { child } = await buildEpisode(t.db, home.actor('practitioner'), { consentedAgencies: [home.agencies.school.id] })
  const dob = (await t.db.selectFrom('people').select('date_of_birth').where('id', '=', child.id).executeTakeFirstOrThrow()).date_of_birth!
  const otherDay = dob.replace(/-\d\d$/, (d) => `-${String((Number(d.slice(1)) % 27) + 1).padStart(2, '0')}`)
  assert.doesNotMatch((await client.get(search(child.name, otherDay))).body, ELSEWHERE)
  assert.doesNotMatch((await client.get(`/people?q=${encodeURIComponent(child.name)}`)).body, ELSEWHERE)
  const own = await home.signIn(t.app, 'practitioner')
  assert.doesNotMatch((await own.get(search(child.name, dob))).body, ELSEWHERE, 'its own council finds it in its own results')
})
