import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { buildFamily } from '../helpers/staff.ts'
import { preAssessToAssessment, saveTask, smithsCaf, startCaf } from '../helpers/episodes.ts'
import { errorSummaryText } from '../helpers/html.ts'
import { openPersonForChange, updatePerson } from '../../src/features/people/use-cases.ts'

/** Smaller things a new practitioner trips over: what the home page and a person's record offer. */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

const UNBORN = 'Add an unborn baby of this mother'

test('the practitioner’s home leads to "Is there already a CAF?"', async () => {
  const home = await practitioner.get('/')
  assert.equal(home.statusCode, 200)
  assert.match(home.body, /<a href="\/people"[^>]*class="govuk-button"[^>]*>\s*Is there already a CAF\?/)
})

test('"Add an unborn baby" is offered on a mother’s record, not on a 10-year-old girl’s or a boy’s', async () => {
  const actor = t.staff.actor('practitioner')
  const family = await buildFamily(t.db, actor, { children: ['Tom', 'Lily'] })
  const girl = await buildPerson(t.db, actor, { givenName: 'Ellie', sex: 'female', dateOfBirth: `${new Date().getUTCFullYear() - 10}-01-15` })
  const offered = async (id: number) => textOf((await practitioner.get(`/people/${id}`)).body).includes(UNBORN)
  assert.equal(await offered(family.mother.id), true, 'the mother')
  assert.equal(await offered(girl.id), false, 'a girl of 10')
  assert.equal(await offered(family.children[0]!.id), false, 'a boy')
})

test('a family pre-assessment asks about the children, not "the child", once for all of them', async () => {
  const family = await buildFamily(t.db, t.staff.actor('practitioner'), { children: ['Tom', 'Lily'] })
  const [tom, lily] = family.children.map((c) => c.id) as [number, number]
  const familyCaf = await startCaf(practitioner, tom, [lily, family.mother.id])
  const asked = textOf((await practitioner.get(`/episodes/${familyCaf}/pre-assessment`)).body)
  assert.match(asked, /Are the children healthy\?/)
  assert.match(asked, /If any of them is not, answer No and say who in the note/)
  assert.doesNotMatch(asked, /Is the child healthy\?/)
  const alone = await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Ruby', dateOfBirth: '2016-02-02' })
  const childCaf = await startCaf(practitioner, alone.id)
  assert.match(textOf((await practitioner.get(`/episodes/${childCaf}/pre-assessment`)).body), /Is the child healthy\?/)
  const refused = await practitioner.post(`/episodes/${familyCaf}/pre-assessment`, { concern: 'Late', agencies: '' })
  assert.equal(refused.statusCode, 400)
  assert.match(errorSummaryText(refused.body), /Health: select yes, no or not sure/)
})

test("a person's history names the school and says what changed in words, not record numbers", async () => {
  const actor = t.staff.actor('practitioner')
  const ruby = await buildPerson(t.db, actor, { givenName: 'Ruby', familyName: 'Okoro', dateOfBirth: '2015-06-01' })
  const before = await openPersonForChange(t.db, actor, ruby.id)
  await updatePerson(t.db, actor, ruby.id, { ...before.details, schoolId: t.staff.agencies.school.id, dateOfBirth: '2015-06-02' }, before.version)
  const history = textOf((await practitioner.get(`/people/${ruby.id}`)).body)
  assert.match(history, new RegExp(`Details changed School or setting: \\(empty\\) → ${t.staff.agencies.school.name} Date of birth: 1 June 2015 → 2 June 2015`))
  assert.doesNotMatch(history, /agency number|School \(agency number\)/)
})

test('the consent page leads back to the assessment while it is being done, and to the episode after', async () => {
  const family = await buildFamily(t.db, t.staff.actor('practitioner'), { children: ['Zara'] })
  const assessing = await startCaf(practitioner, family.children[0]!.id, [family.mother.id])
  await preAssessToAssessment(practitioner, assessing)
  assert.match(
    (await practitioner.get(`/episodes/${assessing}/consent`)).body,
    new RegExp(`href="/episodes/${assessing}/assessment">Back to the assessment</a>`),
  )
  const { episode: completed } = await smithsCaf(t.db, t.staff, practitioner)
  assert.match((await practitioner.get(`/episodes/${completed}/consent`)).body, new RegExp(`href="/episodes/${completed}">Back to the episode</a>`))
})

test('an assessment holds as many needs as the family has: eight saved, and room for more', async () => {
  const family = await buildFamily(t.db, t.staff.actor('practitioner'), { children: ['Ivy'] })
  const episode = await startCaf(practitioner, family.children[0]!.id, [family.mother.id])
  await preAssessToAssessment(practitioner, episode)
  const needs = Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [
      [`needs-${i + 1}-need`, `Need number ${i + 1}`],
      [`needs-${i + 1}-outcome`, `Outcome number ${i + 1}`],
    ]).flat(),
  )
  const saved = await saveTask(practitioner, episode, 'conclusions', { strengths: 'A close family', ...needs })
  assert.equal(saved.statusCode, 303)
  const form = (await practitioner.get(`/episodes/${episode}/assessment/conclusions`)).body
  assert.match(form, /name="needs-8-need"[^>]*>Need number 8<\/textarea>/)
  assert.match(form, /name="needs-11-need"/, 'three empty rows after the eighth')
  assert.doesNotMatch(form, /name="needs-12-need"/)
})
