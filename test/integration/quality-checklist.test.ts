import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { recordCopyGiven } from '../../src/features/assessment/use-cases.ts'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { preAssessed } from '../../src/features/demo/builders.ts'
import { recordConsent, withdrawConsent } from '../../src/features/episodes/consent.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { addAction, startPlan } from '../../src/features/plans/use-cases.ts'
import { checklistOf, type Checklist } from '../../src/features/quality/checklist.ts'
import { recordReview } from '../../src/features/reviews/use-cases.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { backdate, heldMeeting, startedEpisode } from '../helpers/queues.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The quality audit's checklist, computed from the record: every item yes on a CAF done fully and on
 * time; each missing or late item a no; the steps that cannot have happened yet "not due".
 */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const me = () => staff.actor('practitioner')
const checklist = (episode: number) => checklistOf(t.db, staff.la.id, episode)
const COMPLETED = { table: 'episodes', column: 'assessment_completed_at' } as const

/** A child at school with a GP, and their mother, in one household. */
async function familyAtSchool(child: { dateOfBirth: string; school: boolean; gp: boolean }) {
  const kid = await buildPerson(t.db, me(), {
    dateOfBirth: child.dateOfBirth,
    schoolId: child.school ? staff.agencies.school.id : null,
    gpId: child.gp ? staff.agencies.gp.id : null,
  })
  const mother = await buildPerson(t.db, me(), { dateOfBirth: '1985-02-01', sex: 'female' })
  await addHouseholdMember(t.db, me(), kid.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  return { mother, children: [kid] }
}

/** As if the plan had begun `days` earlier: its start, and the first review it set. */
async function planBeganEarlier(episode: number, days: number) {
  const change = await t.db
    .selectFrom('episode_stage_changes')
    .select('id')
    .where('episode_id', '=', episode)
    .where('to_stage', '=', 'plan-active')
    .executeTakeFirstOrThrow()
  await backdate(t.db, { table: 'episode_stage_changes', column: 'changed_at' }, change.id, days)
  await backdate(t.db, { table: 'episodes', column: 'next_review_on' }, episode, days)
}

async function planActiveSince(episode: number, days: number) {
  await startPlan(t.db, me(), episode)
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  await addAction(t.db, me(), episode, outcome, {
    description: 'Morning routine chart',
    owner: { kind: 'user', id: me().userId },
    dueOn: addDays(today(), 14),
    serviceName: null,
  })
  await planBeganEarlier(episode, days)
  return outcome
}

const only = (c: Checklist, keys: (keyof Checklist)[]) => Object.fromEntries(keys.map((k) => [k, c[k]]))

describe('the checklist on a CAF done fully and on time', () => {
  test('answers yes to every item', async () => {
    const family = await familyAtSchool({ dateOfBirth: '2015-03-04', school: true, gp: true })
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], family, lead: true })
    await backdate(t.db, COMPLETED, id, 10)
    await heldMeeting(t.db, me(), id, 3)
    await recordCopyGiven(t.db, me(), id, addDays(today(), -8))
    const outcome = await planActiveSince(id, 40)
    await recordReview(
      t.db,
      me(),
      id,
      {
        heldOn: today(),
        outcomes: { [outcome]: { progress: 'progressing', evidence: 'On time three days in five.' } },
        scores: [],
        actions: [],
        newOutcome: null,
        decision: 'continue',
        nextReviewOn: addDays(today(), 42),
        closing: null,
        stepUp: null,
        summary: null,
      },
      '',
    )
    assert.deepEqual(await checklist(id), {
      consent: 'yes',
      present: 'yes',
      'child-views': 'yes',
      'parent-views': 'yes',
      'school-gp': 'yes',
      outcomes: 'yes',
      actions: 'yes',
      'first-meeting': 'yes',
      reviews: 'yes',
      copy: 'yes',
    })
  })
})

describe('the checklist on an incomplete CAF', () => {
  test('an assessment just begun: what it should have is missing, and what comes later is not due yet', async () => {
    const { id } = await startedEpisode(t.db, me(), 'pre-assessment')
    await preAssessed(t.db, me(), id)
    assert.deepEqual(await checklist(id), {
      consent: 'no',
      present: 'no',
      'child-views': 'no',
      'parent-views': 'no',
      'school-gp': 'no',
      outcomes: 'no',
      actions: 'not-due',
      'first-meeting': 'not-due',
      reviews: 'not-due',
      copy: 'not-due',
    })
  })

  test('no first meeting and no copy: not due on the deadline day, missing the day after', async () => {
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await backdate(t.db, COMPLETED, id, 10)
    assert.deepEqual(only(await checklist(id), ['first-meeting', 'copy']), { 'first-meeting': 'not-due', copy: 'not-due' })
    await backdate(t.db, COMPLETED, id, 1)
    assert.deepEqual(only(await checklist(id), ['first-meeting', 'copy']), { 'first-meeting': 'not-due', copy: 'no' }, 'the copy was due in 10 days')
    await backdate(t.db, COMPLETED, id, 4)
    assert.equal((await checklist(id))['first-meeting'], 'no', 'the first meeting was due in 14 days')
  })

  test('a first meeting held late stays a no once it is held', async () => {
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await backdate(t.db, COMPLETED, id, 20)
    await heldMeeting(t.db, me(), id, 1)
    assert.equal((await checklist(id))['first-meeting'], 'no')
  })

  test('a review overdue is a no; the school is not asked of a child under 5, but the GP is', async () => {
    const baby = await familyAtSchool({ dateOfBirth: addDays(today(), -400), school: false, gp: true })
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], family: baby, lead: true })
    await planActiveSince(id, 41)
    assert.deepEqual(
      only(await checklist(id), ['reviews', 'school-gp', 'actions']),
      { reviews: 'not-due', 'school-gp': 'yes', actions: 'yes' },
      'due on the 42nd day',
    )
    await planBeganEarlier(id, 2)
    assert.equal((await checklist(id)).reviews, 'no')
    const noGp = await familyAtSchool({ dateOfBirth: addDays(today(), -400), school: false, gp: false })
    const other = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], family: noGp })
    assert.equal((await checklist(other.id))['school-gp'], 'no')
  })

  test('closed with a review overdue and no copy given: both missing, though no queue lists a closed episode', async () => {
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    await heldMeeting(t.db, me(), id, 0)
    await planActiveSince(id, 50)
    await closeEpisode(t.db, me(), id, { reason: 'needs-met', summary: 'Things are better.', openOutcomesReason: 'Mornings are calm now.' })
    assert.deepEqual(only(await checklist(id), ['reviews', 'copy', 'first-meeting']), { reviews: 'no', copy: 'no', 'first-meeting': 'yes' })
  })

  test('a child whose date of birth nobody recorded needs a GP and a school; an unborn child neither', async () => {
    const unknownAge = await buildPerson(t.db, me(), { dateOfBirth: null, gpId: staff.agencies.gp.id })
    const mother = await buildPerson(t.db, me(), { dateOfBirth: '1985-02-01', sex: 'female' })
    await addHouseholdMember(t.db, me(), unknownAge.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
    const { id } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], family: { mother, children: [unknownAge] } })
    assert.equal((await checklist(id))['school-gp'], 'no', 'no school recorded')
    const unborn = await buildPerson(t.db, me(), { dateOfBirth: null, expectedDeliveryDate: addDays(today(), 60), motherId: mother.id })
    await addHouseholdMember(t.db, me(), unborn.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
    const other = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], family: { mother, children: [unborn] } })
    assert.equal((await checklist(other.id))['school-gp'], 'yes')
  })

  test('consent refused or withdrawn is recorded and clear: a yes, not a gap', async () => {
    const { id, parent } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id], lead: true })
    assert.equal(await withdrawConsent(t.db, me(), id, today(), 'The family want to stop'), true)
    assert.equal((await checklist(id)).consent, 'yes')
    await recordConsent(t.db, me(), id, {
      decision: 'refused',
      givenBy: parent.id,
      giverRole: 'parent-with-pr',
      method: 'verbal',
      givenOn: today(),
      agencyIds: [],
    })
    assert.equal((await checklist(id)).consent, 'yes')
  })
})
