import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { buildColleague } from '../helpers/staff.ts'

/**
 * Meetings happen before they are written up: a meeting arranged for later cannot be recorded as held
 * until it has started, and one that already happened (perhaps before the CAF was on CAF Hub) can be
 * written up directly, with no invitations sent, marked as recorded after the event.
 */

let t: TestApp
let practitioner: Client
let episode: number
let gp: { id: number; name: string }

/** A date `days` from today as the form's three boxes (negative for the past). */
function dateBoxes(days: number) {
  const d = new Date(Date.now() + days * 86_400_000)
  return { 'date-day': String(d.getUTCDate()), 'date-month': String(d.getUTCMonth() + 1), 'date-year': String(d.getUTCFullYear()) }
}

const mailCount = async () => (await t.db.selectFrom('mail_outbox').select('id').execute()).length
const meetingCount = async () => (await t.db.selectFrom('meetings').select('id').where('episode_id', '=', episode).execute()).length

before(async () => {
  t = await testApp()
  const { staff } = t
  const initiator = staff.actor('practitioner')
  episode = (await buildEpisode(t.db, initiator, { consentedAgencies: [staff.agencies.school.id, staff.agencies.gp.id] })).id
  gp = await buildColleague(t.db, t.app, staff, 'gp', { name: 'Dr Ama Mensah' })
  assert.equal(await addTeamMember(t.db, initiator, episode, gp.id), 'added')
  practitioner = await staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

/** What the practitioner would fill in to write up a meeting held `days` ago (negative) with the GP there. */
function pastMeeting(days: number, extra: Record<string, string> = {}) {
  return {
    ...dateBoxes(days),
    time: '10:00',
    duration: '60',
    place: 'The school, the family room',
    chair: String(t.staff.users.practitioner.id),
    minuteTaker: String(t.staff.users.practitioner.id),
    [`attendance-${t.staff.users.practitioner.id}`]: 'attended',
    [`attendance-${gp.id}`]: 'did-not-attend',
    familyPresent: 'yes',
    familyAbsentReason: '',
    minutes: 'Mum said mornings are hardest.',
    decisions: 'Breakfast club from Monday.',
    ...extra,
  }
}

describe('a meeting arranged for later', () => {
  let meetingId: number

  before(async () => {
    await practitioner.get(`/episodes/${episode}/meetings/new`)
    const res = await practitioner.post(`/episodes/${episode}/meetings/new`, {
      ...dateBoxes(7),
      time: '10:30',
      duration: '60',
      place: 'The school',
      chair: String(t.staff.users.practitioner.id),
      minuteTaker: String(t.staff.users.practitioner.id),
      invitees: [String(gp.id)],
    })
    assert.equal(res.statusCode, 303)
    meetingId = Number(/\/meetings\/(\d+)/.exec(String(res.headers.location))![1])
  })

  test('is not offered for recording before it starts, and the page says when it can be', async () => {
    const page = await practitioner.get(`/episodes/${episode}/meetings/${meetingId}`)
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, new RegExp(`/meetings/${meetingId}/record`))
    assert.match(textOf(page.body), /You can record who came, the minutes and the decisions once the meeting has started/)
  })

  test('cannot be recorded as held before it starts (400), and nothing changes', async () => {
    const form = await practitioner.get(`/episodes/${episode}/meetings/${meetingId}/record`)
    const fields = formFields(form.body, `/episodes/${episode}/meetings/${meetingId}/record`)
    const attendance = Object.fromEntries([...new Set(form.body.match(/attendance-\d+/g))].map((k) => [k, 'attended']))
    const res = await practitioner.post(`/episodes/${episode}/meetings/${meetingId}/record`, {
      ...fields,
      ...attendance,
      familyPresent: 'yes',
      minutes: 'Written a week early',
    })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /You can record the meeting once it has started: it starts on/)
    assert.match(res.body, /Written a week early/, 'what was typed is kept')
    const row = await t.db.selectFrom('meetings').select(['status', 'minutes']).where('id', '=', meetingId).executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'scheduled', minutes: null })
  })

  test('arranging one for a day already past points to writing it up instead', async () => {
    await practitioner.get(`/episodes/${episode}/meetings/new`)
    const before = await meetingCount()
    const res = await practitioner.post(`/episodes/${episode}/meetings/new`, {
      ...dateBoxes(-3),
      time: '10:30',
      duration: '60',
      place: 'The school',
      chair: String(t.staff.users.practitioner.id),
      minuteTaker: String(t.staff.users.practitioner.id),
    })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /To write up a meeting that has already happened, record a past meeting instead/)
    assert.equal(await meetingCount(), before)
  })
})

describe('a meeting that already happened', () => {
  test('the episode page offers to write one up', async () => {
    const page = await practitioner.get(`/episodes/${episode}`)
    assert.match(page.body, new RegExp(`href="/episodes/${episode}/meetings/past">Record a meeting that has already happened`))
  })

  test('the form asks when, who chaired, who from the team was there, and what happened', async () => {
    const page = await practitioner.get(`/episodes/${episode}/meetings/past`)
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Record a meeting that has already happened/)
    assert.match(text, /Nobody is sent an invitation/)
    assert.match(text, new RegExp(`${gp.name} \\(${t.staff.agencies.gp.name}\\) Attended Sent apologies Did not attend Not there \\(not invited\\)`))
  })

  test('is written up directly: held, marked as recorded after the event, attendance kept, no invitation sent', async () => {
    await practitioner.get(`/episodes/${episode}/meetings/past`)
    const mailBefore = await mailCount()
    const res = await practitioner.post(`/episodes/${episode}/meetings/past`, pastMeeting(-20))
    assert.equal(res.statusCode, 303)
    const meetingId = Number(/\/meetings\/(\d+)\?done=recorded-after$/.exec(String(res.headers.location))![1])
    assert.equal(await mailCount(), mailBefore, 'nobody is emailed about a meeting that already happened')

    const page = await practitioner.get(String(res.headers.location))
    const text = textOf(page.body)
    assert.match(text, /Meeting recorded. Nobody was sent an invitation for it/)
    assert.match(text, /This meeting was written up after it happened/)
    assert.match(text, /Held \(recorded after the event\)/)
    assert.match(text, new RegExp(`${gp.name} ${t.staff.agencies.gp.name} Did not attend`))
    assert.match(text, /Minutes Mum said mornings are hardest/)

    const row = await t.db.selectFrom('meetings').select(['status', 'recorded_after_event', 'starts_at']).where('id', '=', meetingId).executeTakeFirstOrThrow()
    assert.equal(row.status, 'held')
    assert.equal(row.recorded_after_event, true)
    assert.ok(row.starts_at.getTime() < Date.now() - 19 * 86_400_000, 'the meeting keeps the day it was held')

    const episodePage = textOf((await practitioner.get(`/episodes/${episode}`)).body)
    assert.match(episodePage, /Held \(recorded after the event\)/)
    assert.doesNotMatch(episodePage, /The first meeting is (overdue|due by)/, 'the first meeting has been held')
  })

  test('bad answers are refused (400 with the error summary), what was typed is kept, and nothing is saved', async () => {
    const cases: [string, Record<string, string>, string, RegExp][] = [
      ['a day still to come', dateBoxes(2), '#date-day', /Date must be today or in the past/],
      ['no attendance for a team member', { [`attendance-${gp.id}`]: '' }, `#attendance-${gp.id}`, new RegExp(`Select whether ${gp.name} attended`)],
      [
        'the chair marked absent',
        { [`attendance-${t.staff.users.practitioner.id}`]: 'did-not-attend' },
        `#attendance-${t.staff.users.practitioner.id}`,
        /chaired the meeting attended it/,
      ],
      ['family absent without a reason', { familyPresent: 'no' }, '#familyAbsentReason', /Enter why the family was not at the meeting/],
      ['someone not in the team', { 'attendance-99999': 'attended' }, '#main-content', /did not expect/],
    ]
    for (const [what, change, href, message] of cases) {
      await practitioner.get(`/episodes/${episode}/meetings/past`)
      const before = await meetingCount()
      const res = await practitioner.post(`/episodes/${episode}/meetings/past`, pastMeeting(-5, { ...pastMeeting(-5), ...change, minutes: 'Kept on error' }))
      assert.equal(res.statusCode, 400, what)
      assert.ok(errorSummaryHrefs(res.body).includes(href), `${what}: ${errorSummaryHrefs(res.body).join(', ')}`)
      assert.match(errorSummaryText(res.body), message, what)
      assert.match(res.body, /Kept on error/, `${what}: the input is kept`)
      assert.equal(await meetingCount(), before, `${what}: nothing saved`)
    }
  })
})
