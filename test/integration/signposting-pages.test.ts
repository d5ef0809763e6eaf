import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { addDays, dateParts, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { buildService } from '../helpers/services.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Signposting over HTTP: the form from a child's record (and every wrong answer refused, with what was
 * typed kept and nothing saved), the hub's list, passing on and declining, the provider answering, and
 * a CAF started from the request's page.
 */

let t: TestApp
let staff: Staff
let hub: Client
let practitioner: Client
let service: number
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  practitioner = await staff.signIn(t.app, 'practitioner')
  service = await buildService(t.db, staff.actor('coordinator'), staff.agencies.voluntary.id, { name: 'Pages Sleep Clinic', viaHub: true })
})
after(() => t?.close())

const snapshot = async () =>
  JSON.stringify(
    await Promise.all(
      (['signposting_requests', 'referrals', 'referral_events', 'mail_outbox', 'episodes'] as const).map((table) =>
        t.db.selectFrom(table).selectAll().execute(),
      ),
    ),
  )

async function childWithMother() {
  const me = staff.actor('practitioner')
  const child = await buildPerson(t.db, me, { dateOfBirth: '2018-05-05' })
  const mother = await buildPerson(t.db, me, { dateOfBirth: '1990-01-01', sex: 'female' })
  await addHouseholdMember(t.db, me, child.id, { memberId: mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  return { child, mother }
}

const form = (giverId: number) => ({
  need: 'Wakes every night; the family are exhausted',
  serviceId: String(service),
  giverId: String(giverId),
  giverRole: 'parent-with-pr',
  method: 'verbal',
  ...dateParts(today(), 'given'),
})

describe('the signposting form', () => {
  const BAD: { name: string; change: (ids: { mother: number }) => Record<string, string>; errors: string[]; says?: RegExp }[] = [
    { name: 'no need', change: () => ({ need: '  ' }), errors: ['#need'] },
    { name: 'a need too long', change: () => ({ need: 'x'.repeat(2001) }), errors: ['#need'] },
    { name: 'no service', change: () => ({ serviceId: '' }), errors: ['#serviceId'] },
    { name: 'a service that does not exist', change: () => ({ serviceId: '999999' }), errors: ['#serviceId'] },
    { name: 'a service id in words', change: () => ({ serviceId: 'the clinic' }), errors: ['#serviceId'] },
    { name: 'no one giving consent', change: () => ({ giverId: '' }), errors: ['#giverId'] },
    { name: 'a giver not in the household', change: () => ({ giverId: '999999' }), errors: ['#giverId'] },
    { name: 'a role the form does not offer', change: () => ({ giverRole: 'neighbour' }), errors: ['#giverRole'] },
    { name: 'no method', change: () => ({ method: '' }), errors: ['#method'] },
    { name: 'consent given tomorrow', change: () => ({ ...dateParts(addDays(today(), 1), 'given') }), errors: ['#given-day'], says: /today or in the past/ },
    { name: 'consent on 31 February', change: () => ({ 'given-day': '31', 'given-month': '2', 'given-year': '2026' }), errors: ['#given-day'] },
    { name: 'consent two years ago', change: () => ({ ...dateParts(addDays(today(), -800), 'given') }), errors: ['#given-day'], says: /within the last year/ },
    { name: 'a field the form does not have', change: () => ({ status: 'passed' }), errors: ['#main-content'] },
    { name: 'a control character in the need', change: () => ({ need: 'Sleep\u0000' }), errors: ['#need'] },
  ]
  for (const bad of BAD) {
    test(`with ${bad.name} is refused: 400, the summary, what was typed kept, nothing saved`, async () => {
      const { child, mother } = await childWithMother()
      const url = `/people/${child.id}/signpost`
      await practitioner.get(url)
      const before = await snapshot()
      const res = await practitioner.post(url, { ...form(mother.id), ...bad.change({ mother: mother.id }) })
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummaryHrefs(res.body), bad.errors)
      if (bad.says) assert.match(errorSummaryText(res.body), bad.says)
      if (bad.errors[0] !== '#need') assert.equal(formFields(res.body, url).need, form(mother.id).need, 'what was typed is kept')
      assert.equal(await snapshot(), before)
    })
  }

  test('for a child with an open CAF points to it instead', async () => {
    const { id, child } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    const res = await practitioner.get(`/people/${child.id}/signpost`)
    assert.match(textOf(res.body), /already has an open CAF/)
    assert.ok(res.body.includes(`href="/episodes/${id}"`))
  })
})

describe('a signposting request, end to end', () => {
  test('the practitioner sends it; the hub passes it on; the provider starts it; the hub starts a CAF from another it declined', async () => {
    const { child, mother } = await childWithMother()
    const record = await practitioner.get(`/people/${child.id}`)
    assert.ok(record.body.includes(`href="/people/${child.id}/signpost"`), 'the child’s record offers signposting')
    await practitioner.get(`/people/${child.id}/signpost`)
    const sent = await practitioner.post(`/people/${child.id}/signpost`, form(mother.id))
    assert.equal(sent.statusCode, 303)
    const url = String(sent.headers.location).split('?')[0]!
    assert.match(textOf((await practitioner.get(String(sent.headers.location))).body), /Request sent to the CAF hub/)

    const around = tableRows((await hub.get('/desk')).body, 'Around the episodes')
    assert.deepEqual(around[0]?.[0], 'Signposting requests to decide', 'the hub’s desk points to it')
    assert.ok(Number(around[0]?.[2]) >= 1)
    const list = await hub.get('/signposting')
    const waiting = tableRows(list.body, 'Waiting for the CAF hub')
    assert.ok(waiting.some((r) => r[0]!.startsWith(child.name) && r[1] === 'Pages Sleep Clinic'))
    await hub.get(url)
    assert.equal((await hub.post(`${url}/pass`, {})).statusCode, 303)
    assert.match(textOf((await hub.get(url)).body), /Passed to the service/)

    const provider = await buildColleague(t.db, t.app, staff, 'voluntary')
    const incoming = await provider.client.get('/referrals')
    assert.ok(incoming.body.includes(`href="${url}"`), 'the provider finds it in its list')
    await provider.client.get(url)
    assert.equal((await provider.client.post(`${url}/referral`, { to: 'accepted' })).statusCode, 303)
    await provider.client.get(url)
    const noDate = await provider.client.post(`${url}/referral`, { to: 'started' })
    assert.equal(noDate.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(noDate.body), ['#started-day'])
    assert.equal((await provider.client.post(`${url}/referral`, { to: 'started', ...dateParts(today(), 'started') })).statusCode, 303)
    assert.match(textOf((await practitioner.get(url)).body), /Now Started/)
    await provider.client.get(url)
    assert.equal((await provider.client.post(`${url}/pass`, {})).statusCode, 403, 'the provider does not decide')

    const other = await childWithMother()
    await practitioner.get(`/people/${other.child.id}/signpost`)
    const second = String((await practitioner.post(`/people/${other.child.id}/signpost`, form(other.mother.id))).headers.location).split('?')[0]!
    for (const [url, form, errors] of [
      [`${second}/decline`, { declineReason: '' }, ['#declineReason']],
      [`${second}/decline`, { declineReason: 'x'.repeat(2001) }, ['#declineReason']],
      [`${second}/decline`, { declineReason: 'No', status: 'passed' }, ['#main-content']],
      [`${second}/pass`, { serviceId: '1' }, ['#main-content']],
      [`${second}/start-caf`, { childId: '1' }, ['#main-content']],
      [`${second}/referral`, { to: 'accepted' }, ['#main-content']],
    ] as const) {
      await hub.get(second)
      const before = await snapshot()
      const res = await hub.post(url, form)
      assert.equal(res.statusCode, 400, url)
      assert.deepEqual(errorSummaryHrefs(res.body), errors, url)
      assert.equal(await snapshot(), before, `${url}: nothing saved`)
    }
    await hub.get(second)
    assert.equal((await hub.post(`${second}/decline`, { declineReason: 'The clinic is for under-fives; this needs a CAF' })).statusCode, 303)
    await hub.get(second)
    const again = await hub.post(`${second}/pass`, {})
    assert.equal(again.statusCode, 400, 'decided once')
    assert.match(errorSummaryText(again.body), /already decided/)
    await hub.get(second)
    const started = await hub.post(`${second}/start-caf`, {})
    assert.equal(started.statusCode, 303)
    const episodeUrl = String(started.headers.location).split('?')[0]!
    const episode = textOf((await hub.get(episodeUrl)).body)
    assert.match(episode, /Wakes every night/, 'the need came across')
    assert.match(textOf((await hub.get(`${episodeUrl}/consent`)).body), /Given/, 'and the consent')
    await hub.get(second)
    const twice = await hub.post(`${second}/start-caf`, {})
    assert.equal(twice.statusCode, 400)
    assert.match(errorSummaryText(twice.body), /has an open CAF/)

    const stranger = await buildColleague(t.db, t.app, staff, 'police')
    const hidden = await stranger.client.get(url)
    assert.equal(hidden.statusCode, 404)
    assert.ok(!textOf(hidden.body).includes(child.name), 'a refusal names no one')
    const viewed = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'signposting.viewed')
      .where('actor_user_id', '=', provider.id)
      .execute()
    assert.ok(viewed.length > 0, 'the provider’s reading is audited')
    assert.equal(hidden.headers['cache-control'], 'no-store')
  })
})
