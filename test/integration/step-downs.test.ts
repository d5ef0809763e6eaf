import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { acceptLead, proposeLead } from '../../src/features/episodes/lead.ts'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import { scheduleMeeting } from '../../src/features/meetings/use-cases.ts'
import { stepDownLists, stepDownView } from '../../src/features/social-care/step-down-queries.ts'
import { endInvolvement, handoverState, startStepDown, StepDownRefused, type StepDownInput } from '../../src/features/social-care/step-downs.ts'
import { addDays, londonInstant, today } from '../../src/web/dates.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { actorOf, buildPerson, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * A step down: social care hands a family to early help. A new episode starts with what social care
 * knows and the family's consent; the hub allocates a lead who must accept; the Team Around the Family
 * meets at least 3 weeks before social care lets go; social care cannot let go before a lead accepts.
 */

let t: TestApp
let staff: Staff
let level: string
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  level = (await t.db.selectFrom('need_levels').select('code').where('la_id', '=', staff.la.id).where('tier', '=', 3).executeTakeFirstOrThrow()).code
})
after(() => t?.close())

const social = () => staff.actor('socialCare')
const hub = () => staff.actor('coordinator')
const input = (childId: number, over: Partial<StepDownInput> = {}): StepDownInput => ({
  decisionPoint: 'cin-closure',
  endsOn: addDays(today(), 42),
  known: 'Child in need plan closing: home conditions improved; mum needs help with routines',
  proposedAgencyId: staff.agencies.school.id,
  needLevel: level,
  giverId: childId,
  giverRole: 'young-person',
  method: 'written',
  givenOn: today(),
  ...over,
})

async function steppedDown(over: Partial<StepDownInput> = {}) {
  const child = await buildPerson(t.db, social(), { dateOfBirth: '2012-02-02' })
  const id = await startStepDown(t.db, social(), child.id, input(child.id, over))
  const { episode_id: episodeId } = await t.db.selectFrom('step_downs').select('episode_id').where('id', '=', id).executeTakeFirstOrThrow()
  return { id, episodeId, child }
}

/** The hub allocates the school's practitioner as lead; they are asked, not yet lead. */
async function allocate(episodeId: number) {
  assert.equal(await addTeamMember(t.db, hub(), episodeId, staff.users.practitioner.id), 'added')
  assert.equal(await proposeLead(t.db, hub(), episodeId, staff.users.practitioner.id, today()), 'proposed')
}

describe('stepping a family down', () => {
  test('starts an episode in the assessment, with the consent, social care in its team, and nothing asked twice; the hub must allocate a lead', async () => {
    const { id, episodeId } = await steppedDown()
    const episode = await t.db.selectFrom('episodes').selectAll().where('id', '=', episodeId).executeTakeFirstOrThrow()
    assert.equal(episode.status, 'assessment')
    assert.equal(episode.origin, 'step-down')
    assert.equal(episode.need_level, level)
    assert.equal(episode.initiator_user_id, staff.users.socialCare.id)
    const agencies = await t.db.selectFrom('consent_agencies').select('agency_id').where('episode_id', '=', episodeId).execute()
    assert.deepEqual(new Set(agencies.map((a) => a.agency_id)), new Set([staff.agencies.school.id, staff.agencies.socialCare.id]))
    const lists = await stepDownLists(t.db, staff.la.id)
    assert.ok(lists.open.some((d) => d.id === id && d.leadState === 'to-allocate'))
    assert.ok(lists.toAllocate >= 1)
  })

  test('social care cannot record its involvement as ended until a lead professional has accepted', async () => {
    const { id, episodeId } = await steppedDown()
    const refused = (e: unknown) => e instanceof StepDownRefused && /lead professional must accept/.test(e.errors.form!)
    await assert.rejects(endInvolvement(t.db, social(), id, today()), refused, 'no lead')
    await allocate(episodeId)
    await assert.rejects(endInvolvement(t.db, social(), id, today()), refused, 'asked, not accepted')
    await acceptLead(t.db, staff.actor('practitioner'), episodeId)
    await endInvolvement(t.db, social(), id, today())
    const ended = await stepDownView(t.db, staff.la.id, id)
    assert.equal(ended.ended_on, today())
    // Social care let go six weeks early, with no meeting held: the rule is judged against the day it did.
    assert.deepEqual([ended.meetingNeededBy, ended.handover], [addDays(today(), -21), 'broken'])
    await assert.rejects(endInvolvement(t.db, social(), id, today()), StepDownRefused, 'recorded once')
  })

  test('the lead arranges the handover meeting while the assessment is still being written; the 3-week rule then reads "arranged"', async () => {
    const { id, episodeId } = await steppedDown({ endsOn: addDays(today(), 30) })
    assert.equal((await stepDownView(t.db, staff.la.id, id)).handover, 'at-risk', 'meeting needed within 9 days, none arranged')
    await allocate(episodeId)
    await acceptLead(t.db, staff.actor('practitioner'), episodeId)
    await scheduleMeeting(
      t.db,
      staff.actor('practitioner'),
      episodeId,
      {
        startsAt: londonInstant(addDays(today(), 9), 10, 0),
        durationMinutes: 60,
        place: 'School',
        chairId: staff.users.practitioner.id,
        minuteTakerId: staff.users.practitioner.id,
        inviteeIds: [staff.users.socialCare.id],
        externalIds: [],
        family: [],
      },
      'https://caf.example',
    )
    const view = await stepDownView(t.db, staff.la.id, id)
    assert.equal(view.meetingNeededBy, addDays(today(), 9))
    assert.equal(view.handover, 'arranged', 'a meeting on the last day in time counts')
  })

  test('only social care steps down and lets go; a child with an open CAF is not stepped down again; the hub and the lead read it, others do not', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2012-02-02' })
    await assert.rejects(startStepDown(t.db, staff.actor('practitioner'), child.id, input(child.id)), Forbidden)
    const adult = await buildPerson(t.db, social(), { dateOfBirth: '1980-02-02' })
    await assert.rejects(
      startStepDown(t.db, social(), adult.id, input(adult.id)),
      (e: unknown) => e instanceof StepDownRefused && /under 18/.test(e.errors.form!),
    )
    const { id, episodeId } = await steppedDown()
    await assert.rejects(endInvolvement(t.db, hub(), id, today()), Forbidden)
    const again = await t.db
      .selectFrom('episode_people')
      .select('person_id')
      .where('episode_id', '=', episodeId)
      .where('role', '=', 'child')
      .executeTakeFirstOrThrow()
    await assert.rejects(
      startStepDown(t.db, social(), again.person_id, input(again.person_id)),
      (e: unknown) => e instanceof StepDownRefused && /open CAF/.test(e.errors.form!),
    )
    const stranger = actorOf(await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.gp.id }), staff.agencies.gp.id)
    await assert.rejects(endInvolvement(t.db, stranger, id, today()), NotFound)
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    assert.equal((await gp.client.get(`/step-downs/${id}`)).statusCode, 404)
    assert.match(textOf((await (await staff.signIn(t.app, 'coordinator')).get(`/step-downs/${id}`)).body), /Not yet allocated/)
  })
})

describe('the 3-week rule', () => {
  const ends = '2027-03-29'
  test('a meeting held on the day 3 weeks before the end meets it; one the day after does not', () => {
    assert.equal(handoverState(ends, [{ day: '2027-03-08', status: 'held' }], '2027-03-10'), 'met')
    assert.equal(handoverState(ends, [{ day: '2027-03-09', status: 'held' }], '2027-03-10'), 'broken')
  })
  test('nothing arranged: on track until 14 days before the day, at risk from then, broken after it', () => {
    assert.equal(handoverState(ends, [], '2027-02-21'), 'on-track')
    assert.equal(handoverState(ends, [], '2027-02-22'), 'at-risk')
    assert.equal(handoverState(ends, [], '2027-03-08'), 'at-risk')
    assert.equal(handoverState(ends, [], '2027-03-09'), 'broken')
    assert.equal(handoverState(ends, [{ day: '2027-03-08', status: 'scheduled' }], '2027-03-01'), 'arranged')
    assert.equal(handoverState(ends, [{ day: '2027-03-08', status: 'scheduled' }], '2027-03-09'), 'broken', 'booked in time and not held')
  })
})

describe('the forms', () => {
  test('the step-down form refuses hostile or missing answers, keeps what was typed, and saves nothing', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2012-02-02' })
    const sc = await staff.signIn(t.app, 'socialCare')
    const d = (prefix: string, iso: string) => ({
      [`${prefix}-day`]: String(Number(iso.slice(8))),
      [`${prefix}-month`]: String(Number(iso.slice(5, 7))),
      [`${prefix}-year`]: iso.slice(0, 4),
    })
    const good = {
      decisionPoint: 'after-assessment',
      ...d('ends', addDays(today(), 40)),
      known: 'Assessment found no significant harm; the family wants help with school attendance',
      proposedAgencyId: String(staff.agencies.school.id),
      needLevel: level,
      giverId: String(child.id),
      giverRole: 'young-person',
      method: 'verbal',
      ...d('given', today()),
    }
    const cases: [Record<string, string>, string][] = [
      [{ ...good, decisionPoint: 'whenever' }, '#decisionPoint'],
      [{ ...good, ...d('ends', addDays(today(), -1)) }, '#ends-day'],
      [{ ...good, known: '' }, '#known'],
      [{ ...good, proposedAgencyId: String(staff.agencies.socialCare.id) }, '#proposedAgencyId'],
      [{ ...good, proposedAgencyId: 'school' }, '#proposedAgencyId'],
      [{ ...good, needLevel: 'zz' }, '#needLevel'],
      [{ ...good, giverId: '999999999' }, '#giverId'],
      [{ ...good, giverRole: 'parent-with-pr' }, '#giverRole'],
      [{ ...good, ...d('given', addDays(today(), -400)) }, '#given-day'],
      [{ ...good, extra: 'x' }, '#main-content'],
    ]
    for (const [body, href] of cases) {
      await sc.get(`/people/${child.id}/step-down`)
      const res = await sc.post(`/people/${child.id}/step-down`, body)
      assert.equal(res.statusCode, 400, href)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
      if (body.known) assert.match(res.body, /the family wants help with school attendance/)
    }
    assert.equal((await t.db.selectFrom('episode_people').select('episode_id').where('person_id', '=', child.id).execute()).length, 0)
    await sc.get(`/people/${child.id}/step-down`)
    assert.equal((await sc.post(`/people/${child.id}/step-down`, good)).statusCode, 303)
  })

  test('the "involvement ended" form refuses a future date, and says a lead must accept first', async () => {
    const { id } = await steppedDown()
    const sc = await staff.signIn(t.app, 'socialCare')
    const tomorrow = addDays(today(), 1)
    await sc.get(`/step-downs/${id}`)
    const future = await sc.post(`/step-downs/${id}/ended`, {
      'ended-day': String(Number(tomorrow.slice(8))),
      'ended-month': String(Number(tomorrow.slice(5, 7))),
      'ended-year': tomorrow.slice(0, 4),
    })
    assert.equal(future.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(future.body), ['#ended-day'])
    await sc.get(`/step-downs/${id}`)
    const noLead = await sc.post(`/step-downs/${id}/ended`, {
      'ended-day': String(Number(today().slice(8))),
      'ended-month': String(Number(today().slice(5, 7))),
      'ended-year': today().slice(0, 4),
    })
    assert.equal(noLead.statusCode, 400)
    assert.match(textOf(noLead.body), /A lead professional must accept the family/)
    assert.equal((await stepDownView(t.db, staff.la.id, id)).ended_on, null)
  })
})
