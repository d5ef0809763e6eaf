import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { closeEpisode, recordFollowUp } from '../../src/features/closure/use-cases.ts'
import { runFigure, type Figure, type FigureContext } from '../../src/features/reports/figure.ts'
import { distanceByCohort, distanceByElement, distanceByService, followUps, outcomesAchieved } from '../../src/features/reports/outcomes-report.ts'
import { recordReview } from '../../src/features/reviews/use-cases.ts'
import { changeReferral, referFromAction } from '../../src/features/services/referrals.ts'
import { reportScope } from '../../src/policies/reports.ts'
import { today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { buildService, planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The outcomes report from two episodes reviewed today, their scores known at the assessment (the
 * factory's: General health, practitioner 4, family 3) and at the review; one used a service, one
 * closed with one desired outcome achieved, and its 3-month call was made.
 */

let t: TestApp
let staff: Staff
const lead = () => staff.actor('practitioner')

/** A review today, the first outcome as given and the child's General health scored again. */
async function reviewed(episode: number, child: number, scores: { practitioner: number; family: number }, progress: 'achieved' | 'progressing') {
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).orderBy('id').executeTakeFirstOrThrow()).id
  await recordReview(
    t.db,
    lead(),
    episode,
    {
      heldOn: today(),
      outcomes: { [outcome]: { progress, evidence: 'What the family said.' } },
      scores: [{ subjectId: child, element: 'general-health', ...scores }],
      actions: [],
      newOutcome: null,
      decision: 'continue',
      nextReviewOn: '2027-02-01',
      closing: null,
      stepUp: null,
      summary: null,
    },
    '',
  )
}

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const consented = [staff.agencies.school.id, staff.agencies.voluntary.id]

  const first = await buildEpisode(t.db, lead(), { consentedAgencies: consented, lead: true })
  const action = await planAction(t.db, lead(), first.id)
  await reviewed(first.id, first.child.id, { practitioner: 7, family: 6 }, 'progressing')
  // It used the breakfast club: referred from the plan, started by the provider.
  const service = await buildService(t.db, staff.actor('coordinator'), staff.agencies.voluntary.id, { name: 'Breakfast club' })
  const referral = await referFromAction(t.db, lead(), first.id, action, { serviceId: service, childId: first.child.id })
  const provider = actorOf(await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.voluntary.id }), staff.agencies.voluntary.id)
  const move = { startedOn: null, helped: null, reason: null }
  await changeReferral(t.db, provider, { episodeId: first.id }, referral, { ...move, to: 'accepted' }, '')
  await changeReferral(t.db, provider, { episodeId: first.id }, referral, { ...move, to: 'started', startedOn: today() }, '')

  const second = await buildEpisode(t.db, lead(), { consentedAgencies: consented, lead: true })
  await planAction(t.db, lead(), second.id)
  await reviewed(second.id, second.child.id, { practitioner: 5, family: 8 }, 'achieved')
  await closeEpisode(t.db, lead(), second.id, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: null })
  // Its 3-month call, made early for the test: things stayed better, and the family would recommend it.
  const call = await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', second.id).where('months', '=', 3).executeTakeFirstOrThrow()
  await sql`update follow_ups set due_on = current_date where id = ${call.id}`.execute(t.db)
  await recordFollowUp(t.db, lead(), second.id, call.id, {
    contactedOn: today(),
    stayedBetter: 'yes',
    stayedBetterWords: null,
    recommend: 'yes',
    couldBeBetter: null,
  })
})
after(() => t?.close())

const ctx = (): FigureContext => ({
  scope: reportScope(staff.actor('coordinator')),
  filters: { period: { from: today(), to: today() }, localityId: null },
  today: today(),
})
async function rowsOf<R>(f: Figure<R>, key: string) {
  const table = (await runFigure(t.db, f, ctx())).find((x) => x.key === key)
  assert.ok(table, `no table ${key}`)
  return table.rows
}
const change = (r: Record<string, unknown>) => [r.label, r.n, r.practitioner, r.family, r.gapBefore, r.gapAfter]

test('desired outcomes of the episodes that closed: achieved, against those set', async () => {
  const rows = Object.fromEntries((await rowsOf(outcomesAchieved, 'outcomes')).map((r) => [r.status, r.n]))
  assert.deepEqual(rows, { Achieved: 1, 'No longer relevant': 0, 'Not achieved when the episode closed': 0, Set: 1 })
})

test('distance travelled by part of the assessment: each score’s change and the family–practitioner gap', async () => {
  // Practitioner 4 to 7 and 4 to 5; family 3 to 6 and 3 to 8. Gaps (family less practitioner): -1 and -1, then -1 and +3.
  assert.deepEqual((await rowsOf(distanceByElement, 'distance')).map(change), [['General health', 2, 2, 4, -1, 1]])
})

test('distance travelled by cohort and by the services used', async () => {
  const byNeed = (await rowsOf(distanceByCohort, 'distance-need')).map(change)
  assert.deepEqual(byNeed, [['Level 3: multiple or complex needs', 2, 2, 4, -1, 1]])
  assert.deepEqual((await rowsOf(distanceByCohort, 'distance-age')).map(change), [['11 to 15', 2, 2, 4, -1, 1]], 'the factory’s child, born 1 June 2015')
  assert.deepEqual((await rowsOf(distanceByService, 'distance-service')).map(change), [['Breakfast club', 1, 3, 3, -1, -1]])
})

test('whether the change lasted, at the calls after closing', async () => {
  const rows = (await rowsOf(followUps, 'follow-ups')).map((r) => [r.when, r.due, r.done, r.yes, r.lasted, r.recommend])
  assert.deepEqual(rows, [['3 months', 1, 1, 1, 1, 1]])
})
