import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { smtpTransport, type MailTransport } from '../../src/features/mail/transport.ts'
import { deliverDueMail } from '../../src/features/mail/worker.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryText } from '../helpers/html.ts'
import { freePort, mimePart, startSmtpServer, type Received } from '../helpers/smtp.ts'
import { buildColleague } from '../helpers/staff.ts'

/**
 * Issue 15 item 5: the Team Around the Family. The picker offers only practitioners the consent lets
 * in, and says who is left out and why; someone without an account (a GP, a housing officer) can be a
 * named member of the team, invited and sent the minutes by email, never given an account.
 */

let t: TestApp
let practitioner: Client
let smtp: MailTransport
let mail: Awaited<ReturnType<typeof startSmtpServer>>

before(async () => {
  t = await testApp()
  const port = await freePort()
  mail = await startSmtpServer(port)
  smtp = smtpTransport(`smtp://127.0.0.1:${port}`)
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(async () => {
  smtp?.close()
  await mail?.close()
  await t?.close()
})

async function deliver(): Promise<Received[]> {
  const before = mail.received.length
  await deliverDueMail(t.db, smtp, 'CAF Hub <no-reply@caf-hub.invalid>')
  return mail.received.slice(before)
}

/** The Smiths' CAF, consent naming the school and the GP practice; nothing waits in the outbox. */
async function smiths() {
  const { episode } = await smithsCaf(t.db, t.staff, practitioner, [t.staff.agencies.school.id, t.staff.agencies.gp.id])
  await deliver()
  return episode
}

const GP = { name: 'Dr Amir Khan', role: 'GP', email: 'amir.khan@surgery.nhs.example' }
const addExternal = async (episode: number, agency: number, who = GP) => {
  await practitioner.get(`/episodes/${episode}/team`)
  return practitioner.post(`/episodes/${episode}/team/external`, { ...who, organisation: String(agency) })
}

test('the picker offers only practitioners whose agency the consent names, and says who is not there and why', async () => {
  const vera = await buildColleague(t.db, t.app, t.staff, 'voluntary', { name: 'Vera Nowak' })
  const gwen = await buildColleague(t.db, t.app, t.staff, 'gp', { name: 'Gwen Hughes' })
  const episode = await smiths()
  const page = await practitioner.get(`/episodes/${episode}/team`)
  const picker = /<select class="govuk-select[^"]*" id="user"[\s\S]*?<\/select>/.exec(page.body)![0]
  assert.match(picker, new RegExp(`value="${gwen.id}"`), 'a GP practitioner may join: the consent names the practice')
  assert.doesNotMatch(picker, new RegExp(`value="${vera.id}"`), 'the charity’s practitioner is not offered')
  assert.match(
    textOf(page.body),
    new RegExp(`Practitioners from agencies the family’s consent does not name are not listed, such as [^.]*${t.staff.agencies.voluntary.name}`),
  )
})

test('someone without an account joins the team by name, role, organisation and email, if the consent names the organisation', async () => {
  const episode = await smiths()
  const refused = await addExternal(episode, t.staff.agencies.housing.id, { name: 'Hana Begum', role: 'Housing officer', email: 'hana@homes.example' })
  assert.equal(refused.statusCode, 400)
  assert.match(
    errorSummaryText(refused.body),
    new RegExp(`${t.staff.agencies.housing.name} is not named in the family’s consent, so Hana Begum cannot join the team`),
  )
  const bad = await practitioner.post(`/episodes/${episode}/team/external`, {
    name: '',
    role: 'GP',
    email: 'not an email',
    organisation: String(t.staff.agencies.gp.id),
  })
  assert.equal(bad.statusCode, 400)
  assert.match(errorSummaryText(bad.body), /Enter their name[\s\S]*Enter their email address in the correct format/)
  assert.match(bad.body, /value="GP"/, 'what was typed is kept')
  const added = await addExternal(episode, t.staff.agencies.gp.id)
  assert.equal(added.statusCode, 303)
  const team = textOf((await practitioner.get(`/episodes/${episode}/team`)).body)
  assert.match(team, new RegExp(`Dr Amir Khan GP, ${t.staff.agencies.gp.name} amir.khan@surgery.nhs.example`))
  const accounts = await t.db.selectFrom('users').select('id').where('email', '=', GP.email).execute()
  assert.equal(accounts.length, 0, 'no account is made')
  const twice = await addExternal(episode, t.staff.agencies.gp.id)
  assert.equal(twice.statusCode, 400)
  assert.match(errorSummaryText(twice.body), /Dr Amir Khan is already in the team/)
})

test('a member without an account is invited by email, and sent the minutes once the meeting is written up', async () => {
  const episode = await smiths()
  assert.equal((await addExternal(episode, t.staff.agencies.gp.id)).statusCode, 303)
  const external = await t.db.selectFrom('team_externals').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()
  await practitioner.get(`/episodes/${episode}/meetings/new`)
  const day = new Date(Date.now() + 2 * 86_400_000)
  const arranged = await practitioner.post(`/episodes/${episode}/meetings/new`, {
    'date-day': String(day.getUTCDate()),
    'date-month': String(day.getUTCMonth() + 1),
    'date-year': String(day.getUTCFullYear()),
    time: '10:30',
    duration: '60',
    place: 'The surgery',
    chair: String(t.staff.users.practitioner.id),
    minuteTaker: String(t.staff.users.practitioner.id),
    externals: [String(external.id)],
  })
  assert.equal(arranged.statusCode, 303)
  const meeting = Number(/\/meetings\/(\d+)/.exec(String(arranged.headers.location))![1])
  const invitation = (await deliver()).find((m) => m.to.includes(GP.email))
  assert.ok(invitation, 'the GP is sent an invitation')
  assert.ok(mimePart(invitation.raw, 'text/calendar'), 'with a calendar invitation')
  const words = mimePart(invitation.raw, 'text/plain') ?? ''
  assert.match(words, /To reply or send apologies, email the chair/)
  assert.doesNotMatch(words, /Please reply, or send your apologies, at/, 'no link to a page they cannot open')

  await t.db
    .updateTable('meetings')
    .set({ starts_at: sql<Date>`now() - interval '1 hour'` })
    .where('id', '=', meeting)
    .execute()
  const form = await practitioner.get(`/episodes/${episode}/meetings/${meeting}/record`)
  assert.match(textOf(form.body), /Dr Amir Khan \(GP, /)
  const invitees = await t.db.selectFrom('meeting_invitees').select(['id', 'external_id']).where('meeting_id', '=', meeting).execute()
  const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
  const recorded = await practitioner.post(`/episodes/${episode}/meetings/${meeting}/record`, {
    version,
    ...Object.fromEntries(invitees.map((i) => [`attendance-${i.id}`, 'attended'])),
    familyPresent: 'yes',
    familyAbsentReason: '',
    minutes: 'Agreed a referral to the asthma nurse.',
    decisions: '',
  })
  assert.equal(recorded.statusCode, 303)
  const minutes = (await deliver()).find((m) => m.to.includes(GP.email))
  assert.ok(minutes, 'the GP is sent the minutes')
  assert.match(mimePart(minutes.raw, 'text/plain') ?? minutes.raw, /Agreed a referral to the asthma nurse\./)
})

test('a family member who takes part is invited by email, or by a letter to print; one who does not take part cannot be', async () => {
  const { episode, sarah, john } = await smithsCaf(t.db, t.staff, practitioner, [t.staff.agencies.school.id])
  await deliver()
  await practitioner.get(`/episodes/${episode}/team`)
  assert.equal((await practitioner.post(`/episodes/${episode}/team/family`, { members: [String(sarah)] })).statusCode, 303)
  const day = new Date(Date.now() + 2 * 86_400_000)
  const meetingBody = (family: Record<string, string>) => ({
    'date-day': String(day.getUTCDate()),
    'date-month': String(day.getUTCMonth() + 1),
    'date-year': String(day.getUTCFullYear()),
    time: '10:30',
    duration: '60',
    place: 'The school, the family room',
    chair: String(t.staff.users.practitioner.id),
    minuteTaker: String(t.staff.users.practitioner.id),
    ...family,
  })
  const form = await practitioner.get(`/episodes/${episode}/meetings/new`)
  assert.match(textOf(form.body), /How will Sarah Smith be invited\?/)
  assert.doesNotMatch(textOf(form.body), /How will John Smith be invited\?/, 'John does not take part in the team')

  const noAddress = await practitioner.post(`/episodes/${episode}/meetings/new`, meetingBody({ [`family-${sarah}`]: 'email', [`family-${sarah}-email`]: '' }))
  assert.equal(noAddress.statusCode, 400)
  assert.match(errorSummaryText(noAddress.body), /Enter Sarah Smith’s email address, or invite them by letter/)
  const notInTeam = await practitioner.post(`/episodes/${episode}/meetings/new`, meetingBody({ [`family-${john}`]: 'letter' }))
  assert.equal(notInTeam.statusCode, 400)
  assert.equal((await t.db.selectFrom('meetings').select('id').where('episode_id', '=', episode).execute()).length, 0, 'nothing arranged')

  const byEmail = await practitioner.post(
    `/episodes/${episode}/meetings/new`,
    meetingBody({ [`family-${sarah}`]: 'email', [`family-${sarah}-email`]: 'sarah.smith@example.com' }),
  )
  assert.equal(byEmail.statusCode, 303)
  const invitation = (await deliver()).find((m) => m.to.includes('sarah.smith@example.com'))
  assert.ok(invitation, 'Sarah is sent an invitation by email')
  const words = mimePart(invitation.raw, 'text/plain') ?? ''
  assert.match(words, /You are invited to a meeting about the help your family is getting/)
  assert.doesNotMatch(invitation.raw, /John|Amelia/, 'the email names no child')

  await practitioner.get(`/episodes/${episode}/meetings/new`)
  const byLetter = await practitioner.post(`/episodes/${episode}/meetings/new`, meetingBody({ [`family-${sarah}`]: 'letter' }))
  assert.equal(byLetter.statusCode, 303)
  const meeting = Number(/\/meetings\/(\d+)/.exec(String(byLetter.headers.location))![1])
  const audited = await t.db
    .selectFrom('audit_events')
    .select('detail')
    .where('action', '=', 'meeting.scheduled')
    .where('record_id', '=', String(episode))
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.deepEqual(
    (audited.detail as { family: unknown }).family,
    [{ personId: sarah, by: 'letter' }],
    'who in the family was invited, and how, is audited (ids only)',
  )
  const page = await practitioner.get(`/episodes/${episode}/meetings/${meeting}`)
  const letterLink = /href="([^"]+\/letter\/\d+)"/.exec(page.body)
  assert.ok(letterLink, 'the meeting page links to the letter to print')
  const letter = await practitioner.get(letterLink[1]!)
  assert.equal(letter.statusCode, 200)
  assert.match(textOf(letter.body), /Dear Sarah Smith, You are invited to a meeting about the help your family is getting/)
  assert.match(textOf(letter.body), /The school, the family room/)
})
