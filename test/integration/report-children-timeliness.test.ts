import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { beginPreAssessment } from '../../src/features/episodes/pre-assessment.ts'
import { preAssessed } from '../../src/features/demo/builders.ts'
import { recordReview } from '../../src/features/reviews/use-cases.ts'
import { demographics, needsIdentified } from '../../src/features/reports/children-report.ts'
import { runFigure, type Figure, type FigureContext } from '../../src/features/reports/figure.ts'
import { timeliness } from '../../src/features/reports/timeliness-report.ts'
import { reportScope } from '../../src/policies/reports.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson, householdOf } from '../helpers/factories.ts'
import { meetingHeldAt, startedEpisode } from '../helpers/queues.ts'
import { planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The children report and the timeliness report, from episodes made through the use cases with their
 * moments moved to known days in a period (1 April to 30 June 2026).
 */

let t: TestApp
let staff: Staff
const PERIOD = { from: '2026-04-01', to: '2026-06-30' }
const at = (moment: string) => sql`(${moment}::timestamp at time zone 'Europe/London')`
const lead = () => staff.actor('practitioner')

/** A past meeting of the episode's team. */
const meetingAt = (episode: number, moment: string) => meetingHeldAt(t.db, lead(), episode, new Date(`${moment}Z`))

const review = (episode: number, outcome: number, heldOn: string, nextReviewOn: string) =>
  recordReview(
    t.db,
    lead(),
    episode,
    {
      heldOn,
      outcomes: { [outcome]: { progress: 'progressing', evidence: 'Better most days.' } },
      scores: [],
      actions: [],
      newOutcome: null,
      decision: 'continue',
      nextReviewOn,
      closing: null,
      stepUp: null,
      summary: null,
    },
    '',
  )

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const by = lead()

  // An intention to assess on 5 April that became an assessment on 15 April: 10 days.
  const intention = await startedEpisode(t.db, by, 'intention')
  await beginPreAssessment(t.db, by, intention.id)
  await preAssessed(t.db, by, intention.id)
  await sql`update episode_stage_changes set changed_at = case to_stage when 'intention' then ${at('2026-04-05 09:00')} else ${at('2026-04-15 09:00')} end
    where episode_id = ${intention.id}`.execute(t.db)
  await sql`update episodes set assessment_started_at = ${at('2026-04-15 09:00')} where id = ${intention.id}`.execute(t.db)

  // Three children of one family, assessed from 1 May for 20 days; their first meeting 10 days after.
  const children = [
    await buildPerson(t.db, by, { sex: 'male', ethnicity: 'WBRI', dateOfBirth: '2020-01-10' }),
    await buildPerson(t.db, by, { sex: 'female', ethnicity: 'AIND', dateOfBirth: '2012-03-01', disability: 'Autism' }),
    await buildPerson(t.db, by, { sex: 'female', ethnicity: 'AIND', dateOfBirth: '2026-02-01', disability: 'None' }),
  ]
  const family = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id], family: await householdOf(t.db, by, children), lead: true })
  await sql`update episodes set assessment_started_at = ${at('2026-05-01 09:00')}, assessment_completed_at = ${at('2026-05-21 09:00')} where id = ${family.id}`.execute(
    t.db,
  )
  await meetingAt(family.id, '2026-05-31T10:00:00')
  // Its plan from 1 June: the first review due 42 days on (level 3) is held in time, the second late.
  await planAction(t.db, by, family.id)
  await sql`update episode_stage_changes set changed_at = ${at('2026-06-01 09:00')} where episode_id = ${family.id} and to_stage = 'plan-active'`.execute(t.db)
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', family.id).executeTakeFirstOrThrow()).id
  await review(family.id, outcome, '2026-06-20', '2026-06-25')
  await review(family.id, outcome, '2026-06-28', '2026-08-01')

  // Assessed from 1 May for 40 days, its first meeting 20 days later (late), closed on 29 June.
  const other = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id], lead: true })
  await sql`update episodes set assessment_started_at = ${at('2026-05-01 09:00')}, assessment_completed_at = ${at('2026-06-10 09:00')} where id = ${other.id}`.execute(
    t.db,
  )
  await meetingAt(other.id, '2026-06-30T10:00:00')
  await closeEpisode(t.db, by, other.id, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: 'Done' })
  await sql`update episodes set closed_at = ${at('2026-06-29 12:00')} where id = ${other.id}`.execute(t.db)
})
after(() => t?.close())

const ctx = (): FigureContext => ({ scope: reportScope(staff.actor('coordinator')), filters: { period: PERIOD, localityId: null }, today: '2026-12-01' })
async function rowsOf<R>(f: Figure<R>, key: string) {
  const table = (await runFigure(t.db, f, ctx())).find((x) => x.key === key)
  assert.ok(table, `no table ${key}`)
  return table.rows
}
const pairs = (rows: Record<string, unknown>[], a: string, b: string) => rows.map((r) => [r[a], r[b]])

describe('the children of the assessments started', () => {
  test('by age on the day the assessment started, sex, ethnicity and disability', async () => {
    // The intention's child and the second episode's child are the factory's: born 1 June 2015, sex and ethnicity not recorded.
    assert.deepEqual(pairs(await rowsOf(demographics, 'age'), 'label', 'n'), [
      ['Unborn or under 1', 1],
      ['5 to 10', 3],
      ['11 to 15', 1],
    ])
    assert.deepEqual(pairs(await rowsOf(demographics, 'sex'), 'label', 'n'), [
      ['Female', 2],
      ['Male', 1],
      ['Not known', 2],
    ])
    assert.deepEqual(pairs(await rowsOf(demographics, 'ethnicity'), 'label', 'n'), [
      ['White British', 1],
      ['Indian', 2],
      ['Information not yet obtained', 2],
    ])
    assert.deepEqual(pairs(await rowsOf(demographics, 'disability'), 'label', 'n'), [
      ['A disability recorded', 1],
      ['No disability recorded', 4],
    ])
  })

  test('needs: the parts of the assessment scored in the lower half of the scale, per child', async () => {
    // The factory's assessment scores General health 4 (practitioner) for each child, on a scale of 1 to 10.
    const rows = await rowsOf(needsIdentified, 'needs')
    assert.deepEqual(
      rows.map((r) => [r.element, r.domain, r.n, r.children]),
      [['General health', 'Development of the child', 3 + 1, 2]],
    )
  })
})

test('timeliness: each step’s count, middle value and share on time', async () => {
  const hours = (days: unknown) => (typeof days === 'number' ? Math.round(days * 24) : days)
  const rows = Object.fromEntries((await rowsOf(timeliness, 'timeliness')).map((r) => [r.step, [r.n, hours(r.median), r.onTime, r.share]]))
  assert.deepEqual(rows, {
    // In hours: the meetings were at 11:00, two hours after the 09:00 completions.
    'Intention to assess to the assessment starting': [1, 10 * 24, null, null],
    'Assessment started to completed': [2, 30 * 24, null, null],
    'Assessment completed to the first Team Around the Family meeting': [2, 15 * 24 + 2, 1, 0.5],
    'Reviews held by the day they were due': [2, null, 1, 0.5],
    'Length of the episodes that closed (from the assessment starting)': [1, 59 * 24 + 3, null, null],
  })
  assert.deepEqual(pairs(await rowsOf(timeliness, 'length'), 'band', 'n'), [
    ['Under 3 months', 1],
    ['3 to 6 months', 0],
    ['6 months to a year', 0],
    ['A year or more', 0],
  ])
})
