import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { publishAgenda } from '../../src/features/panel/meetings.ts'
import { planOf, startPlan } from '../../src/features/plans/use-cases.ts'
import { addDays, dateParts, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { ASK, buildPanel } from '../helpers/panel.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The panel's pages over HTTP: arranging a meeting, asking from the episode, the agenda, attendance,
 * gaps and the decision form, each refusing every wrong answer with a 400, the summary, what was
 * typed kept and nothing saved; a member's reading of a case audited as panel access.
 */

let t: TestApp
let staff: Staff
let hub: Client
let practitioner: Client
let member: Client
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  practitioner = await staff.signIn(t.app, 'practitioner')
  member = await staff.signIn(t.app, 'panel')
})
after(() => t?.close())

const TABLES = ['panel_meetings', 'panel_members', 'panel_requests', 'panel_resources', 'panel_gaps', 'plan_actions', 'mail_outbox'] as const
const snapshot = async () => JSON.stringify(await Promise.all(TABLES.map((table) => t.db.selectFrom(table).selectAll().execute())))
const led = () => buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id, staff.agencies.voluntary.id], lead: true })

/** Posts a refused form: 400, these fields in the summary, nothing saved. Returns the page. */
async function refused(client: Client, page: string, url: string, form: Record<string, string>, errors: string[]) {
  await client.get(page)
  const before = await snapshot()
  const res = await client.post(url, form)
  assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(form).slice(0, 80)}`)
  assert.deepEqual(errorSummaryHrefs(res.body), errors)
  assert.equal(await snapshot(), before, 'nothing saved')
  return res.body
}

describe('arranging a meeting', () => {
  const GOOD = () => ({
    ...dateParts(addDays(today(), 7), 'date'),
    time: '10:00',
    duration: '90',
    place: 'Civic Centre',
    chair: String(staff.users.coordinator.id),
    members: String(staff.users.panel.id),
  })
  const BAD: { name: string; change: () => Record<string, string>; errors: string[] }[] = [
    { name: 'a date in the past', change: () => dateParts(addDays(today(), -1), 'date'), errors: ['#date-day'] },
    { name: 'a time in words', change: () => ({ time: 'morning' }), errors: ['#time'] },
    { name: 'a length not offered', change: () => ({ duration: '600' }), errors: ['#duration'] },
    { name: 'no place', change: () => ({ place: '' }), errors: ['#place'] },
    { name: 'no chair', change: () => ({ chair: '' }), errors: ['#chair'] },
    { name: 'a chair who may not sit on a panel', change: () => ({ chair: String(staff.users.practitioner.id) }), errors: ['#chair'] },
    { name: 'a member who does not exist', change: () => ({ members: '999999' }), errors: ['#members'] },
    { name: 'a field the form does not have', change: () => ({ published_at: 'now' }), errors: ['#main-content'] },
  ]
  for (const bad of BAD) {
    test(`with ${bad.name} is refused`, async () => {
      const body = await refused(hub, '/panel/new', '/panel/new', { ...GOOD(), ...bad.change() }, bad.errors)
      if (!('place' in bad.change())) assert.equal(formFields(body, '/panel/new').place, 'Civic Centre', 'what was typed is kept')
    })
  }
  test('is for the hub: a panel member may not', async () => {
    assert.equal((await member.get('/panel/new')).statusCode, 403)
  })
  test('works, and the meeting is listed for its member', async () => {
    await hub.get('/panel/new')
    const res = await hub.post('/panel/new', GOOD())
    assert.equal(res.statusCode, 303)
    const url = String(res.headers.location).split('?')[0]!
    assert.ok((await member.get('/panel')).body.includes(`href="${url}"`))
    assert.match(textOf((await member.get(url)).body), /The agenda has not been published yet/)
  })
})

describe('a case at panel, over HTTP', () => {
  test('the lead asks; the hub places and publishes; a member reads it (audited as panel access); the hub decides; the lead sees it', async () => {
    const { id, child } = await led()
    await startPlan(t.db, staff.actor('practitioner'), id)
    const [outcome] = await planOf(t.db, staff.la.id, id)
    const ask = `/episodes/${id}/panel`
    await refused(practitioner, ask, ask, { ...ASK, stuck: '' }, ['#stuck'])
    await refused(practitioner, ask, ask, { ...ASK, tried: 'x'.repeat(3001) }, ['#tried'])
    await refused(practitioner, ask, ask, { ...ASK, extra: '1' }, ['#main-content'])
    await practitioner.get(ask)
    assert.equal((await practitioner.post(ask, ASK)).statusCode, 303)
    const request = (await t.db.selectFrom('panel_requests').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()).id
    await refused(practitioner, ask, ask, ASK, ['#main-content'])

    const meeting = await buildPanel(t.db, staff.actor('coordinator'), [staff.users.panel.id])
    const page = `/panel/${meeting}`
    await refused(hub, page, `${page}/agenda`, { requestId: 'x' }, ['#requestId'])
    await refused(hub, page, `${page}/agenda`, { requestId: '999999' }, ['#requestId'])
    await refused(hub, page, `${page}/publish`, {}, ['#main-content'])
    await hub.get(page)
    assert.equal((await hub.post(`${page}/agenda`, { requestId: String(request) })).statusCode, 303)
    assert.equal((await member.get(`/episodes/${id}`)).statusCode, 404, 'not before publication')
    await hub.get(page)
    assert.equal((await hub.post(`${page}/publish`, {})).statusCode, 303)
    const read = await member.get(`/episodes/${id}`)
    assert.equal(read.statusCode, 200)
    assert.equal(read.headers['cache-control'], 'no-store')
    const audited = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('actor_user_id', '=', staff.users.panel.id)
      .where('action', '=', 'episode.viewed')
      .where('record_id', '=', String(id))
      .execute()
    assert.ok(
      audited.some((a) => (a.detail as { basis?: string }).basis === 'panel'),
      'the read is audited as panel access',
    )
    assert.match(textOf((await member.get(page)).body), new RegExp(child.name))
    assert.equal((await member.get(`${page}/cases/${request}`)).statusCode, 403, 'a member does not record the decision')

    await refused(hub, page, `${page}/attendance`, { [`attendance-${staff.users.panel.id}`]: 'asleep' }, ['#main-content'])
    await refused(hub, page, `${page}/attendance`, { 'attendance-999999': 'attended' }, ['#main-content'])
    await refused(hub, page, `${page}/gaps`, { need: '', localityId: '', note: 'x' }, ['#need'])
    await refused(hub, page, `${page}/gaps`, { need: 'flying', localityId: '', note: 'x' }, ['#need'])
    await refused(hub, page, `${page}/gaps`, { need: 'housing-money', localityId: '999999', note: 'x' }, ['#localityId'])
    await refused(hub, page, `${page}/gaps`, { need: 'housing-money', localityId: '', note: '' }, ['#note'])

    const decide = `${page}/cases/${request}`
    const good = { advice: 'A nurture group place.', ...dateParts(addDays(today(), 28), 'review') }
    const action = {
      'action-1-description': 'Start the group',
      'action-1-outcome': String(outcome!.id),
      'action-1-owner': `agency:${staff.agencies.voluntary.id}`,
      ...dateParts(addDays(today(), 7), 'action-1-due'),
    }
    const DECISION_BAD: [Record<string, string>, string[]][] = [
      [{ advice: '' }, ['#advice']],
      [dateParts(addDays(today(), -1), 'review'), ['#review-day']],
      [dateParts(addDays(today(), 400), 'review'), ['#review-day']],
      [{ 'resource-1-amount': '5' }, ['#resource-1-agency']],
      [{ 'resource-1-agency': String(staff.agencies.voluntary.id), 'resource-1-amount': 'lots', 'resource-1-unit': 'hours' }, ['#resource-1-amount']],
      [{ 'resource-1-agency': String(staff.agencies.voluntary.id), 'resource-1-amount': '0', 'resource-1-unit': 'hours' }, ['#resource-1-amount']],
      [{ 'resource-1-agency': String(staff.agencies.voluntary.id), 'resource-1-amount': '3', 'resource-1-unit': 'goats' }, ['#resource-1-unit']],
      [{ 'resource-1-agency': '999999', 'resource-1-amount': '3', 'resource-1-unit': 'hours' }, ['#resource-1-agency']],
      [{ ...action, 'action-1-description': '' }, ['#action-1-description']],
      [{ ...action, 'action-1-owner': 'agency:999999' }, ['#action-1-owner']],
      [{ ...action, 'action-1-owner': 'everyone' }, ['#action-1-owner']],
      [{ ...action, 'action-1-outcome': '999999' }, ['#action-1-outcome']],
      [{ ...action, ...dateParts(addDays(today(), -3), 'action-1-due') }, ['#action-1-due-day']],
    ]
    for (const [change, errors] of DECISION_BAD) {
      const body = await refused(hub, decide, decide, { ...good, ...change }, errors)
      if (!('advice' in change)) assert.equal(formFields(body, decide).advice, good.advice, 'what was typed is kept')
    }
    await hub.get(decide)
    const done = await hub.post(decide, {
      ...good,
      ...action,
      'resource-1-agency': String(staff.agencies.voluntary.id),
      'resource-1-amount': '10',
      'resource-1-unit': 'hours',
    })
    assert.equal(done.statusCode, 303)
    const seen = textOf((await practitioner.get(ask)).body)
    assert.match(seen, /A nurture group place\./)
    assert.match(seen, new RegExp(`10 hours from ${staff.agencies.voluntary.name}`))
    assert.match(seen, /Start the group/)
    assert.match(textOf((await practitioner.get(`/episodes/${id}/plan`)).body), /Start the group/)
    await hub.get(decide)
    assert.match(errorSummaryText(await refused(hub, decide, decide, good, ['#advice'])), /already recorded/)
  })

  test('the gaps list counts gaps by need and locality', async () => {
    const meeting = await buildPanel(t.db, staff.actor('coordinator'), [])
    await hub.get(`/panel/${meeting}`)
    assert.equal(
      (await hub.post(`/panel/${meeting}/gaps`, { need: 'family-history', localityId: String(staff.locality.id), note: 'No family mediation' })).statusCode,
      303,
    )
    const gaps = textOf((await member.get('/panel/gaps')).body)
    assert.match(gaps, new RegExp(`${staff.locality.name} 1 .* No family mediation`))
  })

  test('published with no case on the agenda is refused', async () => {
    const meeting = await buildPanel(t.db, staff.actor('coordinator'), [])
    await assert.rejects(publishAgenda(t.db, staff.actor('coordinator'), meeting, ''))
  })
})
