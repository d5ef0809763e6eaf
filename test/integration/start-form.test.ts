import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs, revealedBy } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

/**
 * Issue 15 item 9: the start-a-CAF form showed the household and the intention's questions whether or
 * not they applied. Each now sits under the answer it belongs to (GOV.UK's conditional reveal, which
 * shows everything when JavaScript is off), and a question with only one possible answer is not asked.
 */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

test('the household is asked about only under "the whole family", and the intention only under "recording an intention"', async () => {
  const family = await buildFamily(t.db, t.staff.actor('practitioner'), { children: ['Ruby', 'Leo'] })
  const res = await practitioner.get(`/people/${family.children[0]!.id}/start-caf`)
  assert.equal(res.statusCode, 200)
  const household = revealedBy(res.body, 'kind', 'family')
  assert.ok(household, 'choosing a family CAF reveals the household question')
  assert.match(household, /name="members"[^>]*value="\d+"/)
  assert.match(textOf(household), /Leo/)
  assert.equal(revealedBy(res.body, 'kind', 'child'), undefined, 'a CAF for the child alone asks nothing more')
  assert.equal(res.body.match(/name="members"/g)?.length, 2, 'the household is offered once, under its answer')

  const intention = revealedBy(res.body, 'start', 'intention')
  assert.ok(intention, 'recording an intention reveals its questions')
  assert.match(intention, /name="reason"/)
  assert.match(intention, /name="planned-day"/)
  assert.equal(res.body.match(/name="reason"/g)?.length, 1)
  assert.equal(revealedBy(res.body, 'start', 'pre-assessment'), undefined)
  assert.doesNotMatch(textOf(res.body), /If you are recording an intention to assess/)
})

test('a child with no one else in the household is not asked who the CAF is for', async () => {
  const child = await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Isla', familyName: 'Moor', dateOfBirth: '2017-05-06' })
  const res = await practitioner.get(`/people/${child.id}/start-caf`)
  assert.equal(res.statusCode, 200)
  assert.doesNotMatch(res.body, /name="kind"[^>]*type="radio"|type="radio"[^>]*name="kind"/, 'there is only one answer, so no question')
  assert.doesNotMatch(textOf(res.body), /The whole family/)
  assert.match(textOf(res.body), /This CAF is for Isla Moor\. No one else is recorded in Isla Moor’s household/)

  const started = await practitioner.post(`/people/${child.id}/start-caf`, formFields(res.body, `/people/${child.id}/start-caf`))
  assert.equal(started.statusCode, 400, 'the form still asks what the practitioner is doing now')
  assert.deepEqual(errorSummaryHrefs(started.body), ['#start'])
  const done = await practitioner.post(`/people/${child.id}/start-caf`, { ...formFields(res.body, `/people/${child.id}/start-caf`), start: 'pre-assessment' })
  assert.equal(done.statusCode, 303)
  assert.match(String(done.headers.location), /^\/episodes\/\d+\/pre-assessment$/)
})

test('an error in the intention keeps its questions open and the answers kept', async () => {
  const family = await buildFamily(t.db, t.staff.actor('practitioner'))
  const url = `/people/${family.children[0]!.id}/start-caf`
  await practitioner.get(url)
  const res = await practitioner.post(url, {
    kind: 'family',
    members: [String(family.mother.id)],
    start: 'intention',
    reason: '',
    'planned-day': '40',
    'planned-month': '1',
    'planned-year': '2027',
  })
  assert.equal(res.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(res.body), ['#reason', '#planned-day'])
  assert.match(revealedBy(res.body, 'start', 'intention') ?? '', /govuk-error-message/)
  assert.match(res.body, /<input[^>]*value="intention"[^>]*checked|<input[^>]*checked[^>]*value="intention"/)
  assert.match(revealedBy(res.body, 'kind', 'family') ?? '', new RegExp(`value="${family.mother.id}" checked`))
})
