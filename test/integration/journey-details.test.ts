import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { buildFamily } from '../helpers/staff.ts'
import { startCaf } from '../helpers/episodes.ts'
import { errorSummaryText } from '../helpers/html.ts'

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
