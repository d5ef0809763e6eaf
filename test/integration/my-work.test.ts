import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, agencyId, completedCaf } from '../helpers/episodes.ts'
import { buildUser } from '../helpers/factories.ts'
import { auditSince, DEMO, lastAuditId, personId, signedIn } from '../helpers/people.ts'

/** "My work": each practitioner sees what is waiting for them, and only that, each item linking to where it is done. */

let t: TestApp
let practitioner: Client
let gp: { id: number; client: Client }
let episode: number

const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000)
const LAST_WEEK = new Date(Date.now() - 7 * 86_400_000)
const boxes = (prefix: string, d: Date) => ({
  [`${prefix}-day`]: String(d.getUTCDate()),
  [`${prefix}-month`]: String(d.getUTCMonth() + 1),
  [`${prefix}-year`]: String(d.getUTCFullYear()),
})

before(async () => {
  t = await testApp()
  practitioner = await signedIn(t.app, DEMO.practitioner, t.demo.password)
  const laId = (await t.db.selectFrom('users').select('la_id').where('email', '=', DEMO.practitioner).executeTakeFirstOrThrow()).la_id
  const gpAgency = await agencyId(t.db, 'Elm Street Medical Practice')
  const user = await buildUser(t.db, { laId, agencyId: gpAgency, roles: ['practitioner'], name: 'Gwen Hughes', password: 'Pw-GwenHughes-2026' })
  gp = { id: user.id, client: await signedIn(t.app, user.email, user.password) }
  const [minhAnh, mai, thiLinh] = [
    await personId(t.db, 'Minh Anh', 'Nguyễn'),
    await personId(t.db, 'Mai', 'Nguyễn'),
    await personId(t.db, 'Thi Linh', 'Nguyễn'),
  ]
  episode = await completedCaf(practitioner, {
    child: minhAnh,
    others: [mai, thiLinh],
    giver: thiLinh,
    agencies: [await agencyId(t.db, 'Oakfield Primary School'), gpAgency],
  })
  await addToTeam(practitioner, episode, gp.id)
  const me = (await t.db.selectFrom('users').select('id').where('email', '=', DEMO.practitioner).executeTakeFirstOrThrow()).id
  await practitioner.get(`/episodes/${episode}/lead`)
  assert.equal((await practitioner.post(`/episodes/${episode}/lead`, { user: String(me), ...boxes('agreed', new Date()) })).statusCode, 303)
  await practitioner.get(`/episodes/${episode}/plan`)
  assert.equal((await practitioner.post(`/episodes/${episode}/plan/start`, {})).statusCode, 303)
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  for (const [description, due] of [
    ['Ask the dentist for an appointment', IN_A_WEEK],
    ['Send the health visitor’s letter', LAST_WEEK],
  ] as const) {
    await practitioner.get(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`)
    const res = await practitioner.post(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`, {
      description,
      owner: `user:${gp.id}`,
      serviceName: '',
      ...boxes('due', due),
    })
    assert.equal(res.statusCode, 303)
  }
  await practitioner.get(`/episodes/${episode}/meetings/new`)
  const meeting = await practitioner.post(`/episodes/${episode}/meetings/new`, {
    ...boxes('date', IN_A_WEEK),
    time: '09:30',
    duration: '60',
    place: 'Elm Street Medical Practice, room 2',
    chair: String(me),
    minuteTaker: String(gp.id),
  })
  assert.equal(meeting.statusCode, 303)
})
after(() => t?.close())

describe('My work', () => {
  test('a team member sees their actions (overdue first), their meetings and the team they are in', async () => {
    const before = await lastAuditId(t.db)
    const res = await gp.client.get('/my-work')
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.match(
      text,
      /Actions I own Action For Due Progress Send the health visitor’s letter Minh Anh Nguyễn, Mai Nguyễn .* Overdue Not started Ask the dentist for an appointment/,
    )
    assert.match(text, /Meetings coming up .* Elm Street Medical Practice, room 2 Not replied yet/)
    assert.match(text, /Families I am lead professional for None\./)
    assert.match(text, /Teams Around the Family I am in Minh Anh Nguyễn, Mai Nguyễn \(Plan active\)/)
    assert.match(res.body, new RegExp(`href="/episodes/${episode}/plan/actions/\\d+"`), 'each action links to where it is updated')
    const viewed = (await auditSince(t.db, before)).filter((e) => e.action === 'work.viewed')
    assert.equal(viewed.length, 1)
    assert.deepEqual((viewed[0]!.detail as { shown: number[] }).shown, [episode])
  })

  test('the lead professional sees the families they lead, and no actions that are not theirs', async () => {
    const text = textOf((await practitioner.get('/my-work')).body)
    assert.match(text, /Families I am lead professional for Daniel Okafor, Joy Okafor \(Plan active\) Minh Anh Nguyễn, Mai Nguyễn \(Plan active\)/)
    assert.doesNotMatch(text, /Send the health visitor’s letter|Ask the dentist/, 'the team member’s actions are theirs, not the lead’s')
    assert.match(text, /Meetings coming up .* Elm Street Medical Practice, room 2/)
    assert.match(
      text,
      /Teams Around the Family I am in Siân O'Neill \(Intention to assess\) Cerys Evans \(Assessment in progress\) Support links/,
      'the families they lead are not listed twice',
    )
  })

  test('a finished action, a cancelled meeting and a closed episode leave the list', async () => {
    await t.db.updateTable('plan_actions').set({ status: 'done' }).where('description', '=', 'Send the health visitor’s letter').execute()
    await t.db.updateTable('meetings').set({ status: 'cancelled' }).where('episode_id', '=', episode).execute()
    let text = textOf((await gp.client.get('/my-work')).body)
    assert.doesNotMatch(text, /Send the health visitor’s letter/)
    assert.match(text, /No meetings coming up/)
    await t.db
      .updateTable('episodes')
      .set({ status: 'closed', closed_at: sql<Date>`now()` })
      .where('id', '=', episode)
      .execute()
    text = textOf((await gp.client.get('/my-work')).body)
    assert.match(text, /No actions waiting/)
    assert.match(text, /Teams Around the Family I am in None\./)
  })

  test('each demo role sees their own part of the demo families; managers and administrators are refused', async () => {
    const demoPractitioner = textOf((await practitioner.get('/my-work')).body)
    assert.match(demoPractitioner, /Actions I own .* Set up a morning routine chart with Daniel and Joy Daniel Okafor, Joy Okafor .* Overdue/)
    assert.match(demoPractitioner, /Follow-up calls due Piotr Kowalczyk: 3 months after closing/)
    const coordinator = textOf((await (await signedIn(t.app, DEMO.coordinator, t.demo.password)).get('/my-work')).body)
    assert.match(coordinator, /Actions I own No actions waiting\./)
    assert.match(coordinator, /Meetings coming up .* Daniel Okafor, Joy Okafor The family’s home Not replied yet/)
    assert.match(coordinator, /Families I am lead professional for None\. Teams Around the Family I am in Daniel Okafor, Joy Okafor \(Plan active\)/)
    assert.doesNotMatch(coordinator, /Follow-up calls due/)
    const socialCare = textOf((await (await signedIn(t.app, DEMO.socialCare, t.demo.password)).get('/my-work')).body)
    assert.match(socialCare, /No actions waiting\..*No meetings coming up\..*Families I am lead professional for None\. Teams Around the Family I am in None\./)
    for (const who of ['manager', 'admin'] as const) {
      const client = await signedIn(t.app, DEMO[who], t.demo.password)
      assert.equal((await client.get('/my-work')).statusCode, 403, who)
    }
  })
})
