import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { agencyId, completedCaf, planWithAction } from '../helpers/episodes.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildUser } from '../helpers/factories.ts'
import { DEMO, personId, signedIn, userId } from '../helpers/people.ts'

/** The Team Around the Family is practitioners and the family members who take part. */

let t: TestApp
let practitioner: Client
let episode: number
let ids: { john: number; amelia: number; sarah: number }

const inTeam = async () =>
  (
    await t.db.selectFrom('episode_people').select('person_id').where('episode_id', '=', episode).where('in_team', '=', true).orderBy('person_id').execute()
  ).map((r) => r.person_id)

async function save(client: Client, members: number[]) {
  await client.get(`/episodes/${episode}/team`)
  return client.post(`/episodes/${episode}/team/family`, { members: members.map(String) })
}

before(async () => {
  t = await testApp()
  practitioner = await signedIn(t.app, DEMO.practitioner, t.demo.password)
  ids = { john: await personId(t.db, 'John', 'Smith'), amelia: await personId(t.db, 'Amelia', 'Smith'), sarah: await personId(t.db, 'Sarah', 'Smith') }
  episode = await completedCaf(practitioner, {
    child: ids.john,
    others: [ids.amelia, ids.sarah],
    giver: ids.sarah,
    agencies: [await agencyId(t.db, 'Oakfield Primary School')],
  })
  await planWithAction(practitioner, t.db, episode, await userId(t.db, DEMO.practitioner))
})
after(() => t?.close())

test('the practitioner records Sarah and John as taking part: the team page keeps them ticked, the audit log says who joined', async () => {
  const res = await save(practitioner, [ids.sarah, ids.john])
  assert.equal(res.statusCode, 303)
  assert.deepEqual(
    await inTeam(),
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
  const text = textOf((await practitioner.get(`/episodes/${episode}/plan/family`)).body)
  assert.match(
    text,
    /Your Team Around the Family The people working together with you on this plan\. John Smith Family Sarah Smith Family Priya Patel Oakfield Primary School Words we use/,
  )
  assert.doesNotMatch(text, /Amelia Smith Family/)
})

test('taking John out leaves Sarah; someone outside the family is refused and nothing changes', async () => {
  assert.equal((await save(practitioner, [ids.sarah])).statusCode, 303)
  assert.deepEqual(await inTeam(), [ids.sarah])
  const stranger = await personId(t.db, 'Siân', "O'Neill")
  const res = await save(practitioner, [ids.amelia, stranger])
  assert.equal(res.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(res.body), ['#members'])
  assert.deepEqual(await inTeam(), [ids.sarah])
})

test('a practitioner of a consented agency, who may only read, sees the family members and cannot change them', async () => {
  const laId = (await t.db.selectFrom('users').select('la_id').where('email', '=', DEMO.practitioner).executeTakeFirstOrThrow()).la_id
  const user = await buildUser(t.db, {
    laId,
    agencyId: await agencyId(t.db, 'Oakfield Primary School'),
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
  assert.deepEqual(await inTeam(), [ids.sarah])
})
