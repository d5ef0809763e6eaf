import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { preAssessToAssessment, recordConsent } from '../helpers/episodes.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { auditSince, lastAuditId } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

/** What a probe of the running demo found, as an unrelated practitioner, a social care worker and an administrator would try it, replayed on a council of the test's own. */

let t: TestApp
let amelia: number
const NO_DATE = { 'planned-day': '', 'planned-month': '', 'planned-year': '' }

/** The Smiths, added by the practitioner's school, which Amelia goes to: the social care worker has no right to their records. */
before(async () => {
  t = await testApp()
  const smiths = await buildFamily(t.db, t.staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    schoolId: t.staff.agencies.school.id,
  })
  amelia = smiths.children[1]!.id
})
after(() => t?.close())

/** The page with what differs on every answer (the record's id, the CSRF token, the script nonce) taken out, to compare two answers. */
const withoutId = (html: string, id: number) =>
  html
    .replaceAll(`/${id}/`, '/ID/')
    .replace(/name="_csrf" value="[^"]+"/g, '')
    .replace(/nonce="[^"]+"/g, '')

describe('walking ids tells someone without access nothing', () => {
  test('a record they may not see and an id that is no one answer alike (404), and name no one', async () => {
    const socialCare = await t.staff.signIn(t.app, 'socialCare')
    const refused = await socialCare.get(`/people/${amelia}`)
    const unknown = await socialCare.get('/people/999999')
    assert.equal(refused.statusCode, 404)
    assert.equal(unknown.statusCode, 404)
    assert.equal(withoutId(refused.body, amelia), withoutId(unknown.body, 999999))
    for (const shown of [/Amelia/, /Smith/, /born/]) assert.doesNotMatch(textOf(refused.body), shown)
    assert.ok(!textOf(refused.body).includes(t.staff.agencies.school.name), 'the refusal names her school')
    assert.match(textOf(refused.body), /You cannot open this record/)
  })

  test('the start page of a CAF shows no name or date of birth to someone without a right to the record, whether the id is a child or no one', async () => {
    const socialCare = await t.staff.signIn(t.app, 'socialCare')
    const since = await lastAuditId(t.db)
    const child = await socialCare.get(`/people/${amelia}/start-caf`)
    const nobody = await socialCare.get('/people/999999/start-caf')
    assert.equal(child.statusCode, 200)
    assert.equal(nobody.statusCode, 200)
    assert.doesNotMatch(textOf(child.body), /Amelia|Smith|born/)
    assert.equal(withoutId(child.body, amelia), withoutId(nobody.body, 999999))
    assert.deepEqual(
      (await auditSince(t.db, since)).filter((e) => e.action === 'person.viewed'),
      [],
      'a page that shows no one is not recorded as a view of anyone',
    )
  })

  test('episodes too: one they may not see and an unknown id answer alike', async () => {
    const practitioner = await t.staff.signIn(t.app, 'practitioner')
    const episode = (await buildEpisode(t.db, t.staff.actor('practitioner'), { consentedAgencies: [t.staff.agencies.school.id] })).id
    const stranger = await t.staff.signIn(t.app, 'socialCare')
    const refused = await stranger.get(`/episodes/${episode}`)
    const unknown = await stranger.get('/episodes/999999')
    assert.equal(refused.statusCode, 404)
    assert.equal(unknown.statusCode, 404)
    assert.equal(withoutId(refused.body, episode), withoutId(unknown.body, 999999))
    assert.equal((await practitioner.get(`/episodes/${episode}`)).statusCode, 200, 'the practitioner started it and may open it')
  })
})

describe('a refused form is refused before it is shown again or audited', () => {
  test('an edit posted with only the CSRF token by someone without access: 404, the form is not shown, no view is audited', async () => {
    const socialCare = await t.staff.signIn(t.app, 'socialCare')
    await socialCare.get('/account')
    const since = await lastAuditId(t.db)
    const res = await socialCare.post(`/people/${amelia}/edit`, {})
    assert.equal(res.statusCode, 404)
    assert.doesNotMatch(res.body, /name="givenName"/, 'the edit form is not shown')
    const events = await auditSince(t.db, since)
    assert.deepEqual(
      events.filter((e) => e.action === 'person.viewed'),
      [],
    )
  })

  test('ids that are not numbers are a page that does not exist: no audit row names "abc", and a NUL byte is a 404, not a 500', async () => {
    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    await coordinator.get('/account')
    const since = await lastAuditId(t.db)
    for (const bad of ['abc', '%00', '1%00']) {
      const res = await coordinator.post(`/people/${bad}/edit`, {})
      assert.equal(res.statusCode, 404, `/people/${bad}/edit`)
    }
    const events = await auditSince(t.db, since)
    assert.ok(!events.some((e) => e.record_id === 'abc' || (e.record_id ?? '').includes('\0')), 'no audit row names a record that is not an id')
  })
})

describe('starting a CAF for a child without an existing right to their record', () => {
  test('the practitioner must say their relationship to the child; the start is kept for the hub; until consent they see only what the assessment needs', async () => {
    const socialCare = await t.staff.signIn(t.app, 'socialCare')
    const url = `/people/${amelia}/start-caf`
    await socialCare.get(url)
    const refused = await socialCare.post(url, { kind: 'child', start: 'pre-assessment', reason: '', relationship: '', ...NO_DATE })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(refused.body), ['#relationship'])
    assert.equal((await t.db.selectFrom('episode_people').select('episode_id').where('person_id', '=', amelia).execute()).length, 0, 'no episode was started')

    const started = await socialCare.post(url, {
      kind: 'child',
      start: 'pre-assessment',
      reason: '',
      relationship: 'I am her social worker from the duty team',
      ...NO_DATE,
    })
    assert.equal(started.statusCode, 303, errorSummaryText(started.body))
    const episode = Number(/\/episodes\/(\d+)/.exec(String(started.headers.location))?.[1])

    const limited = textOf((await socialCare.get(`/people/${amelia}`)).body)
    assert.match(limited, /Amelia/)
    assert.match(limited, /Date of birth/)
    assert.ok(limited.includes(`School or setting ${t.staff.agencies.school.name}`), limited)
    for (const hidden of [/Ethnicity/, /Religion/, /Immigration status/, /Disability/, /Household/, /History of changes/]) assert.doesNotMatch(limited, hidden)
    assert.match(limited, new RegExp(`CAF episode ${episode}`))

    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    const review = textOf((await coordinator.get('/break-glass')).body)
    const { users, agencies } = t.staff
    assert.ok(review.includes(`${users.socialCare.fullName} (${agencies.socialCare.name}) started CAF episode ${episode} for Amelia Smith`), review)
    assert.match(review, /Their relationship to the child: I am her social worker from the duty team/)

    // Once the family agrees, the record opens to those who work on the episode.
    await preAssessToAssessment(socialCare, episode)
    const consent = await recordConsent(socialCare, episode, amelia, [t.staff.agencies.socialCare.id])
    assert.equal(consent.statusCode, 303, errorSummaryText(consent.body))
    assert.match(textOf((await socialCare.get(`/people/${amelia}`)).body), /History of changes/)
  })
})
