import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays, dateParts, dateWords, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { buildService, planAction } from '../helpers/services.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The service directory's pages and referring from the plan, over HTTP: the directory with its
 * filters, adding a service (and every wrong answer refused with nothing saved), a referral made from
 * an action, refused without consent, answered by the provider from its list.
 */

let t: TestApp
let staff: Staff
let hub: Client
let practitioner: Client
let provider: Awaited<ReturnType<typeof buildColleague>>

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  practitioner = await staff.signIn(t.app, 'practitioner')
  provider = await buildColleague(t.db, t.app, staff, 'voluntary')
})
after(() => t?.close())

const SERVICE = {
  name: 'Pages Breakfast Club',
  providerAgencyId: '',
  description: 'A free breakfast and a calm start, from 8am.',
  minAge: '4',
  maxAge: '11',
  needs: ['basic-care'],
  howToRefer: 'Refer from the plan; the club rings the family within a week.',
  viaHub: 'yes',
  capacity: '30',
  open: 'yes',
}
const snapshot = async () =>
  JSON.stringify(
    await Promise.all(
      (['services', 'service_localities', 'referrals', 'referral_events', 'mail_outbox'] as const).map((table) => t.db.selectFrom(table).selectAll().execute()),
    ),
  )

describe('the directory', () => {
  test('the hub adds a service; practitioners find it by need and age, with its waiting time in words', async () => {
    await hub.get('/services/new')
    const res = await hub.post('/services/new', { ...SERVICE, providerAgencyId: String(staff.agencies.voluntary.id) })
    assert.equal(res.statusCode, 303)
    const page = textOf((await hub.get(String(res.headers.location))).body)
    assert.match(page, /Service added/)
    assert.match(page, /Not enough referrals yet \(0 started in the last 90 days; 5 needed\)/)
    const found = tableRows((await practitioner.get('/services?need=basic-care&age=8')).body)
    assert.deepEqual(
      found.map((r) => r[0]),
      ['Pages Breakfast Club'],
    )
    assert.deepEqual(tableRows((await practitioner.get('/services?need=basic-care&age=12')).body), [], 'too old for it')
    assert.equal((await practitioner.get('/services/new')).statusCode, 403, 'practitioners search the directory; they do not keep it')
  })

  test('a bad filter is a 400 with the error summary, the filters kept', async () => {
    const res = await practitioner.get('/services?age=eight&locality=x')
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#age', '#locality'])
    assert.match(res.body, /value="eight"/)
    const control = await practitioner.get('/services?q=%00')
    assert.equal(control.statusCode, 400, 'a control character is refused, never sent to the database')
    assert.deepEqual(errorSummaryHrefs(control.body), ['#q'])
  })

  const BAD: { name: string; change: Record<string, string | string[]>; errors: string[] }[] = [
    { name: 'no name', change: { name: ' ' }, errors: ['#name'] },
    { name: 'no provider', change: { providerAgencyId: '' }, errors: ['#providerAgencyId'] },
    { name: 'a provider of no agency', change: { providerAgencyId: '999999' }, errors: ['#providerAgencyId'] },
    { name: 'ages the wrong way round', change: { minAge: '12', maxAge: '5' }, errors: ['#maxAge'] },
    { name: 'an age in words', change: { minAge: 'four' }, errors: ['#minAge'] },
    { name: 'a need the assessment does not have', change: { needs: ['flying'] }, errors: ['#needs'] },
    { name: 'a locality of no council', change: { localityIds: ['999999'] }, errors: ['#localityIds'] },
    { name: 'a field the form does not have', change: { la_id: '1' }, errors: ['#main-content'] },
    { name: 'a description too long', change: { description: 'x'.repeat(2001) }, errors: ['#description'] },
  ]
  for (const bad of BAD) {
    test(`a service with ${bad.name} is refused: 400, the summary, what was typed kept, nothing saved`, async () => {
      await hub.get('/services/new')
      const before = await snapshot()
      const res = await hub.post('/services/new', { ...SERVICE, name: `Bad ${bad.name}`, providerAgencyId: String(staff.agencies.voluntary.id), ...bad.change })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummaryHrefs(res.body), bad.errors)
      if (!('name' in bad.change)) assert.equal(formFields(res.body, '/services/new').name, `Bad ${bad.name}`)
      assert.equal(await snapshot(), before)
    })
  }
})

describe('referring from the plan', () => {
  test('refused with a 400 when the consent does not name the provider; made when it does, and answered by the provider', async () => {
    const me = staff.actor('practitioner')
    const { id, child } = await buildEpisode(t.db, me, { consentedAgencies: [staff.agencies.school.id, staff.agencies.voluntary.id], lead: true })
    const action = await planAction(t.db, me, id)
    const housing = await buildService(t.db, staff.actor('coordinator'), staff.agencies.housing.id, { name: 'Pages Housing Advice' })
    const club = await buildService(t.db, staff.actor('coordinator'), staff.agencies.voluntary.id, { name: 'Pages Walking Bus' })
    const url = `/episodes/${id}/plan/actions/${action}/refer`
    assert.ok((await practitioner.get(`/episodes/${id}/plan`)).body.includes(`href="${url}"`), 'the plan offers the referral')
    await practitioner.get(url)
    const before = await snapshot()
    const refused = await practitioner.post(url, { serviceId: String(housing), childId: String(child.id) })
    assert.equal(refused.statusCode, 400)
    assert.match(errorSummaryText(refused.body), /consent does not name the agency that provides this service/)
    assert.equal(await snapshot(), before)

    const made = await practitioner.post(url, { serviceId: String(club), childId: String(child.id) })
    assert.equal(made.statusCode, 303)
    const referralUrl = String(made.headers.location).split('?')[0]!
    assert.match(textOf((await practitioner.get(`/episodes/${id}/plan`)).body), /Referral to Pages Walking Bus: asked for/)

    const list = await provider.client.get('/referrals')
    assert.deepEqual(tableRows(list.body)[0]?.slice(1), ['Pages Walking Bus', dateWords(today()), 'Asked for'])
    assert.ok(list.body.includes(`href="${referralUrl}"`))
    await provider.client.get(referralUrl)
    assert.equal((await provider.client.post(referralUrl, { to: 'accepted', reason: '' })).statusCode, 303)
    await provider.client.get(referralUrl)
    const noDate = await provider.client.post(referralUrl, { to: 'started', reason: '' })
    assert.equal(noDate.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(noDate.body), ['#started-day'])
    const future = await provider.client.post(referralUrl, { to: 'started', ...dateParts(addDays(today(), 1), 'started') })
    assert.equal(future.statusCode, 400)
    assert.equal((await provider.client.post(referralUrl, { to: 'started', ...dateParts(today(), 'started') })).statusCode, 303)
    assert.match(textOf((await practitioner.get(referralUrl)).body), /Now Started .* Started on/)
    const leadCannot = await practitioner.post(referralUrl, { to: 'finished', helped: 'yes' })
    assert.equal(leadCannot.statusCode, 400, 'the provider finishes it, not the lead')
    assert.deepEqual(errorSummaryHrefs(leadCannot.body), ['#to'])
    const unrelated = await buildColleague(t.db, t.app, staff, 'police')
    assert.equal((await unrelated.client.get(referralUrl)).statusCode, 404)
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'detail'])
      .where('record_id', '=', String(id))
      .where('action', 'like', 'referral.%')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      [...new Set(events.map((e) => e.action))].sort(),
      ['referral.changed', 'referral.requested', 'referral.viewed'],
      'made, viewed and changed, each audited',
    )
    const referralId = Number(referralUrl.split('/').pop())
    assert.ok(
      events.some((e) => e.action === 'referral.viewed' && e.actor_user_id === provider.id && (e.detail as { referral?: number }).referral === referralId),
    )
  })
})
