import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import type { Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { searchResults } from '../helpers/people.ts'

/**
 * Issue 15 item 7: the search box reads a date of birth however a practitioner writes it, and one name
 * with a date of birth finds the child even among the many born near that day whose names sound alike.
 */

let t: TestApp
let practitioner: Client
let rosie: number

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
  const actor = t.staff.actor('practitioner')
  // 305 children whose given names sound like Rosie's, each born a day after her (one digit different).
  for (let i = 0; i < 305; i++) await buildPerson(t.db, actor, { givenName: 'Rose', familyName: `Lookalike${i}`, dateOfBirth: '2018-10-28' })
  rosie = (await buildPerson(t.db, actor, { givenName: 'Rosie', familyName: 'Fairbairn', dateOfBirth: '2018-10-27' })).id
})
after(() => t?.close())

const found = async (q: string) => {
  const res = await practitioner.get(`/people?q=${encodeURIComponent(q)}`)
  assert.equal(res.statusCode, 200)
  return searchResults(res.body)
}

test('"Rosie, born 27 October 2018" and the other ways a date is written find her, best first', async () => {
  for (const q of ['Rosie, born 27 October 2018', 'Rosie Fairbairn 27 Oct 18', 'Fairbairn 2018-10-27', 'Rosie 27th October 2018']) {
    const results = await found(q)
    assert.equal(results[0]?.id, rosie, `${q}: Rosie first, not ${results[0]?.name}`)
  }
})

test('one name and a date of birth find her among 305 born the next day whose names sound like hers', async () => {
  assert.equal((await found('Rosie 27/10/2018'))[0]?.id, rosie)
  assert.equal((await found('Fairbairn 27/10/2018'))[0]?.id, rosie, 'the one name may be the family name')
})
