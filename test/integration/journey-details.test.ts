import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { buildFamily } from '../helpers/staff.ts'

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
