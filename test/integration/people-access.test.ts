import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { auditSince, formFields, lastAuditId } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

let t: TestApp
let ids: { john: number; amelia: number; practitioner: number; coordinator: number; socialCare: number }

/** The Smiths, added by the practitioner's school: John goes there. */
before(async () => {
  t = await testApp()
  const { staff } = t
  const smiths = await buildFamily(t.db, staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    postcode: 'DB1 4QT',
    schoolId: staff.agencies.school.id,
  })
  ids = {
    john: smiths.children[0]!.id,
    amelia: smiths.children[1]!.id,
    practitioner: staff.users.practitioner.id,
    coordinator: staff.users.coordinator.id,
    socialCare: staff.users.socialCare.id,
  }
})
after(() => t?.close())

const NO_ACCESS = 'You cannot open this record'

/** The person page's full details, as shown to someone who may see them. */
function assertFullRecord(html: string) {
  const text = textOf(html)
  assert.match(text, /Person record \d+ John Smith/)
  assert.match(text, /Address Not recorded/)
  assert.match(text, /Postcode DB1 4QT/)
  assert.match(text, /NHS number Not recorded/)
  assert.ok(text.includes(`School or setting ${t.staff.agencies.school.name}`))
  assert.match(text, /History of changes/)
}

describe('need to know: who opens a record', () => {
  for (const who of ['practitioner', 'coordinator'] as const) {
    test(`the ${who} opens John Smith's record, and the view is audited`, async () => {
      const client = await t.staff.signIn(t.app, who)
      const before = await lastAuditId(t.db)
      const res = await client.get(`/people/${ids.john}`)
      assert.equal(res.statusCode, 200)
      assertFullRecord(res.body)
      assert.doesNotMatch(textOf(res.body), /breaking the glass/)
      const viewed = (await auditSince(t.db, before)).filter((e) => e.action === 'person.viewed')
      assert.equal(viewed.length, 1)
      assert.equal(viewed[0]!.record_type, 'person')
      assert.equal(viewed[0]!.record_id, String(ids.john))
      assert.equal(viewed[0]!.actor_user_id, ids[who])
    })
  }
})

describe('breaking the glass, as a social worker of another agency', () => {
  let socialCare: Client

  before(async () => {
    socialCare = await t.staff.signIn(t.app, 'socialCare')
  })

  test('without access the record is refused (404, as for an id that is no one), with a way to break the glass, naming no one; the refusal is audited', async () => {
    const before = await lastAuditId(t.db)
    const res = await socialCare.get(`/people/${ids.john}`)
    assert.equal(res.statusCode, 404)
    const text = textOf(res.body)
    assert.match(text, new RegExp(NO_ACCESS))
    for (const named of ['John', 'Smith', '4 March 2015', t.staff.agencies.school.name]) assert.ok(!text.includes(named), `the refusal names "${named}"`)
    assert.match(res.body, new RegExp(`<form method="post" action="/people/${ids.john}/break-glass"`))
    assert.match(res.body, /<textarea[^>]*id="reason"/)
    for (const hidden of ['DB1 4QT', 'NHS number', 'History of changes', 'Household and family'])
      assert.ok(!text.includes(hidden), `the refusal shows "${hidden}"`)
    const events = await auditSince(t.db, before)
    const refused = events.filter((e) => e.action === 'person.access-refused')
    assert.equal(refused.length, 1)
    assert.equal(refused[0]!.record_id, String(ids.john))
    assert.equal(refused[0]!.actor_user_id, ids.socialCare)
    assert.deepEqual(
      events.filter((e) => e.action === 'person.viewed'),
      [],
      'a refused view is not a view',
    )
  })

  test('without access the record cannot be changed either (404), and nothing is saved', async () => {
    const edit = await socialCare.get(`/people/${ids.john}/edit`)
    assert.equal(edit.statusCode, 404)
    assert.doesNotMatch(edit.body, /DB1 4QT/)
    const before = await t.db.selectFrom('people').selectAll().where('id', '=', ids.john).executeTakeFirstOrThrow()
    await socialCare.get('/people')
    const res = await socialCare.post(`/people/${ids.john}/edit`, {
      version: String(before.version),
      givenName: 'John',
      familyName: 'Smith-Changed',
      'dob-day': '4',
      'dob-month': '3',
      'dob-year': '2015',
    })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(await t.db.selectFrom('people').selectAll().where('id', '=', ids.john).executeTakeFirstOrThrow(), before)
  })

  test('breaking the glass needs a reason (400 with the error summary), and nothing is granted without one', async () => {
    await socialCare.get(`/people/${ids.john}`)
    const res = await socialCare.post(`/people/${ids.john}/break-glass`, { reason: '   ' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason'])
    assert.match(errorSummaryText(res.body), /Enter why you need to see this record/)
    assert.match(textOf(res.body), new RegExp(NO_ACCESS))
    assert.equal((await t.db.selectFrom('break_glass').select('id').where('person_id', '=', ids.john).execute()).length, 0)
    assert.equal((await socialCare.get(`/people/${ids.john}`)).statusCode, 404)
  })

  test('with a reason the record opens, with a warning, for that record only; the access is recorded and audited', async () => {
    await socialCare.get(`/people/${ids.john}`)
    const before = await lastAuditId(t.db)
    const reason = 'Section 47 enquiry opened today: need to know who is in the household'
    assert.deepEqual(formFields(socialCare.last, `/people/${ids.john}/break-glass`), { reason: '' }, 'the form asks only for a reason')
    const res = await socialCare.post(`/people/${ids.john}/break-glass`, { reason })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/people/${ids.john}`)
    const page = await socialCare.get(`/people/${ids.john}`)
    assert.equal(page.statusCode, 200)
    assertFullRecord(page.body)
    assert.match(textOf(page.body), /You opened this record by breaking the glass/)

    const rows = await t.db.selectFrom('break_glass').selectAll().where('person_id', '=', ids.john).execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.user_id, ids.socialCare)
    assert.equal(rows[0]!.reason, reason)
    assert.equal(rows[0]!.reviewed_at, null)
    const events = await auditSince(t.db, before)
    const glass = events.filter((e) => e.action === 'person.break-glass')
    assert.equal(glass.length, 1)
    assert.equal(glass[0]!.record_id, String(ids.john))
    assert.equal(glass[0]!.session_id, rows[0]!.session_id, 'the access is tied to the session it was granted in')
    assert.ok(!JSON.stringify(glass[0]!.detail).includes('Section 47'), 'the reason is kept in break_glass, not in the audit detail')
    assert.ok(events.some((e) => e.action === 'person.viewed' && e.record_id === String(ids.john)))

    assert.equal((await socialCare.get(`/people/${ids.amelia}`)).statusCode, 404, "breaking the glass for John does not open his sister's record")
  })

  test('the access lasts only for that session: signed in again, the record is refused again', async () => {
    const again = await t.staff.signIn(t.app, 'socialCare')
    const res = await again.get(`/people/${ids.john}`)
    assert.equal(res.statusCode, 404)
    assert.match(textOf(res.body), new RegExp(NO_ACCESS))
    assert.equal((await socialCare.get(`/people/${ids.john}`)).statusCode, 200, 'the first session still has its access')
  })
})

describe('the hub reviews breaking the glass', () => {
  let coordinator: Client
  let glassId: number

  before(async () => {
    coordinator = await t.staff.signIn(t.app, 'coordinator')
    const social = await t.staff.signIn(t.app, 'socialCare')
    await social.get(`/people/${ids.amelia}`)
    const res = await social.post(`/people/${ids.amelia}/break-glass`, { reason: 'Strategy meeting tomorrow about Amelia' })
    assert.equal(res.statusCode, 303)
    glassId = (await t.db.selectFrom('break_glass').select('id').where('person_id', '=', ids.amelia).executeTakeFirstOrThrow()).id
  })

  test('the coordinator sees who opened which record, when and why', async () => {
    const res = await coordinator.get('/break-glass')
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    const { users, agencies } = t.staff
    assert.ok(text.includes(`${users.socialCare.fullName} (${agencies.socialCare.name}) opened Amelia Smith`), text)
    assert.match(text, /Reason given: Strategy meeting tomorrow about Amelia/)
    assert.match(res.body, new RegExp(`action="/break-glass/${glassId}/review"`))
  })

  test('a review needs a note (400 with the error summary), and the access stays on the list', async () => {
    await coordinator.get('/break-glass')
    const res = await coordinator.post(`/break-glass/${glassId}/review`, { note: '' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#note'])
    assert.match(errorSummaryText(res.body), /Enter what you found when you checked this access/)
    assert.match(res.body, /<textarea[^>]*id="note"/, 'the summary links to the note of the access that failed')
    const row = await t.db.selectFrom('break_glass').select(['reviewed_at', 'reviewed_by']).where('id', '=', glassId).executeTakeFirstOrThrow()
    assert.deepEqual(row, { reviewed_at: null, reviewed_by: null })
  })

  test('with a note the review is recorded and the access leaves the list', async () => {
    await coordinator.get('/break-glass')
    const before = await lastAuditId(t.db)
    const res = await coordinator.post(`/break-glass/${glassId}/review`, { note: 'Checked with the team manager: a real need to know' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/break-glass?done=1')
    const list = await coordinator.get('/break-glass?done=1')
    assert.match(textOf(list.body), /Review recorded/)
    assert.doesNotMatch(textOf(list.body), /opened Amelia Smith/)
    assert.doesNotMatch(list.body, new RegExp(`/break-glass/${glassId}/review`))
    const row = await t.db.selectFrom('break_glass').select(['reviewed_by', 'review_note']).where('id', '=', glassId).executeTakeFirstOrThrow()
    assert.deepEqual(row, { reviewed_by: ids.coordinator, review_note: 'Checked with the team manager: a real need to know' })
    const reviewed = (await auditSince(t.db, before)).filter((e) => e.action === 'break-glass.reviewed')
    assert.equal(reviewed.length, 1)
    assert.equal(reviewed[0]!.record_id, String(glassId))

    const again = await coordinator.post(`/break-glass/${glassId}/review`, { note: 'twice' })
    assert.equal(again.statusCode, 404, 'an access cannot be reviewed twice')
  })

  test('only the hub reviews: the social worker and the practitioner get 403', async () => {
    for (const who of ['socialCare', 'practitioner'] as const) {
      const client = await t.staff.signIn(t.app, who)
      assert.equal((await client.get('/break-glass')).statusCode, 403, who)
    }
  })
})
