import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildPerson } from '../helpers/factories.ts'
import { errorSummaryText, tableRows } from '../helpers/html.ts'
import { searchResults } from '../helpers/people.ts'

/**
 * Issue 15 item 4: "Add someone to the household" was a dead end when the person was not on the register,
 * and offered the child as a member of her own household. The search now leads on to adding a new
 * person at the household's address, and never offers the person themself.
 */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

async function amelia() {
  return buildPerson(t.db, t.staff.actor('practitioner'), {
    givenName: 'Amelia',
    familyName: 'Hartley',
    dateOfBirth: '2016-04-02',
    address: '4 Mill Lane\nOakfield',
    postcode: 'OK1 4ML',
  })
}

test('the household search never offers the person themself, and leads on to adding someone new', async () => {
  const child = await amelia()
  const res = await practitioner.get(`/people?addTo=${child.id}&q=${encodeURIComponent('Amelia Hartley')}`)
  assert.equal(res.statusCode, 200)
  const found = searchResults(res.body)
  assert.ok(
    found.every((r) => r.id !== child.id),
    'Amelia is not offered as a member of her own household',
  )
  assert.doesNotMatch(res.body, new RegExp(`/household/add/${child.id}"`))
  const link = /<a class="govuk-link" href="([^"]+)">Add a new person to this household<\/a>/.exec(res.body)
  assert.ok(link, 'there is a way to add someone not on the register')
  assert.match(link[1]!, new RegExp(`^/people/new\\?.*addTo=${child.id}`))
})

test('a new person added from the household search starts at its address and joins the household', async () => {
  const child = await amelia()
  const form = await practitioner.get(`/people/new?searched=1&addTo=${child.id}&q=${encodeURIComponent('Grace Hartley')}`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /<textarea class="govuk-textarea" id="address" name="address"[^>]*>4 Mill Lane\nOakfield<\/textarea>/)
  assert.match(form.body, /id="postcode" name="postcode" type="text" value="OK1 4ML"/)
  assert.match(textOf(form.body), /Adding someone to Amelia Hartley’s household/)
  const created = await practitioner.post('/people/new', {
    searched: '1',
    addTo: String(child.id),
    givenName: 'Grace',
    familyName: 'Hartley',
    'dob-day': '9',
    'dob-month': '11',
    'dob-year': '1988',
    address: '4 Mill Lane\nOakfield',
    postcode: 'OK1 4ML',
  })
  assert.equal(created.statusCode, 303)
  const next = /^\/people\/(\d+)\/household\/add\/(\d+)$/.exec(String(created.headers.location))
  assert.ok(next, `on to the relationship, not ${created.headers.location}`)
  assert.equal(Number(next[1]), child.id)
  const relationship = await practitioner.get(next[0])
  assert.match(textOf(relationship.body), /What is Grace’s relationship to Amelia\?/)
  const added = await practitioner.post(next[0], { relationship: 'mother', parentalResponsibility: 'yes' })
  assert.equal(added.statusCode, 303)
  const grace = tableRows((await practitioner.get(`/people/${child.id}`)).body).find((r) => r[0] === 'Grace Hartley')
  assert.equal(grace?.[1], 'Mother', 'Grace is in Amelia’s household as her mother')
})

test('asking to add a person to their own household says so plainly and changes nothing', async () => {
  const child = await amelia()
  const page = await practitioner.get(`/people/${child.id}/household/add/${child.id}`)
  assert.equal(page.statusCode, 400)
  assert.match(errorSummaryText(page.body), /Amelia Hartley cannot be a member of their own household/)
  const post = await practitioner.post(`/people/${child.id}/household/add/${child.id}`, { relationship: 'mother', parentalResponsibility: 'yes' })
  assert.equal(post.statusCode, 400)
  const members = await t.db.selectFrom('household_members').select('id').where('person_id', '=', child.id).execute()
  assert.equal(members.length, 0)
})

test("relationships read as words, capitalised, and a brother's record shows his sister's mother as hers", async () => {
  const child = await amelia()
  const actor = t.staff.actor('practitioner')
  const leo = await buildPerson(t.db, actor, { givenName: 'Leo', familyName: 'Hartley', dateOfBirth: '2019-08-30' })
  const grace = await buildPerson(t.db, actor, { givenName: 'Grace', familyName: 'Hartley', dateOfBirth: '1988-11-09' })
  for (const [member, relationship] of [
    [leo.id, 'brother or sister'],
    [grace.id, 'mother'],
  ] as const) {
    await practitioner.get(`/people/${child.id}/household/add/${member}`)
    const res = await practitioner.post(`/people/${child.id}/household/add/${member}`, {
      relationship,
      parentalResponsibility: member === grace.id ? 'yes' : 'no',
    })
    assert.equal(res.statusCode, 303)
  }
  const rowOf = (html: string, name: string) => tableRows(html).find((r) => r[0] === name)?.[1]
  const ameliaPage = (await practitioner.get(`/people/${child.id}`)).body
  assert.equal(rowOf(ameliaPage, 'Grace Hartley'), 'Mother')
  assert.equal(rowOf(ameliaPage, 'Leo Hartley'), 'Brother or sister')
  assert.equal(rowOf((await practitioner.get(`/people/${leo.id}`)).body, 'Grace Hartley'), 'Amelia’s mother')
  assert.equal(rowOf((await practitioner.get(`/people/${grace.id}`)).body, 'Amelia Hartley'), 'Grace is Amelia’s mother')
})
