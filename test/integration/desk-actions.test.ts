import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, makeLead } from '../helpers/episodes.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { backdate, queuesOf } from '../helpers/queues.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * What the hub does from the desk's lists: follow up an intention, add a note, allocate a lead
 * professional. Each is audited and comes back to the list it started from.
 */

let t: TestApp
let staff: Staff
let hub: Client

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
})
after(() => t?.close())

/** An intention to assess recorded by the practitioner 30 days ago: in the hub's intentions queue. */
async function overdueIntention() {
  const child = await buildPerson(t.db, staff.actor('practitioner'))
  const started = await startEpisode(t.db, staff.actor('practitioner'), {
    childId: child.id,
    kind: 'child',
    memberIds: [],
    start: 'intention',
    intentionReason: 'Mum is worried about sleep',
    plannedOn: null,
    relationship: null,
  })
  if (started.type !== 'started') throw new Error('the child already had a CAF')
  await backdate(t.db, { table: 'episodes', column: 'created_at' }, started.id, 30)
  return started.id
}

const inQueue = async (episode: number, key: 'intentions' | 'no-lead') => (await queuesOf(t.db, staff.la.id, episode)).get(key) ?? []
const auditsOf = (episode: number, action: string) =>
  t.db.selectFrom('audit_events').select(['actor_user_id', 'detail']).where('action', '=', action).where('record_id', '=', String(episode)).execute()
const LIST = '/desk/intentions?for=council'
const followUpForm = (episode: number) => `/episodes/${episode}/intention/follow-up?returnTo=${encodeURIComponent(LIST)}`

describe('following up an intention', () => {
  test('from the list: "contacted" keeps the intention, starts the clock again, and comes back to the list with a banner', async () => {
    const episode = await overdueIntention()
    const list = await hub.get(LIST)
    assert.ok(list.body.includes(`href="${followUpForm(episode).replace(/&/g, '&amp;')}"`), 'the list links to the follow-up form')
    const form = await hub.get(followUpForm(episode))
    assert.equal(form.statusCode, 200)
    assert.match(textOf(form.body), /Mum is worried about sleep/)
    const saved = await hub.post(`/episodes/${episode}/intention/follow-up`, { outcome: 'contacted', note: 'Left a message for the teacher', returnTo: LIST })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, `${LIST}&done=follow-up`)
    const back = await hub.get(String(saved.headers.location))
    assert.match(textOf(back.body), /Follow-up recorded/)
    assert.doesNotMatch(back.body, new RegExp(`/episodes/${episode}"`), 'no longer waiting')
    assert.deepEqual(await inQueue(episode, 'intentions'), [])
    const page = textOf((await hub.get(`/episodes/${episode}`)).body)
    assert.match(page, /Contacted the practitioner, waiting to hear Left a message for the teacher/)
    assert.match(page, /Stage Intention to assess/)
    const audits = await auditsOf(episode, 'intention.followed-up')
    assert.deepEqual(
      audits.map((a) => [a.actor_user_id, a.detail.outcome]),
      [[staff.users.coordinator.id, 'contacted']],
    )
  })

  test('"not going ahead" needs a reason; with it the episode closes and shows why', async () => {
    const episode = await overdueIntention()
    await hub.get(followUpForm(episode))
    const refused = await hub.post(`/episodes/${episode}/intention/follow-up`, { outcome: 'not-going-ahead', note: '', returnTo: LIST })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(refused.body), ['#note'])
    assert.match(refused.body, /value="not-going-ahead" checked/, 'the choice is kept')
    assert.equal((await auditsOf(episode, 'intention.followed-up')).length, 0, 'nothing recorded')

    const closed = await hub.post(`/episodes/${episode}/intention/follow-up`, { outcome: 'not-going-ahead', note: 'The family moved away', returnTo: LIST })
    assert.equal(closed.statusCode, 303)
    const row = await t.db.selectFrom('episodes').select(['status', 'closed_by']).where('id', '=', episode).executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'closed', closed_by: staff.users.coordinator.id })
    const page = textOf((await hub.get(`/episodes/${episode}`)).body)
    assert.match(page, /Why The intention to assess did not go ahead Closing summary The family moved away/)
    assert.deepEqual(await inQueue(episode, 'intentions'), [])
    const again = await hub.get(`/episodes/${episode}/intention/follow-up`)
    assert.equal(again.statusCode, 303, 'a closed episode has no intention to follow up')
    await hub.get(`/episodes/${episode}`)
    assert.equal((await hub.post(`/episodes/${episode}/intention/follow-up`, { outcome: 'contacted', note: '' })).statusCode, 409)
  })

  test('hostile input is refused with the error summary and changes nothing; a return address off the desk is ignored', async () => {
    const episode = await overdueIntention()
    await hub.get(followUpForm(episode))
    for (const body of [
      { outcome: 'delete-everything' },
      { outcome: ['contacted', 'not-going-ahead'] },
      { outcome: 'contacted', note: 'x'.repeat(2001) },
    ] as Record<string, string | string[]>[]) {
      const res = await hub.post(`/episodes/${episode}/intention/follow-up`, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80))
      assert.equal(errorSummaryHrefs(res.body).length, 1)
    }
    assert.equal((await auditsOf(episode, 'intention.followed-up')).length, 0)
    for (const returnTo of ['https://evil.example/desk', '//evil.example', '/desk/../admin', '/desk/x?a=<script>']) {
      await hub.get(`/episodes/${episode}/intention/follow-up`)
      const res = await hub.post(`/episodes/${episode}/intention/follow-up`, { outcome: 'still-intended', returnTo })
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, `/episodes/${episode}?done=follow-up`, returnTo)
    }
  })

  test('only the hub follows up intentions; the practitioner who recorded it is refused', async () => {
    const episode = await overdueIntention()
    const practitioner = await staff.signIn(t.app, 'practitioner')
    assert.equal((await practitioner.get(`/episodes/${episode}/intention/follow-up`)).statusCode, 403)
    assert.doesNotMatch((await practitioner.get(`/episodes/${episode}`)).body, /intention\/follow-up/, 'no link offered')
    const theirList = await practitioner.get('/desk/intentions')
    assert.ok(theirList.body.includes(`href="/episodes/${episode}"`), 'the practitioner sees their intention in their own queue')
    assert.doesNotMatch(theirList.body, /intention\/follow-up/, 'but is not offered the hub’s follow-up')
    assert.deepEqual(await auditsOf(episode, 'intention.followed-up'), [])
  })
})

describe('a note on an episode', () => {
  test('added from a list shows on the episode with who wrote it, and is audited', async () => {
    const { id } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    const list = '/desk/no-lead?for=council'
    assert.ok((await hub.get(list)).body.includes(`/episodes/${id}/notes/new?returnTo=${encodeURIComponent(list)}`))
    await hub.get(`/episodes/${id}/notes/new?returnTo=${encodeURIComponent(list)}`)
    const saved = await hub.post(`/episodes/${id}/notes/new`, {
      body: 'Rang the school: the head will find a lead by Friday.\nWill check Monday.',
      returnTo: list,
    })
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, `${list}&done=note`)
    assert.match(textOf((await hub.get(String(saved.headers.location))).body), /Note added/)
    const page = await staff.signIn(t.app, 'practitioner').then((c) => c.get(`/episodes/${id}`))
    assert.match(
      textOf(page.body),
      new RegExp(`Rang the school: the head will find a lead by Friday. Will check Monday. ${staff.users.coordinator.fullName}, ${staff.agencies.hub.name}`),
    )
    assert.equal((await auditsOf(id, 'episode.note-added')).length, 1)
  })

  test('an empty or over-long note is refused with the text kept; someone who cannot open the episode is refused and nothing is saved', async () => {
    const { id } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    await hub.get(`/episodes/${id}/notes/new`)
    const empty = await hub.post(`/episodes/${id}/notes/new`, { body: '   ' })
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(empty.body), ['#body'])
    const long = await hub.post(`/episodes/${id}/notes/new`, { body: `Kept ${'y'.repeat(5000)}` })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, /Kept y{100}/, 'the typed text is kept')
    const { client: stranger } = await buildColleague(t.db, t.app, staff, 'police')
    await stranger.get('/')
    assert.equal((await stranger.post(`/episodes/${id}/notes/new`, { body: 'Not my family' })).statusCode, 404)
    const { client: manager } = await buildColleague(t.db, t.app, staff, 'school', { roles: ['manager'] })
    await manager.get('/')
    assert.equal((await manager.post(`/episodes/${id}/notes/new`, { body: 'A manager reads, but does not write' })).statusCode, 403)
    assert.equal((await t.db.selectFrom('episode_notes').select('id').where('episode_id', '=', id).execute()).length, 0)
  })
})

describe('allocating a lead professional from the list', () => {
  test('the hub asks a team member to lead: the family leaves the list until the days to accept run out, and the request is audited', async () => {
    const { id } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    const colleague = await buildColleague(t.db, t.app, staff, 'school')
    const list = await hub.get('/desk/no-lead?for=council')
    assert.ok(list.body.includes(`href="/episodes/${id}/lead"`), 'the list offers to allocate')
    await addToTeam(hub, id, colleague.id)
    await makeLead(hub, id, colleague.id)
    assert.deepEqual(await inQueue(id, 'no-lead'), [], 'asked, and still within the 5 days to accept')
    const proposal = await t.db.selectFrom('lead_professionals').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()
    await backdate(t.db, { table: 'lead_professionals', column: 'proposed_at' }, proposal.id, 6)
    const rows = tableRows((await hub.get('/desk/no-lead?for=council')).body).filter((r) => r[4]?.includes('Allocate'))
    assert.ok(rows.some((r) => r[0]!.includes('Asked, not yet accepted')))
    const audits = await auditsOf(id, 'lead.proposed')
    assert.deepEqual(
      audits.map((a) => [a.actor_user_id, a.detail.userId]),
      [[staff.users.coordinator.id, colleague.id]],
    )
  })
})
