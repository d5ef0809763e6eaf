import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { getCafSettings, updateCafSettings } from '../../src/features/admin/caf-config/use-cases.ts'
import { searchServices, type DirectoryFilters } from '../../src/features/services/directory.ts'
import { changeReferral, ConsentDoesNotName, referFromAction, ReferralRefused } from '../../src/features/services/referrals.ts'
import { waitingTimes } from '../../src/features/services/waiting.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { withdrawAgency } from '../../src/features/episodes/consent.ts'
import { incomingReferrals } from '../../src/features/services/referral-queries.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { backdate } from '../helpers/queues.ts'
import { buildService, planAction } from '../helpers/services.ts'
import { buildColleague, buildLocality, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The service directory and referrals: search and filters; waiting times measured from referral dates,
 * with the council's minimum; consent that does not name the provider refuses the referral; every move
 * of a referral, and who may make it.
 */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const hub = () => staff.actor('coordinator')
const me = () => staff.actor('practitioner')
const NONE: DirectoryFilters = { q: null, need: null, age: null, locality: null, openOnly: false }
const names = async (f: Partial<DirectoryFilters>) => (await searchServices(t.db, staff.la.id, { ...NONE, ...f })).map((s) => s.name)
const BASE = { to: 'started' as const, startedOn: null, helped: null, reason: null }

describe('the directory', () => {
  test('is searched by words, need, age, locality and open now', async () => {
    const north = await buildLocality(t.db, staff)
    const v = staff.agencies.voluntary.id
    await buildService(t.db, hub(), v, { name: 'Dir Breakfast Club', needs: ['basic-care'], minAge: 4, maxAge: 11 })
    await buildService(t.db, hub(), v, { name: 'Dir Teen Talk', needs: ['emotional-social'], minAge: 12, maxAge: 18, localityIds: [north.locality.id] })
    await buildService(t.db, hub(), v, { name: 'Dir Closed Group', needs: ['emotional-social'], open: false })
    await buildService(t.db, hub(), v, { name: 'Dir Anything Helpline', needs: [] })
    const mine = (list: string[]) => list.filter((n) => n.startsWith('Dir ') && n !== 'Dir Anything Helpline')
    assert.ok((await names({ need: 'housing-money', age: 30 })).includes('Dir Anything Helpline'), 'a service naming no needs and no ages meets any')
    assert.deepEqual(mine(await names({})), ['Dir Breakfast Club', 'Dir Closed Group', 'Dir Teen Talk'])
    assert.deepEqual(mine(await names({ q: 'breakfast' })), ['Dir Breakfast Club'])
    assert.deepEqual(mine(await names({ need: 'emotional-social' })), ['Dir Closed Group', 'Dir Teen Talk'])
    assert.deepEqual(mine(await names({ age: 8 })), ['Dir Breakfast Club', 'Dir Closed Group'])
    assert.deepEqual(
      mine(await names({ locality: staff.locality.id })),
      ['Dir Breakfast Club', 'Dir Closed Group'],
      'the north only service is not for this locality',
    )
    assert.deepEqual(mine(await names({ locality: north.locality.id, openOnly: true })), ['Dir Breakfast Club', 'Dir Teen Talk'])
    assert.deepEqual(mine(await names({ q: '%' })), [], 'a search for a wildcard finds nothing rather than everything')
  })
})

/** An episode whose consent names the school and the voluntary agency, with one plan action; the child. */
async function episodeWithAction() {
  const { id, child } = await buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id, staff.agencies.voluntary.id], lead: true })
  return { id, child, action: await planAction(t.db, me(), id) }
}

describe('a referral', () => {
  test('is refused when the family’s consent does not name the provider’s agency, and nothing is saved', async () => {
    const housing = await buildService(t.db, hub(), staff.agencies.housing.id)
    const { id, child, action } = await episodeWithAction()
    await assert.rejects(referFromAction(t.db, me(), id, action, { serviceId: housing, childId: child.id }), ConsentDoesNotName)
    assert.equal((await t.db.selectFrom('referrals').select('id').where('episode_id', '=', id).execute()).length, 0)
  })

  test('carries the need and the desired outcome, and the provider moves it on; the lead may only withdraw it', async () => {
    const service = await buildService(t.db, hub(), staff.agencies.voluntary.id)
    const { id, child, action } = await episodeWithAction()
    const referral = await referFromAction(t.db, me(), id, action, { serviceId: service, childId: child.id })
    const saved = await t.db.selectFrom('referrals').selectAll().where('id', '=', referral).executeTakeFirstOrThrow()
    assert.deepEqual(
      [saved.status, saved.need, saved.outcome, saved.requested_on],
      ['requested', 'Late for school most days', 'On time every day by the end of term', today()],
    )
    await assert.rejects(referFromAction(t.db, me(), id, action, { serviceId: service, childId: child.id }), ReferralRefused, 'one referral an action')

    const provider = await buildColleague(t.db, t.app, staff, 'voluntary')
    const worker = { ...me(), userId: provider.id, agencyId: staff.agencies.voluntary.id }
    await assert.rejects(
      changeReferral(t.db, me(), { episodeId: id }, referral, { ...BASE, to: 'accepted' }, ''),
      ReferralRefused,
      'the lead does not accept for the provider',
    )
    await assert.rejects(
      changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'finished', helped: 'yes' }, ''),
      ReferralRefused,
      'not finished before it started',
    )
    await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'accepted' }, '')
    await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'waiting' }, '')
    await assert.rejects(changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'started' }, ''), ReferralRefused, 'a start needs its date')
    await assert.rejects(
      changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, startedOn: addDays(today(), -1) }, ''),
      ReferralRefused,
      'not before it was asked for',
    )
    await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, startedOn: today() }, '')
    await assert.rejects(
      changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'withdrawn', reason: 'No' }, ''),
      ReferralRefused,
      'the provider does not withdraw',
    )
    await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'finished', helped: 'partly' }, 'https://caf.example')
    await assert.rejects(
      changeReferral(t.db, me(), { episodeId: id }, referral, { ...BASE, to: 'withdrawn', reason: 'Done' }, ''),
      Forbidden,
      'finished is done with',
    )
    const events = await t.db.selectFrom('referral_events').select(['status', 'by_user_id']).where('referral_id', '=', referral).orderBy('id').execute()
    assert.deepEqual(
      events.map((e) => [e.status, e.by_user_id]),
      [
        ['requested', me().userId],
        ['accepted', provider.id],
        ['waiting', provider.id],
        ['started', provider.id],
        ['finished', provider.id],
      ],
    )
    const mail = await t.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject', 'body_text'])
      .where('body_text', 'like', `%/referrals/${referral}%`)
      .orderBy('id')
      .execute()
    assert.equal(mail.length, 4, 'the lead is told of each change')
    assert.ok(
      mail.every((m) => m.to_address === staff.users.practitioner.email && !m.body_text.includes(child.name.split(' ')[0]!)),
      'no child’s name',
    )
  })

  test('withdrawn by the lead with a reason; declined by the provider with one', async () => {
    const service = await buildService(t.db, hub(), staff.agencies.voluntary.id)
    const provider = await buildColleague(t.db, t.app, staff, 'voluntary')
    const worker = { ...me(), userId: provider.id, agencyId: staff.agencies.voluntary.id }
    const a = await episodeWithAction()
    const first = await referFromAction(t.db, me(), a.id, a.action, { serviceId: service, childId: a.child.id })
    await assert.rejects(changeReferral(t.db, me(), { episodeId: a.id }, first, { ...BASE, to: 'withdrawn' }, ''), ReferralRefused)
    await changeReferral(t.db, me(), { episodeId: a.id }, first, { ...BASE, to: 'withdrawn', reason: 'The family found a place nearer home' }, '')
    const b = await episodeWithAction()
    const second = await referFromAction(t.db, me(), b.id, b.action, { serviceId: service, childId: b.child.id })
    await changeReferral(t.db, worker, { episodeId: b.id }, second, { ...BASE, to: 'declined', reason: 'Full until January' }, '')
    const rows = await t.db.selectFrom('referrals').select(['status', 'reason']).where('id', 'in', [first, second]).orderBy('id').execute()
    assert.deepEqual(rows, [
      { status: 'withdrawn', reason: 'The family found a place nearer home' },
      { status: 'declined', reason: 'Full until January' },
    ])
    assert.equal((await waitingTimes(t.db, staff.la.id, [service])).get(service)?.declined, 1)
  })
})

describe('who answers for the provider', () => {
  test('only its casework staff who may open the family by right: not its manager, nor anyone once the family withdraws consent from it', async () => {
    const service = await buildService(t.db, hub(), staff.agencies.voluntary.id)
    const { id, child, action } = await episodeWithAction()
    const referral = await referFromAction(t.db, me(), id, action, { serviceId: service, childId: child.id })
    const manager = await buildColleague(t.db, t.app, staff, 'voluntary', { roles: ['manager'] })
    const managerActor = { ...me(), userId: manager.id, agencyId: staff.agencies.voluntary.id, roles: ['manager' as const] }
    await assert.rejects(changeReferral(t.db, managerActor, { episodeId: id }, referral, { ...BASE, to: 'accepted' }, ''), Forbidden)
    const provider = await buildColleague(t.db, t.app, staff, 'voluntary')
    const worker = { ...me(), userId: provider.id, agencyId: staff.agencies.voluntary.id }
    assert.deepEqual((await incomingReferrals(t.db, worker)).map((r) => r.id).includes(referral), true)
    assert.equal(await withdrawAgency(t.db, me(), id, staff.agencies.voluntary.id, 'The family asked us to stop sharing with the charity'), true)
    await assert.rejects(
      changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'accepted' }, ''),
      (e) => e instanceof Forbidden || e instanceof NotFound,
    )
    assert.deepEqual((await incomingReferrals(t.db, worker)).map((r) => r.id).includes(referral), false, 'gone from their list')
  })
})

describe('waiting times', () => {
  test('the median and 90th percentile of days from referral to start over 90 days, shown only from the council’s minimum', async () => {
    const own = await buildStaff(t.db)
    const admin = own.actor('admin')
    const service = await buildService(t.db, own.actor('coordinator'), own.agencies.voluntary.id)
    const provider = await buildColleague(t.db, t.app, own, 'voluntary')
    const lead = own.actor('practitioner')
    const worker = { ...lead, userId: provider.id, agencyId: own.agencies.voluntary.id }
    /** A referral asked for `waited` days before it started, `ago` days ago. */
    const started = async (waited: number, ago: number) => {
      const { id, child } = await buildEpisode(t.db, lead, { consentedAgencies: [own.agencies.voluntary.id], lead: true })
      const referral = await referFromAction(t.db, lead, id, await planAction(t.db, lead, id), { serviceId: service, childId: child.id })
      await backdate(t.db, { table: 'referrals', column: 'requested_on' }, referral, waited + ago)
      await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, to: 'accepted' }, '')
      await changeReferral(t.db, worker, { episodeId: id }, referral, { ...BASE, startedOn: addDays(today(), -ago) }, '')
    }
    for (const [waited, ago] of [
      [10, 5],
      [20, 5],
      [30, 5],
      [40, 5],
    ] as const)
      await started(waited, ago)
    assert.deepEqual(
      await waitingTimes(t.db, own.la.id, [service]).then((m) => m.get(service)),
      {
        referrals: 4,
        enough: false,
        minimum: 5,
        medianDays: null,
        p90Days: null,
        declined: 0,
      },
      'four is under the default minimum of five',
    )
    await started(50, 5)
    await started(100, 91) // started 91 days ago: outside the window
    assert.deepEqual(await waitingTimes(t.db, own.la.id, [service]).then((m) => m.get(service)), {
      referrals: 5,
      enough: true,
      minimum: 5,
      medianDays: 30,
      p90Days: 46,
      declined: 0,
    })
    await updateCafSettings(t.db, admin, { ...(await getCafSettings(t.db, admin)), waitingMinReferrals: 6 })
    assert.equal((await waitingTimes(t.db, own.la.id, [service])).get(service)?.enough, false, 'the council raised its minimum')
  })
})
