import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { planWithAction, smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildPerson, buildUser } from '../helpers/factories.ts'
import { signedIn } from '../helpers/people.ts'

/** The Team Around the Family is practitioners and the family members who take part. */

let t: TestApp
let practitioner: Client

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

/**
 * A Smith family CAF of its own for one test, with its plan running: started by the school's
 * practitioner for John, Amelia and Sarah, consent naming the school.
 */
async function smithsPlan() {
  const { staff } = t
  const { episode, ...ids } = await smithsCaf(t.db, staff, practitioner)
  await planWithAction(practitioner, t.db, episode, staff.users.practitioner.id)
  return { episode, ids }
}

const inTeam = async (episode: number) =>
  (
    await t.db.selectFrom('episode_people').select('person_id').where('episode_id', '=', episode).where('in_team', '=', true).orderBy('person_id').execute()
  ).map((r) => r.person_id)

async function save(client: Client, episode: number, members: number[]) {
  await client.get(`/episodes/${episode}/team`)
  return client.post(`/episodes/${episode}/team/family`, { members: members.map(String) })
}

test('the practitioner records Sarah and John as taking part: the team page keeps them ticked, the audit log says who joined', async () => {
  const { episode, ids } = await smithsPlan()
  const res = await save(practitioner, episode, [ids.sarah, ids.john])
  assert.equal(res.statusCode, 303)
  assert.deepEqual(
    await inTeam(episode),
    [ids.sarah, ids.john].sort((a, b) => a - b),
  )
  const page = (await practitioner.get(res.headers.location as string)).body
  assert.match(textOf(page), /Family members in the team saved/)
  for (const [id, ticked] of [
    [ids.sarah, true],
    [ids.john, true],
    [ids.amelia, false],
  ] as const) {
    const box = new RegExp(`<input[^>]*name="members" type="checkbox" value="${id}"[^>]*>`).exec(page)![0]
    assert.equal(box.includes('checked'), ticked, `person ${id} ticked: ${ticked}`)
  }
  const audit = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', 'team.family-updated')
    .where('record_id', '=', String(episode))
    .executeTakeFirstOrThrow()
  assert.deepEqual(audit.detail, { joined: [ids.john, ids.sarah].sort((a, b) => a - b), left: [] })
})

test('the family’s copy of the plan names everyone in their team: family members and practitioners', async () => {
  const { episode, ids } = await smithsPlan()
  assert.equal((await save(practitioner, episode, [ids.sarah, ids.john])).statusCode, 303)
  const text = textOf((await practitioner.get(`/episodes/${episode}/plan/family`)).body)
  const { users, agencies } = t.staff
  const team = `Your Team Around the Family The people working together with you on this plan. John Smith Family Sarah Smith Family ${users.practitioner.fullName} ${agencies.school.name} Words we use`
  assert.ok(text.includes(team), text)
  assert.doesNotMatch(text, /Amelia Smith Family/)
})

test('taking John out leaves Sarah; someone outside the family is refused and nothing changes', async () => {
  const { episode, ids } = await smithsPlan()
  assert.equal((await save(practitioner, episode, [ids.sarah, ids.john])).statusCode, 303)
  assert.equal((await save(practitioner, episode, [ids.sarah])).statusCode, 303)
  assert.deepEqual(await inTeam(episode), [ids.sarah])
  const stranger = (await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Siân', familyName: "O'Neill", dateOfBirth: '2012-07-19' })).id
  const res = await save(practitioner, episode, [ids.amelia, stranger])
  assert.equal(res.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(res.body), ['#members'])
  assert.deepEqual(await inTeam(episode), [ids.sarah])
})

test('a practitioner of a consented agency, who may only read, sees the family members and cannot change them', async () => {
  const { episode, ids } = await smithsPlan()
  assert.equal((await save(practitioner, episode, [ids.sarah])).statusCode, 303)
  const user = await buildUser(t.db, {
    laId: t.staff.la.id,
    agencyId: t.staff.agencies.school.id,
    roles: ['practitioner'],
    password: 'Pw-TomasReyes-2026',
  })
  const reader = await signedIn(t.app, user.email, user.password)
  const page = await reader.get(`/episodes/${episode}/team`)
  assert.equal(page.statusCode, 200)
  assert.match(textOf(page.body), /Family members Sarah Smith Back to the episode/)
  assert.doesNotMatch(page.body, /name="members"/)
  const res = await reader.post(`/episodes/${episode}/team/family`, { members: [String(ids.amelia)] })
  assert.equal(res.statusCode, 403)
  assert.deepEqual(await inTeam(episode), [ids.sarah])
})
