import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, completedCaf, makeLead, startCaf, smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { peopleQuery, searchResults } from '../helpers/people.ts'
import { buildColleague, buildFamily } from '../helpers/staff.ts'
import { addMonths } from '../../src/web/dates.ts'

/**
 * Closing an episode: by the lead professional, with a reason and a summary; follow-up calls scheduled
 * at 3, 6 and 12 months with the family's questionnaire; reopening within 3 months, or else a new CAF.
 */

let t: TestApp
let practitioner: Client
/** A GP practitioner, in the team of each Smith CAF but not its lead. */
let gp: { id: number; client: Client }

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
const boxes = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}
const status = async (episode: number) =>
  await t.db.selectFrom('episodes').select(['status', 'closed_reason']).where('id', '=', episode).executeTakeFirstOrThrow()

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
  gp = await buildColleague(t.db, t.app, t.staff, 'gp')
})
after(() => t?.close())

/**
 * A Smith family CAF of its own for one test, its assessment complete: started by the school's
 * practitioner, who is the lead professional, consent naming the school and the GP practice, the GP
 * practitioner in the team.
 */
async function ledSmithsCaf() {
  const { staff } = t
  const { episode, ...ids } = await smithsCaf(t.db, staff, practitioner, [staff.agencies.school.id, staff.agencies.gp.id])
  await addToTeam(practitioner, episode, gp.id)
  await makeLead(practitioner, episode, staff.users.practitioner.id)
  return { episode, ids }
}

/** The lead closes the episode from the closure page. */
async function close(episode: number, reason: string, summary: string) {
  await practitioner.get(`/episodes/${episode}/close`)
  assert.equal((await practitioner.post(`/episodes/${episode}/close`, { reason, summary })).statusCode, 303, 'closed')
}

/** The follow-up call at so many months after closing. */
const followUpAt = async (episode: number, months: number) =>
  (await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', episode).where('months', '=', months).executeTakeFirstOrThrow()).id

describe('closing', () => {
  test('only the lead professional (or the hub) closes: a team member is refused', async () => {
    const { episode } = await ledSmithsCaf()
    const form = await gp.client.get(`/episodes/${episode}/close`)
    assert.equal(form.statusCode, 403, 'the form is not offered to them')
    assert.match(textOf(form.body), /closing, stepping up and reopening by the lead professional or the CAF hub/)
    const res = await gp.client.post(`/episodes/${episode}/close`, { reason: 'needs-met', summary: 'Done' })
    assert.equal(res.statusCode, 403)
    assert.equal((await status(episode)).status, 'assessment-complete')
    assert.doesNotMatch(textOf((await gp.client.get(`/episodes/${episode}`)).body), /Close the episode/)
  })

  test('a closure needs a reason from the list and a summary', async () => {
    const { episode } = await ledSmithsCaf()
    await practitioner.get(`/episodes/${episode}/close`)
    const res = await practitioner.post(`/episodes/${episode}/close`, { reason: '', summary: '' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason', '#summary'])
    const made = await practitioner.post(`/episodes/${episode}/close`, { reason: 'made-up', summary: 'x' })
    assert.equal(made.statusCode, 400)
    assert.equal((await status(episode)).status, 'assessment-complete')
  })

  test('closing records the reason and summary, schedules follow-ups at 3, 6 and 12 months, and frees the children', async () => {
    const { episode, ids } = await ledSmithsCaf()
    await practitioner.get(`/episodes/${episode}/close`)
    const res = await practitioner.post(`/episodes/${episode}/close`, {
      reason: 'needs-met',
      summary: 'John gets to school on time; Sarah has the breakfast club.',
    })
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await status(episode), { status: 'closed', closed_reason: 'needs-met' })
    const followUps = await t.db.selectFrom('follow_ups').select(['months', 'due_on', 'status']).where('episode_id', '=', episode).orderBy('months').execute()
    assert.deepEqual(
      followUps,
      [3, 6, 12].map((months) => ({ months, due_on: addMonths(today(), months), status: 'due' })),
    )
    const page = textOf((await practitioner.get(`/episodes/${episode}`)).body)
    assert.match(page, /Closed Why Needs met Closing summary John gets to school on time/)
    assert.match(page, /Desired outcomes achieved 0 of 0/)
    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    const john = searchResults((await coordinator.get(peopleQuery({ q: 'John Smith' }))).body).find((r) => r.id === ids.john)
    assert.ok(john, 'the coordinator finds John')
    assert.match(john.cells[3]!, /No open CAF/)
  })

  test('a follow-up call that is due is recorded with the family’s answers, and shows in My work until then', async () => {
    const { episode } = await ledSmithsCaf()
    await close(episode, 'needs-met', 'John gets to school on time; Sarah has the breakfast club.')
    await t.db
      .updateTable('follow_ups')
      .set({ due_on: sql<string>`current_date` })
      .where('episode_id', '=', episode)
      .where('months', '=', 3)
      .execute()
    const work = textOf((await practitioner.get('/my-work')).body)
    assert.match(work, /Follow-up calls due .*John Smith, Amelia Smith: 3 months after closing/)
    const followUp = await followUpAt(episode, 3)
    const url = `/episodes/${episode}/follow-ups/${followUp}`
    await practitioner.get(url)
    const refused = await practitioner.post(url, {
      ...boxes('contacted', today()),
      stayedBetter: '',
      stayedBetterWords: '',
      recommend: 'yes',
      couldBeBetter: '',
    })
    assert.equal(refused.statusCode, 400)
    assert.match(errorSummaryText(refused.body), /Select whether things stayed better/)
    const res = await practitioner.post(url, {
      ...boxes('contacted', today()),
      stayedBetter: 'partly',
      stayedBetterWords: 'Mornings are fine; Amelia misses the club in the holidays',
      recommend: 'yes',
      couldBeBetter: 'Start sooner',
    })
    assert.equal(res.statusCode, 303)
    const row = await t.db.selectFrom('follow_ups').selectAll().where('id', '=', followUp).executeTakeFirstOrThrow()
    assert.deepEqual([row.status, row.stayed_better, row.recommend, row.could_be_better], ['done', 'partly', 'yes', 'Start sooner'])
    assert.doesNotMatch(textOf((await practitioner.get('/my-work')).body), /John Smith, Amelia Smith: 3 months after closing/)
  })
})

describe('reopening', () => {
  test('more than 3 months after closing, it cannot be reopened: a new CAF is needed', async () => {
    const { episode } = await ledSmithsCaf()
    await close(episode, 'needs-met', 'John gets to school on time.')
    await t.db
      .updateTable('episodes')
      .set({ closed_at: sql<Date>`now() - interval '100 days'` })
      .where('id', '=', episode)
      .execute()
    await practitioner.get(`/episodes/${episode}/reopen`)
    const res = await practitioner.post(`/episodes/${episode}/reopen`, { reason: 'Mornings are hard again' })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /closed too long ago to reopen/)
    assert.equal((await status(episode)).status, 'closed')
  })

  test('within 3 months, the same episode reopens with a reason, and follow-ups not yet made lapse', async () => {
    // Closed ten days ago, the three-month call already made (brought forward).
    const { episode } = await ledSmithsCaf()
    await close(episode, 'needs-met', 'John gets to school on time.')
    await t.db
      .updateTable('follow_ups')
      .set({ due_on: sql<string>`current_date` })
      .where('id', '=', await followUpAt(episode, 3))
      .execute()
    const call = `/episodes/${episode}/follow-ups/${await followUpAt(episode, 3)}`
    await practitioner.get(call)
    const made = await practitioner.post(call, {
      ...boxes('contacted', today()),
      stayedBetter: 'yes',
      stayedBetterWords: '',
      recommend: 'yes',
      couldBeBetter: '',
    })
    assert.equal(made.statusCode, 303, 'the call is recorded')
    await t.db
      .updateTable('episodes')
      .set({ closed_at: sql<Date>`now() - interval '10 days'` })
      .where('id', '=', episode)
      .execute()

    await practitioner.get(`/episodes/${episode}/reopen`)
    const res = await practitioner.post(`/episodes/${episode}/reopen`, { reason: 'Mornings are hard again' })
    assert.equal(res.statusCode, 303)
    assert.deepEqual(await status(episode), { status: 'assessment-complete', closed_reason: null })
    const reopening = await t.db
      .selectFrom('episode_reopenings')
      .select(['reason', 'closed_reason'])
      .where('episode_id', '=', episode)
      .executeTakeFirstOrThrow()
    assert.deepEqual(reopening, { reason: 'Mornings are hard again', closed_reason: 'needs-met' })
    const statuses = (await t.db.selectFrom('follow_ups').select(['months', 'status']).where('episode_id', '=', episode).orderBy('months').execute()).map(
      (f) => f.status,
    )
    assert.deepEqual(statuses, ['done', 'cancelled', 'cancelled'])
  })

  test('an episode whose child has since started another CAF cannot reopen', async () => {
    const { episode, ids } = await ledSmithsCaf()
    await close(episode, 'moved', 'Moved away')
    await startCaf(practitioner, ids.amelia)
    await practitioner.get(`/episodes/${episode}/reopen`)
    const res = await practitioner.post(`/episodes/${episode}/reopen`, { reason: 'Back in the borough' })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /another CAF open now/)
    assert.equal((await status(episode)).status, 'closed')
  })
})

describe('stepping up is not a way to close by hand', () => {
  test('the closure page does not offer "stepped up", and refuses it: social care decides a step up', async () => {
    const nguyens = await buildFamily(t.db, t.staff.actor('practitioner'), { familyName: 'Nguyễn', mother: 'Thi Linh', children: ['Minh Anh'] })
    const [minhAnh, thiLinh] = [nguyens.children[0]!.id, nguyens.mother.id]
    const episode = await completedCaf(practitioner, {
      child: minhAnh,
      others: [thiLinh],
      giver: thiLinh,
      agencies: [t.staff.agencies.school.id],
    })
    await makeLead(practitioner, episode, t.staff.users.practitioner.id)
    const form = await practitioner.get(`/episodes/${episode}/close`)
    assert.doesNotMatch(form.body, /value="stepped-up"/)
    const res = await practitioner.post(`/episodes/${episode}/close`, {
      reason: 'stepped-up',
      summary: 'Referred to the front door after a disclosure at school',
    })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason'])
    assert.match(res.body, /Referred to the front door after a disclosure at school/, 'what was typed is kept')
    assert.equal((await status(episode)).status, 'assessment-complete')
    assert.equal((await t.db.selectFrom('step_ups').select('id').where('episode_id', '=', episode).execute()).length, 0)
  })
})
