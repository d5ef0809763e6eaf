import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { assessed, preAssessed } from '../../src/features/demo/builders.ts'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { proposeLead } from '../../src/features/episodes/lead.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import { scheduleMeeting } from '../../src/features/meetings/use-cases.ts'
import { addAction, startPlan } from '../../src/features/plans/use-cases.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { addToTeam, completedCaf } from '../helpers/episodes.ts'
import { buildPerson } from '../helpers/factories.ts'
import { auditSince, lastAuditId } from '../helpers/people.ts'
import { buildColleague, buildFamily, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * "My work": each practitioner sees what is waiting for them, and only that, each item linking to where
 * it is done. Each test has a council of its own, so that its staff's lists hold only what it built.
 */

let t: TestApp

const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000)
const LAST_WEEK = new Date(Date.now() - 7 * 86_400_000)
const boxes = (prefix: string, d: Date) => ({
  [`${prefix}-day`]: String(d.getUTCDate()),
  [`${prefix}-month`]: String(d.getUTCMonth() + 1),
  [`${prefix}-year`]: String(d.getUTCFullYear()),
})

before(async () => {
  t = await testApp()
})
after(() => t?.close())

/**
 * The Nguyễns' family CAF, through the pages: the school's practitioner leads it; Gwen Hughes of the GP
 * practice is in the team and owns two actions (one overdue); a meeting next week invites them both.
 */
async function nguyensCaf(staff: Staff) {
  const practitioner = await staff.signIn(t.app, 'practitioner')
  const gp = await buildColleague(t.db, t.app, staff, 'gp', { name: 'Gwen Hughes' })
  const nguyens = await buildFamily(t.db, staff.actor('practitioner'), { familyName: 'Nguyễn', mother: 'Thi Linh', children: ['Minh Anh', 'Mai'] })
  const [minhAnh, mai] = nguyens.children.map((c) => c.id) as [number, number]
  const episode = await completedCaf(practitioner, {
    child: minhAnh,
    others: [mai, nguyens.mother.id],
    giver: nguyens.mother.id,
    agencies: [staff.agencies.school.id, staff.agencies.gp.id],
  })
  await addToTeam(practitioner, episode, gp.id)
  const me = staff.users.practitioner.id
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
    place: 'The GP practice, room 2',
    chair: String(me),
    minuteTaker: String(gp.id),
  })
  assert.equal(meeting.statusCode, 303)
  return { practitioner, gp, episode }
}

/**
 * The Okafors' family CAF, through the use cases: led by the school's practitioner, the coordinator in
 * the team, the plan running with the practitioner's action ten days overdue, a meeting at the family's
 * home next week with the coordinator taking the minutes.
 */
async function okaforsCaf(staff: Staff) {
  const actor = staff.actor('practitioner')
  const okafors = await buildFamily(t.db, actor, { familyName: 'Okafor', mother: 'Grace', children: ['Daniel', 'Joy'] })
  const [daniel, joy] = okafors.children.map((c) => c.id) as [number, number]
  const grace = okafors.mother.id
  const episode = await assessed(t.db, actor, {
    child: daniel,
    others: [joy, grace],
    children: [daniel, joy],
    adult: grace,
    agencies: [staff.agencies.school.id, staff.agencies.hub.id],
  })
  assert.equal(await addTeamMember(t.db, actor, episode, staff.users.coordinator.id), 'added')
  assert.equal(await proposeLead(t.db, actor, episode, actor.userId, today()), 'appointed')
  await startPlan(t.db, actor, episode)
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  await addAction(t.db, actor, episode, outcome, {
    description: 'Set up a morning routine chart with Daniel and Joy',
    owner: { kind: 'user', id: actor.userId },
    dueOn: addDays(today(), -10),
    serviceName: null,
  })
  const meeting = {
    startsAt: IN_A_WEEK,
    durationMinutes: 60,
    place: 'The family’s home',
    chairId: actor.userId,
    minuteTakerId: staff.users.coordinator.id,
    inviteeIds: [],
    externalIds: [],
    family: [],
  }
  await scheduleMeeting(t.db, actor, episode, meeting, '')
  return episode
}

describe('My work', () => {
  test('a team member sees their actions (overdue first), their meetings and the team they are in', async () => {
    const { gp, episode } = await nguyensCaf(await buildStaff(t.db))
    const before = await lastAuditId(t.db)
    const res = await gp.client.get('/my-work')
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.match(
      text,
      /Actions I own Action For Due Progress Send the health visitor’s letter Minh Anh Nguyễn, Mai Nguyễn .* Overdue Not started Ask the dentist for an appointment/,
    )
    assert.match(text, /Meetings coming up .* The GP practice, room 2 Not replied yet/)
    assert.match(text, /Families I am lead professional for None\./)
    assert.match(text, /Teams Around the Family I am in Minh Anh Nguyễn, Mai Nguyễn \(Plan active\)/)
    assert.match(res.body, new RegExp(`href="/episodes/${episode}/plan/actions/\\d+"`), 'each action links to where it is updated')
    const viewed = (await auditSince(t.db, before)).filter((e) => e.action === 'work.viewed')
    assert.equal(viewed.length, 1)
    assert.deepEqual((viewed[0]!.detail as { shown: number[] }).shown, [episode])
  })

  test('the lead professional sees the families they lead, and no actions that are not theirs', async () => {
    // The practitioner leads the Okafors' and the Nguyễns' CAFs, and is in the team of two more they started.
    const staff = await buildStaff(t.db)
    const actor = staff.actor('practitioner')
    await okaforsCaf(staff)
    const { practitioner } = await nguyensCaf(staff)
    const sian = await buildPerson(t.db, actor, { givenName: 'Siân', familyName: "O'Neill", dateOfBirth: '2012-07-19' })
    const intention = await startEpisode(t.db, actor, {
      childId: sian.id,
      kind: 'child',
      memberIds: [],
      start: 'intention',
      intentionReason: 'Attendance has dropped this term and Siân seems withdrawn in class.',
      plannedOn: addDays(today(), 28),
      relationship: null,
    })
    assert.equal(intention.type, 'started')
    const evans = await buildFamily(t.db, actor, { familyName: 'Evans', mother: 'Rhian', children: ['Cerys'] })
    const assessing = await startEpisode(t.db, actor, {
      childId: evans.children[0]!.id,
      kind: 'family',
      memberIds: [evans.mother.id],
      start: 'pre-assessment',
      intentionReason: null,
      plannedOn: null,
      relationship: null,
    })
    if (assessing.type !== 'started') throw new Error('the CAF for Cerys Evans could not start')
    await preAssessed(t.db, actor, assessing.id)

    const text = textOf((await practitioner.get('/my-work')).body)
    assert.match(text, /Families I am lead professional for Daniel Okafor, Joy Okafor \(Plan active\) Minh Anh Nguyễn, Mai Nguyễn \(Plan active\)/)
    assert.doesNotMatch(text, /Send the health visitor’s letter|Ask the dentist/, 'the team member’s actions are theirs, not the lead’s')
    assert.match(text, /Meetings coming up .* The GP practice, room 2/)
    assert.match(
      text,
      /Teams Around the Family I am in Siân O'Neill \(Intention to assess\) Cerys Evans \(Assessment in progress\) Support links/,
      'the families they lead are not listed twice',
    )
  })

  test('"Needs doing" counts what has slipped in the families they are responsible for, each a link to the list', async () => {
    const staff = await buildStaff(t.db)
    const episode = await okaforsCaf(staff)
    const practitioner = await staff.signIn(t.app, 'practitioner')
    const page = await practitioner.get('/my-work')
    assert.match(textOf(page.body), /Needs doing Actions overdue: 1 All your work queues/)
    assert.ok(page.body.includes('href="/desk/actions-overdue?for=mine"'))
    const list = await practitioner.get('/desk/actions-overdue?for=mine')
    assert.ok(list.body.includes(`href="/episodes/${episode}"`))
    // The coordinator is in the Okafors' team but not responsible for them: nothing of theirs has slipped.
    const coordinator = await staff.signIn(t.app, 'coordinator')
    assert.match(textOf((await coordinator.get('/my-work')).body), /Needs doing Nothing overdue in the families you are responsible for/)
  })

  test('a finished action, a cancelled meeting and a closed episode leave the list', async () => {
    const { gp, episode } = await nguyensCaf(await buildStaff(t.db))
    await t.db
      .updateTable('plan_actions')
      .set({ status: 'done' })
      .where('episode_id', '=', episode)
      .where('description', '=', 'Send the health visitor’s letter')
      .execute()
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

  test('each role sees their own part of the families; managers and administrators are refused', async () => {
    // The Okafors' plan is running; Piotr Kowalczyk's CAF, led by the practitioner, closed long enough ago that the three-month call is due.
    const staff = await buildStaff(t.db)
    await okaforsCaf(staff)
    const actor = staff.actor('practitioner')
    const kowalczyks = await buildFamily(t.db, actor, { familyName: 'Kowalczyk', mother: 'Anna', children: ['Piotr'] })
    const closed = await assessed(t.db, actor, {
      child: kowalczyks.children[0]!.id,
      others: [kowalczyks.mother.id],
      children: [kowalczyks.children[0]!.id],
      adult: kowalczyks.mother.id,
      agencies: [staff.agencies.secondary.id, staff.agencies.school.id],
    })
    assert.equal(await proposeLead(t.db, actor, closed, actor.userId, today()), 'appointed')
    await closeEpisode(t.db, actor, closed, { reason: 'needs-met', summary: 'Piotr is back in school full time; Anna has support from the housing team.' })
    await t.db
      .updateTable('follow_ups')
      .set({ due_on: sql<string>`due_on - 100` })
      .where('episode_id', '=', closed)
      .execute()

    const practitioner = textOf((await (await staff.signIn(t.app, 'practitioner')).get('/my-work')).body)
    assert.match(practitioner, /Actions I own .* Set up a morning routine chart with Daniel and Joy Daniel Okafor, Joy Okafor .* Overdue/)
    assert.match(practitioner, /Follow-up calls due Piotr Kowalczyk: 3 months after closing/)
    const coordinator = textOf((await (await staff.signIn(t.app, 'coordinator')).get('/my-work')).body)
    assert.match(coordinator, /Actions I own No actions waiting\./)
    assert.match(coordinator, /Meetings coming up .* Daniel Okafor, Joy Okafor The family’s home Not replied yet/)
    assert.match(coordinator, /Families I am lead professional for None\. Teams Around the Family I am in Daniel Okafor, Joy Okafor \(Plan active\)/)
    assert.doesNotMatch(coordinator, /Follow-up calls due/)
    const socialCare = textOf((await (await staff.signIn(t.app, 'socialCare')).get('/my-work')).body)
    assert.match(socialCare, /No actions waiting\..*No meetings coming up\..*Families I am lead professional for None\. Teams Around the Family I am in None\./)
    for (const who of ['manager', 'admin'] as const) {
      const client = await staff.signIn(t.app, who)
      assert.equal((await client.get('/my-work')).statusCode, 403, who)
    }
  })
})
