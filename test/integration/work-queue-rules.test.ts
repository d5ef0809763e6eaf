import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { getCafSettings, updateCafSettings } from '../../src/features/admin/caf-config/use-cases.ts'
import { recordCopyGiven } from '../../src/features/assessment/use-cases.ts'
import { closeEpisode, recordFollowUp } from '../../src/features/closure/use-cases.ts'
import { withdrawConsent } from '../../src/features/episodes/consent.ts'
import { acceptLead, proposeLead } from '../../src/features/episodes/lead.ts'
import { beginPreAssessment } from '../../src/features/episodes/pre-assessment.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import { addAction, startPlan, updateAction } from '../../src/features/plans/use-cases.ts'
import { requestStepUp } from '../../src/features/social-care/step-ups.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { backdate, heldMeeting, queuesOf } from '../helpers/queues.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Each work queue's rule: an item shows on the day the rule says (not the day before) and leaves the
 * queue once the thing is done. Defaults: first meeting 14 days after the assessment, the family's copy
 * 10 days, a lead accepted within 5 days, intentions followed up after 28 days, open at most 365 days.
 */

let t: TestApp
let staff: Staff

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const EPISODE_COMPLETED = { table: 'episodes', column: 'assessment_completed_at' } as const
const practitioner = () => staff.actor('practitioner')
const inQueue = async (episode: number, key: Parameters<Awaited<ReturnType<typeof queuesOf>>['get']>[0]) =>
  (await queuesOf(t.db, staff.la.id, episode)).get(key) ?? []

describe('the first Team Around the Family meeting', () => {
  test('is overdue from the day after the 14th day, and leaves the queue once a meeting is held', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await backdate(t.db, EPISODE_COMPLETED, id, 14)
    assert.deepEqual(await inQueue(id, 'first-meeting'), [], 'on the 14th day it is due, not overdue')
    await backdate(t.db, EPISODE_COMPLETED, id, 1)
    const [row] = await inQueue(id, 'first-meeting')
    assert.equal(row?.dueOn, addDays(today(), -1))
    assert.equal(row?.note, 'No meeting booked')
    await heldMeeting(t.db, practitioner(), id, 1, {})
    assert.deepEqual(await inQueue(id, 'first-meeting'), [])
  })
})

describe('the family’s copy of the assessment', () => {
  test('is overdue after 10 days, and leaves the queue once recorded as given', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await backdate(t.db, EPISODE_COMPLETED, id, 10)
    assert.deepEqual(await inQueue(id, 'copy-not-given'), [])
    await backdate(t.db, EPISODE_COMPLETED, id, 1)
    assert.equal((await inQueue(id, 'copy-not-given')).length, 1)
    await recordCopyGiven(t.db, practitioner(), id, today())
    assert.deepEqual(await inQueue(id, 'copy-not-given'), [])
  })
})

describe('the lead professional', () => {
  test('a completed assessment with no lead shows at once; a proposal waits 5 days before it shows as not accepted', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id, staff.agencies.gp.id] })
    assert.equal((await inQueue(id, 'no-lead'))[0]?.note, 'Nobody is lead professional')
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    assert.equal(await addTeamMember(t.db, practitioner(), id, gp.id), 'added')
    assert.equal(await proposeLead(t.db, practitioner(), id, gp.id, today()), 'proposed')
    assert.deepEqual(await inQueue(id, 'no-lead'), [], 'asked today: waiting for an answer')
    const pending = await t.db.selectFrom('lead_professionals').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()
    await backdate(t.db, { table: 'lead_professionals', column: 'proposed_at' }, pending.id, 5)
    assert.deepEqual(await inQueue(id, 'no-lead'), [])
    await backdate(t.db, { table: 'lead_professionals', column: 'proposed_at' }, pending.id, 1)
    assert.equal((await inQueue(id, 'no-lead'))[0]?.note, 'Asked, not yet accepted')
    const gpActor = { ...practitioner(), userId: gp.id, agencyId: staff.agencies.gp.id }
    await acceptLead(t.db, gpActor, id)
    assert.deepEqual(await inQueue(id, 'no-lead'), [])
  })

  test('the council sets the days to accept: at 2 days, a proposal shows from the third day', async () => {
    const own = await buildStaff(t.db)
    const admin = own.actor('admin')
    await updateCafSettings(t.db, admin, { ...(await getCafSettings(t.db, admin)), leadAcceptDays: 2 })
    const me = own.actor('practitioner')
    const { id } = await buildEpisode(t.db, me, { consentedAgencies: [own.agencies.school.id, own.agencies.gp.id] })
    const gp = await buildColleague(t.db, t.app, own, 'gp')
    await addTeamMember(t.db, me, id, gp.id)
    await proposeLead(t.db, me, id, gp.id, today())
    const pending = await t.db.selectFrom('lead_professionals').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()
    await backdate(t.db, { table: 'lead_professionals', column: 'proposed_at' }, pending.id, 2)
    assert.deepEqual((await queuesOf(t.db, own.la.id, id)).get('no-lead'), undefined)
    await backdate(t.db, { table: 'lead_professionals', column: 'proposed_at' }, pending.id, 1)
    assert.equal((await queuesOf(t.db, own.la.id, id)).get('no-lead')?.[0]?.note, 'Asked, not yet accepted')
  })
})

describe('intentions to assess', () => {
  test('need following up from the day after the 28th, and leave the queue when the pre-assessment begins', async () => {
    const child = await buildPerson(t.db, practitioner())
    const started = await startEpisode(t.db, practitioner(), {
      childId: child.id,
      kind: 'child',
      memberIds: [],
      start: 'intention',
      intentionReason: 'Talk to mum first',
      plannedOn: null,
      relationship: null,
    })
    assert.equal(started.type, 'started')
    const id = started.type === 'started' ? started.id : 0
    await backdate(t.db, { table: 'episodes', column: 'created_at' }, id, 28)
    assert.deepEqual(await inQueue(id, 'intentions'), [])
    await backdate(t.db, { table: 'episodes', column: 'created_at' }, id, 1)
    assert.equal((await inQueue(id, 'intentions'))[0]?.note, 'Talk to mum first')
    await beginPreAssessment(t.db, practitioner(), id)
    assert.deepEqual(await inQueue(id, 'intentions'), [])
  })
})

describe('consent', () => {
  test('an episode whose family withdrew consent shows until it closes', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    assert.deepEqual(await inQueue(id, 'consent'), [])
    assert.equal(await withdrawConsent(t.db, practitioner(), id, today(), 'Mum no longer wants help'), true)
    assert.deepEqual(
      (await inQueue(id, 'consent')).map((r) => [r.note, r.dueOn]),
      [['Withdrawn', today()]],
    )
    await closeEpisode(t.db, practitioner(), id, { reason: 'withdrew', summary: 'Family withdrew.' })
    assert.deepEqual(await inQueue(id, 'consent'), [])
  })
})

describe('the plan', () => {
  async function planned() {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await startPlan(t.db, practitioner(), id)
    const outcome = await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()
    const owner = { kind: 'user' as const, id: practitioner().userId }
    const action = await addAction(t.db, practitioner(), id, outcome.id, { description: 'Book the dentist', owner, dueOn: today(), serviceName: null })
    return { id, action, owner }
  }
  const setReview = (id: number, on: string) => sql`update episodes set next_review_on = ${on} where id = ${id}`.execute(t.db)

  test('a review due today is due soon, not overdue; yesterday’s is overdue; 8 days ahead is in neither list', async () => {
    const { id } = await planned()
    for (const [offset, soon, overdue] of [
      [0, 1, 0],
      [7, 1, 0],
      [8, 0, 0],
      [-1, 0, 1],
    ] as const) {
      await setReview(id, addDays(today(), offset))
      assert.equal((await inQueue(id, 'reviews-soon')).length, soon, `review in ${offset} days: due soon`)
      assert.equal((await inQueue(id, 'reviews-overdue')).length, overdue, `review in ${offset} days: overdue`)
    }
  })

  test('an action due today is not overdue; from tomorrow it is, until it is done', async () => {
    const { id, action, owner } = await planned()
    assert.deepEqual(await inQueue(id, 'actions-overdue'), [])
    await backdate(t.db, { table: 'plan_actions', column: 'due_on' }, action, 1)
    assert.deepEqual(
      (await inQueue(id, 'actions-overdue')).map((r) => [r.itemId, r.note]),
      [[action, 'Book the dentist']],
    )
    const version = (await t.db.selectFrom('plan_actions').select('version').where('id', '=', action).executeTakeFirstOrThrow()).version
    await updateAction(t.db, practitioner(), id, action, {
      description: 'Book the dentist',
      owner,
      dueOn: addDays(today(), -1),
      serviceName: null,
      status: 'done',
      notDoneReason: null,
      version,
    })
    assert.deepEqual(await inQueue(id, 'actions-overdue'), [])
  })
})

describe('after closing', () => {
  test('a follow-up call shows on its due day and leaves once made', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await closeEpisode(t.db, practitioner(), id, { reason: 'other', summary: 'Done.' })
    assert.deepEqual(await inQueue(id, 'follow-ups'), [], 'the first call is 3 months away')
    const call = await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', id).where('months', '=', 3).executeTakeFirstOrThrow()
    await sql`update follow_ups set due_on = ${today()} where id = ${call.id}`.execute(t.db)
    assert.deepEqual(
      (await inQueue(id, 'follow-ups')).map((r) => r.note),
      ['3 months after closing'],
    )
    await recordFollowUp(t.db, practitioner(), id, call.id, {
      contactedOn: today(),
      stayedBetter: 'yes',
      stayedBetterWords: null,
      recommend: 'yes',
      couldBeBetter: null,
    })
    assert.deepEqual(await inQueue(id, 'follow-ups'), [])
  })

  test('a step up social care has not decided by its day is listed from the day after', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    const stepUp = await requestStepUp(t.db, practitioner(), id, { reason: 'Needs social care now.', risks: 'Left alone at night' }, '')
    assert.deepEqual(await inQueue(id, 'step-ups'), [], 'not yet due')
    await sql`update step_ups set decide_by = ${addDays(today(), -1)}::date where id = ${stepUp}`.execute(t.db)
    assert.deepEqual(
      (await inQueue(id, 'step-ups')).map((r) => [r.dueOn, r.itemId]),
      [[addDays(today(), -1), stepUp]],
    )
  })
})

describe('meetings', () => {
  test('an agency that missed two meetings in a row shows, until it attends one', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id, staff.agencies.gp.id], lead: true })
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    assert.equal(await addTeamMember(t.db, practitioner(), id, gp.id), 'added')
    await heldMeeting(t.db, practitioner(), id, 20, { [gp.id]: 'did-not-attend' })
    assert.deepEqual(await inQueue(id, 'non-attendance'), [], 'once is not repeated')
    await heldMeeting(t.db, practitioner(), id, 10, { [gp.id]: 'did-not-attend' })
    const [row] = await inQueue(id, 'non-attendance')
    assert.equal(row?.itemId, staff.agencies.gp.id)
    assert.equal(row?.note, `${staff.agencies.gp.name} did not attend 2 meetings in a row`)
    await heldMeeting(t.db, practitioner(), id, 1, { [gp.id]: 'attended' })
    assert.deepEqual(await inQueue(id, 'non-attendance'), [])
  })
})

describe('an episode open too long', () => {
  test('shows from the day after 365 days open with no review, and leaves when it closes', async () => {
    const { id } = await buildEpisode(t.db, practitioner(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await backdate(t.db, { table: 'episodes', column: 'created_at' }, id, 365)
    assert.deepEqual(await inQueue(id, 'open-too-long'), [])
    await backdate(t.db, { table: 'episodes', column: 'created_at' }, id, 1)
    assert.equal((await inQueue(id, 'open-too-long')).length, 1)
    await closeEpisode(t.db, practitioner(), id, { reason: 'other', summary: 'Done.' })
    assert.deepEqual(await inQueue(id, 'open-too-long'), [])
  })
})
