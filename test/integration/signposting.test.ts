import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { getCafSettings, updateCafSettings } from '../../src/features/admin/caf-config/use-cases.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { changeReferral } from '../../src/features/services/referrals.ts'
import { incomingReferrals } from '../../src/features/services/referral-queries.ts'
import { signpostingCounts, signpostingList, signpostingView } from '../../src/features/signposting/queries.ts'
import { declineSignposting, HasOpenCaf, passToService, requestSignposting, SignpostingRefused } from '../../src/features/signposting/requests.ts'
import { startCafFromSignposting } from '../../src/features/signposting/to-caf.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildPerson, buildUser } from '../helpers/factories.ts'
import { backdate } from '../helpers/queues.ts'
import { buildService, signpost } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Signposting: one clear need sent through the hub to a service, without a CAF; passed on as a
 * referral or declined; the prompt to suggest a CAF when the need is not met in the council's weeks;
 * and a CAF started from it, carrying the child, the need and the consent, asking nothing twice.
 */

let t: TestApp
let staff: Staff
let viaHub: number
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  viaHub = await buildService(t.db, hub(), staff.agencies.voluntary.id, { name: 'Signposting Parenting Group', viaHub: true })
})
after(() => t?.close())

const hub = () => staff.actor('coordinator')
const me = () => staff.actor('practitioner')
const STEP = { startedOn: null, helped: null, reason: null }

/** A casework user of the voluntary agency that provides the service. */
async function providerWorker() {
  const user = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.voluntary.id })
  return actorOf(user, staff.agencies.voluntary.id)
}

async function childWithMother() {
  const child = await buildPerson(t.db, me(), { dateOfBirth: '2016-04-04' })
  const mother = await buildPerson(t.db, me(), { dateOfBirth: '1988-01-01', sex: 'female' })
  await addHouseholdMember(t.db, me(), child.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  return { child, mother }
}

const mailTo = (email: string) => t.db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('to_address', '=', email).orderBy('id').execute()

describe('a signposting request', () => {
  test('goes to the hub, which passes it to the service; the provider accepts, starts and finishes it, and the practitioner hears each step', async () => {
    const { child, mother } = await childWithMother()
    const id = await requestSignposting(t.db, me(), child.id, {
      need: 'Mornings are chaotic and she is often late',
      serviceId: viaHub,
      giverId: mother.id,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
    })
    assert.ok(
      (await signpostingList(t.db, hub())).waiting.some((r) => r.id === id),
      'waiting for the hub',
    )
    assert.ok(
      (await signpostingList(t.db, me())).waiting.some((r) => r.id === id),
      'in the practitioner’s own list',
    )

    const worker = await providerWorker()
    await assert.rejects(
      changeReferral(t.db, worker, { signpostingId: id }, 1, { ...STEP, to: 'accepted' }, ''),
      NotFound,
      'the provider cannot see it before the hub passes it on',
    )
    const referral = await passToService(t.db, hub(), id, 'https://caf.example')
    assert.ok(
      (await incomingReferrals(t.db, worker)).some((r) => r.id === referral && r.href === `/signposting/${id}`),
      'in the provider’s incoming list',
    )
    const passedMail = (await mailTo(staff.users.practitioner.email)).at(-1)!
    assert.match(passedMail.subject, /passed to the service/)
    assert.ok(!passedMail.body_text.includes(child.name.split(' ')[0]!), 'the email names no child')

    await changeReferral(t.db, worker, { signpostingId: id }, referral, { ...STEP, to: 'accepted' }, 'https://caf.example')
    await changeReferral(t.db, worker, { signpostingId: id }, referral, { ...STEP, to: 'started', startedOn: today() }, 'https://caf.example')
    await changeReferral(t.db, worker, { signpostingId: id }, referral, { ...STEP, to: 'finished', helped: 'yes' }, 'https://caf.example')
    const told = (await mailTo(staff.users.practitioner.email)).slice(-3).map((m) => m.subject)
    assert.deepEqual(told, [
      'A referral to Signposting Parenting Group: accepted',
      'A referral to Signposting Parenting Group: started',
      'A referral to Signposting Parenting Group: finished',
    ])
    const view = await signpostingView(t.db, staff.la.id, id)
    assert.equal(view.status, 'passed')
    assert.equal(view.met, true, 'finished and it helped: the need is met')
    await assert.rejects(passToService(t.db, hub(), id, ''), SignpostingRefused, 'decided once')
  })

  test('is declined with a reason, and the practitioner is told', async () => {
    const child = await buildPerson(t.db, me(), { dateOfBirth: '2012-01-01' })
    const id = await signpost(t.db, me(), viaHub, child.id)
    await declineSignposting(t.db, hub(), id, 'The group is for under-tens; try the youth service', 'https://caf.example')
    const view = await signpostingView(t.db, staff.la.id, id)
    assert.deepEqual([view.status, view.decline_reason], ['declined', 'The group is for under-tens; try the youth service'])
    assert.match((await mailTo(staff.users.practitioner.email)).at(-1)!.subject, /declined/)
    await assert.rejects(declineSignposting(t.db, hub(), id, 'Again', ''), SignpostingRefused)
  })

  test('is refused for a service that does not take referrals through the hub, a giver outside the household, or a child with an open CAF', async () => {
    const { child, mother } = await childWithMother()
    const planOnly = await buildService(t.db, hub(), staff.agencies.voluntary.id, { viaHub: false })
    const closed = await buildService(t.db, hub(), staff.agencies.voluntary.id, { viaHub: true, open: false })
    const stranger = await buildPerson(t.db, me(), { dateOfBirth: '1980-01-01' })
    const base = {
      need: 'Sleep',
      serviceId: viaHub,
      giverId: mother.id,
      giverRole: 'parent-with-pr' as 'parent-with-pr' | 'young-person',
      method: 'verbal' as const,
      givenOn: today(),
    }
    const refused = (input: Partial<typeof base>, field: string) =>
      assert.rejects(requestSignposting(t.db, me(), child.id, { ...base, ...input }), (e) => e instanceof SignpostingRefused && field in e.errors)
    await refused({ serviceId: planOnly }, 'serviceId')
    await refused({ serviceId: closed }, 'serviceId')
    await refused({ giverId: stranger.id }, 'giverId')
    await refused({ giverRole: 'young-person' }, 'giverRole')
    await refused({ giverId: child.id }, 'giverRole')
    const episode = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id] })
    await assert.rejects(signpost(t.db, me(), viaHub, episode.child.id), (e) => e instanceof HasOpenCaf && e.episodeId === episode.id)
    assert.equal(
      (await t.db.selectFrom('signposting_requests').select('id').where('child_person_id', 'in', [child.id, episode.child.id]).execute()).length,
      0,
      'nothing was saved',
    )
  })

  test('a CAF cannot start from a request the hub has not decided, and a request is not passed on once the child has a CAF', async () => {
    const child = await buildPerson(t.db, me(), { dateOfBirth: '2013-03-03' })
    const id = await signpost(t.db, me(), viaHub, child.id)
    await backdate(t.db, { table: 'signposting_requests', column: 'requested_at' }, id, 70)
    assert.equal(
      (await signpostingList(t.db, hub())).suggestCaf.some((r) => r.id === id),
      false,
      'waiting: not yet a prompt for a CAF',
    )
    await assert.rejects(startCafFromSignposting(t.db, hub(), id), (e) => e instanceof SignpostingRefused && /decides the request first/.test(e.errors.form!))
    const other = await buildPerson(t.db, me(), { dateOfBirth: '2013-04-04' })
    const second = await signpost(t.db, me(), viaHub, other.id)
    await startEpisode(t.db, me(), {
      childId: other.id,
      kind: 'child',
      memberIds: [],
      start: 'pre-assessment',
      intentionReason: null,
      plannedOn: null,
      relationship: null,
    })
    await assert.rejects(passToService(t.db, hub(), second, ''), HasOpenCaf)
  })

  test('may be seen only by the hub, the practitioner who asked and, once passed, the provider; only the hub decides', async () => {
    const child = await buildPerson(t.db, me(), { dateOfBirth: '2013-01-01' })
    const id = await signpost(t.db, me(), viaHub, child.id)
    const worker = await providerWorker()
    await assert.rejects(startCafFromSignposting(t.db, worker, id), NotFound)
    await assert.rejects(passToService(t.db, me(), id, ''), Forbidden, 'the practitioner who asked cannot decide it')
    await passToService(t.db, hub(), id, '')
    await assert.rejects(startCafFromSignposting(t.db, worker, id), Forbidden, 'the provider reads it, no more')
    await assert.rejects(declineSignposting(t.db, staff.actor('socialCare'), id, 'No', ''), NotFound)
  })
})

describe('when signposting is not enough', () => {
  test('after the council’s weeks with the need not met, the hub is prompted to suggest a CAF; met, decided or with a CAF, it is not', async () => {
    const child = await buildPerson(t.db, me(), { dateOfBirth: '2015-01-01' })
    const id = await signpost(t.db, me(), viaHub, child.id)
    await passToService(t.db, hub(), id, '')
    const prompted = async () => (await signpostingList(t.db, hub())).suggestCaf.some((r) => r.id === id)
    await backdate(t.db, { table: 'signposting_requests', column: 'requested_at' }, id, 7 * 8 - 1)
    assert.equal(await prompted(), false, 'a day short of 8 weeks')
    await backdate(t.db, { table: 'signposting_requests', column: 'requested_at' }, id, 2)
    assert.equal(await prompted(), true, 'past 8 weeks')
    assert.ok((await signpostingCounts(t.db, staff.la.id)).suggestCaf >= 1, 'counted on the hub’s desk')
    const admin = staff.actor('admin')
    await updateCafSettings(t.db, admin, { ...(await getCafSettings(t.db, admin)), signpostingPromptWeeks: 12 })
    assert.equal(await prompted(), false, 'the council’s own number of weeks')
    await updateCafSettings(t.db, admin, { ...(await getCafSettings(t.db, admin)), signpostingPromptWeeks: 8 })

    const met = await signpost(t.db, me(), viaHub, (await buildPerson(t.db, me(), { dateOfBirth: '2015-02-02' })).id)
    const referral = await passToService(t.db, hub(), met, '')
    const worker = await providerWorker()
    await changeReferral(t.db, worker, { signpostingId: met }, referral, { ...STEP, to: 'accepted' }, '')
    await changeReferral(t.db, worker, { signpostingId: met }, referral, { ...STEP, to: 'started', startedOn: today() }, '')
    await changeReferral(t.db, worker, { signpostingId: met }, referral, { ...STEP, to: 'finished', helped: 'yes' }, '')
    await backdate(t.db, { table: 'signposting_requests', column: 'requested_at' }, met, 70)
    assert.equal(
      (await signpostingList(t.db, hub())).suggestCaf.some((r) => r.id === met),
      false,
      'the need was met',
    )
  })

  test('“Start a CAF from this” carries the child, the need and the consent across, and cannot be done twice', async () => {
    const { child, mother } = await childWithMother()
    const id = await requestSignposting(t.db, me(), child.id, {
      need: 'Struggling with anxiety about school',
      serviceId: viaHub,
      giverId: mother.id,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: addDays(today(), -3),
    })
    const referral = await passToService(t.db, hub(), id, '')
    const worker = await providerWorker()
    await changeReferral(t.db, worker, { signpostingId: id }, referral, { ...STEP, to: 'declined', reason: 'Full until the spring' }, '')
    const episodeId = await startCafFromSignposting(t.db, hub(), id)

    const episode = await t.db
      .selectFrom('episodes')
      .select(['status', 'kind', 'intention_reason', 'intention_planned_on'])
      .where('id', '=', episodeId)
      .executeTakeFirstOrThrow()
    assert.equal(episode.status, 'intention')
    assert.equal(episode.kind, 'family', 'the mother who gave consent comes into the CAF')
    assert.match(episode.intention_reason!, /Signposting Parenting Group.*Struggling with anxiety about school/)
    assert.equal(episode.intention_planned_on, today())
    const people = await t.db.selectFrom('episode_people').select(['person_id', 'role']).where('episode_id', '=', episodeId).orderBy('sort_order').execute()
    assert.deepEqual(people, [
      { person_id: child.id, role: 'child' },
      { person_id: mother.id, role: 'adult' },
    ])
    const consent = await t.db.selectFrom('consents').selectAll().where('episode_id', '=', episodeId).executeTakeFirstOrThrow()
    assert.deepEqual(
      [consent.decision, consent.given_by_person_id, consent.giver_role, consent.method, consent.given_on],
      ['given', mother.id, 'parent-with-pr', 'written', addDays(today(), -3)],
    )
    const agencies = await t.db.selectFrom('consent_agencies').select('agency_id').where('episode_id', '=', episodeId).execute()
    assert.deepEqual(agencies, [{ agency_id: staff.agencies.voluntary.id }], 'the consent names the service’s agency')
    assert.equal((await signpostingView(t.db, staff.la.id, id)).episode_id, episodeId)
    await assert.rejects(startCafFromSignposting(t.db, hub(), id), (e) => e instanceof HasOpenCaf && e.episodeId === episodeId)
  })

  test('started twice at the same moment, one CAF is made, with one consent, and the request is linked to it', async () => {
    const { child } = await childWithMother()
    const id = await signpost(t.db, me(), viaHub, child.id)
    await declineSignposting(t.db, hub(), id, 'Full', '')
    const results = await Promise.allSettled([startCafFromSignposting(t.db, hub(), id), startCafFromSignposting(t.db, me(), id)])
    const made = results.filter((r) => r.status === 'fulfilled')
    assert.equal(made.length, 1, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.value))))
    const refused = results.find((r) => r.status === 'rejected')!.reason
    assert.ok(refused instanceof HasOpenCaf || refused instanceof SignpostingRefused, String(refused))
    const episodes = await t.db.selectFrom('episode_people').select('episode_id').where('person_id', '=', child.id).execute()
    assert.equal(episodes.length, 1)
    assert.equal((await t.db.selectFrom('consents').select('id').where('episode_id', '=', episodes[0]!.episode_id).execute()).length, 1)
    assert.equal((await signpostingView(t.db, staff.la.id, id)).episode_id, episodes[0]!.episode_id)
  })
})
