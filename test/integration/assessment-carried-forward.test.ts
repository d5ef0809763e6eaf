import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { preAssessToAssessment, saveTask, startCaf } from '../helpers/episodes.ts'
import { buildPerson } from '../helpers/factories.ts'

/**
 * Issue 15 item 6: what is already known is carried into the assessment, shown and changeable, instead
 * of being asked again: the pre-assessment's concern and agencies, the mother's phone number and the
 * child's need for an interpreter from their records on the register.
 */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

const CONCERN = 'Tomasz has stopped speaking at school since the move'
const AGENCIES = 'School nurse; the housing officer at Oakfield Homes'

/** Tomasz (who needs an interpreter, says the register) and his mother Ewa (with a phone number), at the assessment. */
async function kowalskis() {
  const actor = t.staff.actor('practitioner')
  const tomasz = await buildPerson(t.db, actor, { givenName: 'Tomasz', familyName: 'Kowalski', dateOfBirth: '2017-05-14', interpreterNeeded: true })
  const ewa = await buildPerson(t.db, actor, { givenName: 'Ewa', familyName: 'Kowalska', dateOfBirth: '1990-01-30', phone: '07700 900 123' })
  await addHouseholdMember(t.db, actor, tomasz.id, { memberId: ewa.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  const episode = await startCaf(practitioner, tomasz.id, [ewa.id])
  await preAssessToAssessment(practitioner, episode, { concern: CONCERN, agencies: AGENCIES })
  return { episode, tomasz: tomasz.id, ewa: ewa.id }
}

const task = async (episode: number, key: string) => {
  const res = await practitioner.get(`/episodes/${episode}/assessment/${key}`)
  assert.equal(res.statusCode, 200)
  return res.body
}

test("the pre-assessment's concern and agencies start the assessment's own questions", async () => {
  const { episode } = await kowalskis()
  assert.match(await task(episode, 'present'), new RegExp(`name="led-to"[^>]*>${CONCERN}</textarea>`))
  assert.match(await task(episode, 'services'), new RegExp(`name="other"[^>]*>${AGENCIES}</textarea>`))
})

test("family members' details start from the register: the mother's phone, the child's interpreter, and say so", async () => {
  const { episode, tomasz, ewa } = await kowalskis()
  const details = await task(episode, 'details')
  assert.match(details, new RegExp(`id="p${ewa}-contact" name="p${ewa}-contact" type="text" value="07700 900 123"`))
  assert.match(details, new RegExp(`id="p${ewa}-relationship" name="p${ewa}-relationship" type="text" value="mother"`))
  assert.match(details, new RegExp(`name="p${tomasz}-interpreter" type="radio" value="not-arranged" checked`))
  assert.match(textOf(details), /Interpreter or signer Needed/)
})

test('what the practitioner saves wins over what was carried forward', async () => {
  const { episode } = await kowalskis()
  const saved = await saveTask(practitioner, episode, 'present', {
    'date-day': '1',
    'date-month': '12',
    'date-year': '2026',
    'others-present': 'Ms Nowak, class teacher',
    'led-to': 'Asked for by his mother',
  })
  assert.equal(saved.statusCode, 303)
  const present = await task(episode, 'present')
  assert.match(present, /name="led-to"[^>]*>Asked for by his mother<\/textarea>/)
  assert.doesNotMatch(present, new RegExp(CONCERN))
})
