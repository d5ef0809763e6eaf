import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { planWithAction, smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryText } from '../helpers/html.ts'
import { buildPerson } from '../helpers/factories.ts'

/** Issue 15 item 9: the plan is the family's as much as the practitioners': a family member can own an action. */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

const due = new Date(Date.now() + 14 * 86_400_000)
const action = (owner: string) => ({
  description: 'Sarah sets the alarm for 7 and lays out the uniform the night before',
  owner,
  serviceName: '',
  'due-day': String(due.getUTCDate()),
  'due-month': String(due.getUTCMonth() + 1),
  'due-year': String(due.getUTCFullYear()),
})

test("a family member in the episode can own an action; the plan and the family's copy say who", async () => {
  const { episode, sarah } = await smithsCaf(t.db, t.staff, practitioner)
  const { outcome } = await planWithAction(practitioner, t.db, episode, t.staff.users.practitioner.id)
  const form = await practitioner.get(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`)
  assert.match(form.body, new RegExp(`<option value="person:${sarah}">Sarah Smith \\(family\\)</option>`))
  const added = await practitioner.post(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`, action(`person:${sarah}`))
  assert.equal(added.statusCode, 303)
  assert.match(textOf((await practitioner.get(`/episodes/${episode}/plan`)).body), /Sarah sets the alarm for 7 .*Sarah Smith \(family\)/)
  assert.match(textOf((await practitioner.get(`/episodes/${episode}/plan/family`)).body), /Who: Sarah Smith/)
})

test('someone outside the episode cannot be given an action', async () => {
  const { episode } = await smithsCaf(t.db, t.staff, practitioner)
  const { outcome } = await planWithAction(practitioner, t.db, episode, t.staff.users.practitioner.id)
  const stranger = await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Stranger' })
  await practitioner.get(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`)
  const refused = await practitioner.post(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`, action(`person:${stranger.id}`))
  assert.equal(refused.statusCode, 400)
  assert.match(errorSummaryText(refused.body), /Select someone in the Team Around the Family, a family member, or an agency the family agreed to share with/)
})
