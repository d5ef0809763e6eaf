import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { smtpTransport, type MailTransport } from '../../src/features/mail/transport.ts'
import { deliverDueMail } from '../../src/features/mail/worker.ts'
import { buildColleague } from '../helpers/staff.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { freePort, mimePart, parseIcs, startSmtpServer, type Received } from '../helpers/smtp.ts'

/**
 * Team Around the Family meetings: invitations by email with a calendar invitation that a calendar
 * program can read, updates and cancellations of the same event, replies and attendance on the record,
 * repeated non-attendance flagged, and the first meeting's due date.
 */

const FROM = 'CAF Hub <no-reply@caf-hub.invalid>'
const PLACE = 'The school, the family room'
let t: TestApp
let smtp: MailTransport
let mail: Awaited<ReturnType<typeof startSmtpServer>>
let practitioner: Client
/** Gwen Hughes of the GP practice, in the team of every episode here. */
let gp: { id: number; email: string; client: Client }

/** The day after tomorrow, as the form's boxes, and the instant 10:30 that day is in the UK. */
const DAY = new Date(Date.now() + 2 * 86_400_000)
const dateBoxes = { 'date-day': String(DAY.getUTCDate()), 'date-month': String(DAY.getUTCMonth() + 1), 'date-year': String(DAY.getUTCFullYear()) }

function icsStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** 10:30 in the UK on DAY, whatever the season. */
function ukHalfPastTen(): Date {
  const guess = new Date(Date.UTC(DAY.getUTCFullYear(), DAY.getUTCMonth(), DAY.getUTCDate(), 10, 30))
  const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(guess)
  return new Date(guess.getTime() - (Number(shown) - 10) * 3_600_000)
}

/** Sends what is in the outbox to the loopback SMTP server and returns what arrived. */
async function deliver(): Promise<Received[]> {
  const before = mail.received.length
  await deliverDueMail(t.db, smtp, FROM)
  return mail.received.slice(before)
}

function invitationOf(message: Received) {
  const ics = mimePart(message.raw, 'text/calendar')
  assert.ok(ics, 'the email carries a calendar invitation')
  const lines = parseIcs(ics)
  const one = (name: string) => lines.filter((l) => l.name === name)
  return { lines, one, value: (name: string) => one(name)[0]?.value }
}

/** Arranges a meeting the day after tomorrow, chaired by the practitioner, Gwen taking the minutes. */
async function arrange(episode: number, extra: Record<string, string | string[]> = {}) {
  await practitioner.get(`/episodes/${episode}/meetings/new`)
  return practitioner.post(`/episodes/${episode}/meetings/new`, {
    ...dateBoxes,
    time: '10:30',
    duration: '60',
    place: PLACE,
    chair: String(t.staff.users.practitioner.id),
    minuteTaker: String(gp.id),
    invitees: [],
    ...extra,
  })
}

/** Time passes: a meeting arranged for the day after tomorrow has started, so it can be written up. */
async function started(meeting: number) {
  await t.db
    .updateTable('meetings')
    .set({ starts_at: sql<Date>`now() - interval '1 hour'` })
    .where('id', '=', meeting)
    .execute()
}

const meetingIdFrom = (location: unknown) => Number(/\/meetings\/(\d+)/.exec(String(location))?.[1])

/** Arranges a meeting and delivers its invitations: the meeting, and the UID of its calendar event. */
async function arrangedAndSent(episode: number): Promise<{ meeting: number; uid: string }> {
  const res = await arrange(episode)
  assert.equal(res.statusCode, 303, 'arranged')
  const arrived = await deliver()
  assert.equal(arrived.length, 2, 'invitations sent')
  return { meeting: meetingIdFrom(res.headers.location), uid: invitationOf(arrived[0]!).value('UID')! }
}

/** Moves the meeting to 2pm for 90 minutes at the family's home. */
async function move(episode: number, meeting: number) {
  const form = await practitioner.get(`/episodes/${episode}/meetings/${meeting}/change`)
  const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
  return practitioner.post(`/episodes/${episode}/meetings/${meeting}/change`, {
    ...dateBoxes,
    time: '2pm',
    duration: '90',
    place: 'The family’s home',
    version,
  })
}

before(async () => {
  t = await testApp()
  const port = await freePort()
  mail = await startSmtpServer(port)
  smtp = smtpTransport(`smtp://127.0.0.1:${port}`)
  practitioner = await t.staff.signIn(t.app, 'practitioner')
  gp = await buildColleague(t.db, t.app, t.staff, 'gp', { name: 'Gwen Hughes' })
})
after(async () => {
  smtp?.close()
  await mail?.close()
  await t?.close()
})

/**
 * A Smith family CAF of its own: completed by the school's practitioner, consent naming the school and
 * the GP practice, Gwen in the team; nothing then waits in the outbox.
 */
async function smithsWithGp(): Promise<number> {
  const { staff } = t
  const { episode } = await smithsCaf(t.db, staff, practitioner, [staff.agencies.school.id, staff.agencies.gp.id])
  await addToTeam(practitioner, episode, gp.id)
  await deliver()
  return episode
}

describe('invitations with a calendar invitation, over SMTP', () => {
  test('arranging a meeting emails everyone invited a METHOD:REQUEST invitation that reads back correctly', async () => {
    const episode = await smithsWithGp()
    const me = t.staff.users.practitioner
    const res = await arrange(episode)
    assert.equal(res.statusCode, 303)
    const meeting = meetingIdFrom(res.headers.location)
    const arrived = await deliver()
    assert.deepEqual(arrived.map((m) => m.to[0]).sort(), [me.email, gp.email].sort(), 'the chair and the minute taker are invited')
    const uids = new Set<string>()
    for (const message of arrived) {
      assert.match(message.raw, /Subject: Invitation: Team Around the Family meeting/)
      assert.doesNotMatch(message.raw, /John|Amelia|Smith/, 'no child or family name in an email')
      const ics = invitationOf(message)
      assert.equal(ics.value('METHOD'), 'REQUEST')
      assert.equal(ics.value('DTSTART'), icsStamp(ukHalfPastTen()), 'starts at 10:30 UK time, written in UTC')
      assert.equal(ics.value('DURATION'), 'PT60M')
      assert.equal(ics.value('SEQUENCE'), '0')
      assert.equal(ics.value('LOCATION'), 'The school\\, the family room')
      assert.match(ics.value('ORGANIZER') ?? '', new RegExp(`mailto:${me.email}`, 'i'))
      assert.equal(ics.one('ORGANIZER')[0]!.params.CN, me.fullName)
      const attendees = ics.one('ATTENDEE').map((a) => a.value.replace(/^mailto:/i, ''))
      assert.deepEqual(attendees.sort(), [me.email, gp.email].sort())
      uids.add(ics.value('UID')!)
    }
    assert.equal(uids.size, 1, 'one event, one UID, in every copy')
    const page = textOf((await practitioner.get(`/episodes/${episode}/meetings/${meeting}`)).body)
    assert.ok(page.includes(`Invitation sent to Gwen Hughes, by ${me.fullName}`), page)
    assert.ok(page.includes(`Invitation sent to ${me.fullName}, by ${me.fullName}`), page)
  })

  test('moving the meeting sends an update of the same event: same UID, higher SEQUENCE, new time', async () => {
    const episode = await smithsWithGp()
    const { meeting, uid } = await arrangedAndSent(episode)
    const res = await move(episode, meeting)
    assert.equal(res.statusCode, 303)
    const arrived = await deliver()
    assert.equal(arrived.length, 2)
    for (const message of arrived) {
      assert.match(message.raw, /Subject: Changed: Team Around the Family meeting/)
      const ics = invitationOf(message)
      assert.equal(ics.value('METHOD'), 'REQUEST')
      assert.equal(ics.value('UID'), uid)
      assert.equal(ics.value('SEQUENCE'), '1')
      assert.equal(ics.value('DTSTART'), icsStamp(new Date(ukHalfPastTen().getTime() + 3.5 * 3_600_000)))
      assert.equal(ics.value('DURATION'), 'PT90M')
    }
    assert.match(textOf((await practitioner.get(`/episodes/${episode}/meetings/${meeting}`)).body), /Update sent to Gwen Hughes/)
  })

  test('an invitee replies with apologies; the reply is logged and shown', async () => {
    const episode = await smithsWithGp()
    const meeting = meetingIdFrom((await arrange(episode)).headers.location)
    await gp.client.get(`/episodes/${episode}/meetings/${meeting}`)
    const res = await gp.client.post(`/episodes/${episode}/meetings/${meeting}/respond`, { response: 'declined' })
    assert.equal(res.statusCode, 303)
    const page = textOf((await practitioner.get(`/episodes/${episode}/meetings/${meeting}`)).body)
    assert.ok(page.includes(`Gwen Hughes ${t.staff.agencies.gp.name} I cannot attend (apologies)`), page)
    assert.match(page, /Reply from Gwen Hughes: I cannot attend \(apologies\)/)
    const form = await practitioner.get(`/episodes/${episode}/meetings/${meeting}/record`)
    const invitee = await t.db
      .selectFrom('meeting_invitees')
      .select('id')
      .where('meeting_id', '=', meeting)
      .where('user_id', '=', gp.id)
      .executeTakeFirstOrThrow()
    assert.match(form.body, new RegExp(`name="attendance-${invitee.id}" type="radio" value="apologies" checked`), 'the record starts from the apologies sent')
  })

  test('cancelling sends METHOD:CANCEL for the same event with a higher SEQUENCE and the reason', async () => {
    // Invited (SEQUENCE 0), then moved (1).
    const episode = await smithsWithGp()
    const { meeting, uid } = await arrangedAndSent(episode)
    assert.equal((await move(episode, meeting)).statusCode, 303)
    assert.equal((await deliver()).length, 2, 'the update is sent')
    await practitioner.get(`/episodes/${episode}/meetings/${meeting}/cancel`)
    const res = await practitioner.post(`/episodes/${episode}/meetings/${meeting}/cancel`, { reason: 'Mum is unwell' })
    assert.equal(res.statusCode, 303)
    const arrived = await deliver()
    assert.equal(arrived.length, 2)
    for (const message of arrived) {
      assert.match(message.raw, /Subject: Cancelled: Team Around the Family meeting/)
      assert.match(message.raw, /Mum is unwell/)
      const ics = invitationOf(message)
      assert.equal(ics.value('METHOD'), 'CANCEL')
      assert.equal(ics.value('STATUS'), 'CANCELLED')
      assert.equal(ics.value('UID'), uid)
      assert.equal(ics.value('SEQUENCE'), '2')
    }
    await practitioner.get(`/episodes/${episode}/meetings/${meeting}`)
    const again = await practitioner.post(`/episodes/${episode}/meetings/${meeting}/cancel`, { reason: 'twice' })
    assert.equal(again.statusCode, 409, 'a cancelled meeting cannot be cancelled again')
  })
})

describe('attendance, non-attendance and the first meeting', () => {
  async function holdMeeting(episode: number, gpAttendance: string) {
    const id = meetingIdFrom((await arrange(episode)).headers.location)
    await started(id)
    const invitees = await t.db.selectFrom('meeting_invitees').select(['id', 'user_id']).where('meeting_id', '=', id).execute()
    const form = await practitioner.get(`/episodes/${episode}/meetings/${id}/record`)
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
    const res = await practitioner.post(`/episodes/${episode}/meetings/${id}/record`, {
      ...Object.fromEntries(invitees.map((i) => [`attendance-${i.id}`, i.user_id === gp.id ? gpAttendance : 'attended'])),
      familyPresent: 'no',
      familyAbsentReason: 'Sarah was at work; she will see the plan at home',
      minutes: 'Talked through mornings and the walk to school.',
      decisions: 'Health visitor to call by Friday.',
      version,
    })
    assert.equal(res.statusCode, 303)
    return id
  }

  test('the first meeting is due within the council’s days of the assessment, and overdue after that', async () => {
    const episode = await smithsWithGp()
    const due = textOf((await practitioner.get(`/episodes/${episode}`)).body)
    assert.match(due, /The first meeting is due by .* within 14 days of the assessment/)
    await t.db
      .updateTable('episodes')
      .set({ assessment_completed_at: sql<Date>`now() - interval '20 days'` })
      .where('id', '=', episode)
      .execute()
    assert.match(textOf((await practitioner.get(`/episodes/${episode}`)).body), /The first meeting is overdue: it was due by/)
  })

  test('recording a meeting needs each invitee’s attendance, and why the family was absent', async () => {
    const episode = await smithsWithGp()
    const id = meetingIdFrom((await arrange(episode)).headers.location)
    await started(id)
    const form = await practitioner.get(`/episodes/${episode}/meetings/${id}/record`)
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
    const res = await practitioner.post(`/episodes/${episode}/meetings/${id}/record`, {
      familyPresent: 'no',
      familyAbsentReason: '',
      minutes: 'Notes',
      decisions: '',
      version,
    })
    assert.equal(res.statusCode, 400)
    const hrefs = errorSummaryHrefs(res.body)
    assert.equal(hrefs.filter((h) => h.startsWith('#attendance-')).length, 2, 'both invitees')
    assert.ok(hrefs.includes('#familyAbsentReason'))
    assert.match(res.body, /Notes<\/textarea>/, 'the minutes typed are kept')
    const row = await t.db.selectFrom('meetings').select('status').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'scheduled', 'nothing recorded')
  })

  test('one missed meeting is not flagged; a second by the same agency flags the episode and the agency manager’s view', async () => {
    const episode = await smithsWithGp()
    await holdMeeting(episode, 'did-not-attend')
    assert.match(textOf((await practitioner.get(`/episodes/${episode}`)).body), /Team Around the Family meetings/)
    assert.doesNotMatch(textOf((await practitioner.get(`/episodes/${episode}`)).body), /did not attend/)
    assert.doesNotMatch(textOf((await practitioner.get(`/episodes/${episode}`)).body), /first meeting is overdue/, 'a meeting has been held')
    await holdMeeting(episode, 'did-not-attend')
    const flagged = textOf((await practitioner.get(`/episodes/${episode}`)).body)
    assert.ok(flagged.includes(`${t.staff.agencies.gp.name} did not attend 2 meetings in a row for this family`), flagged)

    const { client: managerClient } = await buildColleague(t.db, t.app, t.staff, 'gp', { roles: ['manager'] })
    const view = textOf((await managerClient.get('/desk/non-attendance')).body)
    assert.ok(view.includes(`John Smith, Amelia Smith ${t.staff.agencies.gp.name} did not attend 2 meetings in a row`), view)
    // The hub's manager: the hub's agency is not in this family's team, so it is not in their agency's queue.
    const hubManager = await t.staff.signIn(t.app, 'manager')
    assert.match(textOf((await hubManager.get('/desk/non-attendance?for=agency')).body), /Nothing is waiting in this queue/)
    assert.match(textOf((await practitioner.get('/desk/non-attendance')).body), /John Smith, Amelia Smith/, 'the one responsible sees it in their own queue')
  })
})

describe('bad input when arranging a meeting', () => {
  let episode: number
  before(async () => {
    episode = await smithsWithGp()
  })

  for (const [name, change, href] of [
    ['a time that is not a time', { time: '25:00' }, '#time'],
    ['a date in the past', { 'date-day': '1', 'date-month': '1', 'date-year': '2020' }, '#date-day'],
    ['no place', { place: '' }, '#place'],
    ['a chair not in the team', { chair: String(999_999) }, '#chair'],
  ] as const) {
    test(`${name} is refused with 400, and nothing is arranged or sent`, async () => {
      const meetings = await t.db
        .selectFrom('meetings')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
      const outbox = await t.db
        .selectFrom('mail_outbox')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow()
      const res = await arrange(episode, change)
      assert.equal(res.statusCode, 400)
      assert.ok(errorSummaryHrefs(res.body).includes(href), `${name}: ${errorSummaryHrefs(res.body).join(', ')}`)
      assert.deepEqual(
        await t.db
          .selectFrom('meetings')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow(),
        meetings,
      )
      assert.deepEqual(
        await t.db
          .selectFrom('mail_outbox')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow(),
        outbox,
      )
    })
  }
})
