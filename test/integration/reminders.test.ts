import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { isoWeekday, sendReminders } from '../../src/features/desk/reminders.ts'
import { smtpTransport, type MailTransport } from '../../src/features/mail/transport.ts'
import { deliverDueMail } from '../../src/features/mail/worker.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { backdate } from '../helpers/queues.ts'
import { freePort, parseMessage, startSmtpServer } from '../helpers/smtp.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The reminder email, delivered through the outbox to a real SMTP server on loopback: what it says
 * (counts and links, never a child's name), when it goes (the council's day, or every working day),
 * and that a user can stop it. Each test has a council of its own and reads only its own users' mail.
 */

const FROM = 'CAF Hub <no-reply@caf-hub.invalid>'
const BASE = 'https://caf.example.gov.uk'
let t: TestApp
let transport: MailTransport
let server: Awaited<ReturnType<typeof startSmtpServer>>

/** The next Monday after today, and the days after it: reminders are decided by the day it is. */
const MONDAY = addDays(today(), 8 - isoWeekday(today()))
const TUESDAY = addDays(MONDAY, 1)
const SATURDAY = addDays(MONDAY, 5)

before(async () => {
  t = await testApp()
  const port = await freePort()
  server = await startSmtpServer(port)
  transport = smtpTransport(`smtp://127.0.0.1:${port}`)
})
after(async () => {
  transport?.close()
  await server?.close()
  await t?.close()
})

/** Runs the reminders for a day and delivers the outbox: the messages each address was sent. */
async function remindOn(day: string) {
  const queued = await sendReminders(t.db, { today: day, baseUrl: BASE })
  await deliverDueMail(t.db, transport, FROM, 500)
  return queued
}
const mailTo = (email: string) => server.received.filter((m) => m.to.includes(email)).map((m) => parseMessage(m.raw))

/** A family led by the practitioner, its assessment completed 15 days ago: the first meeting and the family's copy are overdue. */
async function slippedFamily(staff: Staff) {
  const episode = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id], lead: true })
  await backdate(t.db, { table: 'episodes', column: 'assessment_completed_at' }, episode.id, 15)
  const names = await t.db.selectFrom('people').select(['given_name', 'family_name']).where('id', 'in', [episode.child.id, episode.parent.id]).execute()
  return { ...episode, names: names.flatMap((n) => [n.given_name, n.family_name]).filter((n): n is string => Boolean(n)) }
}

describe('the weekly reminder', () => {
  test('goes on the council’s day with counts and links for the lead and their agency’s manager, and names nobody', async () => {
    const staff = await buildStaff(t.db)
    const family = await slippedFamily(staff)
    const manager = await buildColleague(t.db, t.app, staff, 'school', { roles: ['manager'] })
    await remindOn(MONDAY)

    const [mine, ...more] = mailTo(staff.users.practitioner.email)
    assert.ok(mine, 'the lead professional was emailed')
    assert.equal(more.length, 0)
    assert.match(mine.headers.subject!, /CAF Hub: 2 things need doing/)
    assert.match(mine.body, /in the families you are responsible for/)
    assert.match(mine.body, new RegExp(`First meeting overdue: 1\\n${BASE}/desk/first-meeting\\?for=mine`))
    assert.match(mine.body, new RegExp(`Family’s copy not given: 1\\n${BASE}/desk/copy-not-given\\?for=mine`))
    assert.match(mine.body, /every Monday/)
    assert.ok(mine.body.includes(`${BASE}/account/reminders`), 'how to change or stop it')
    const [theirs] = mailTo(manager.email)
    assert.ok(theirs, "the agency's manager was emailed")
    assert.match(theirs.body, new RegExp(`${BASE}/desk/first-meeting\\?for=agency`))
    for (const message of [mine, theirs]) {
      for (const name of [...family.names, staff.users.practitioner.fullName]) assert.ok(!message.body.includes(name), `no name in the email: ${name}`)
    }
    assert.deepEqual(mailTo(staff.users.socialCare.email), [], 'nothing to do, no email')
  })

  test('goes once a day at most, and not on other days of the week', async () => {
    const staff = await buildStaff(t.db)
    await slippedFamily(staff)
    await remindOn(TUESDAY)
    assert.deepEqual(mailTo(staff.users.practitioner.email), [], 'not the council’s day')
    await remindOn(MONDAY)
    await remindOn(MONDAY)
    assert.equal(mailTo(staff.users.practitioner.email).length, 1, 'a second run that day sends nothing')
  })

  test('the council’s administrator sets the day', async () => {
    const staff = await buildStaff(t.db)
    await slippedFamily(staff)
    await t.db.updateTable('caf_settings').set({ reminder_weekday: 2 }).where('la_id', '=', staff.la.id).execute()
    await remindOn(MONDAY)
    assert.deepEqual(mailTo(staff.users.practitioner.email), [])
    await remindOn(TUESDAY)
    assert.match(mailTo(staff.users.practitioner.email)[0]?.body ?? '', /every Tuesday/)
  })
})

describe('each user chooses', () => {
  test('every working day, or none: the choice is saved, audited and followed', async () => {
    const staff = await buildStaff(t.db)
    await slippedFamily(staff)
    const manager = await buildColleague(t.db, t.app, staff, 'school', { roles: ['manager'] })
    const practitioner = await staff.signIn(t.app, 'practitioner')
    const form = await practitioner.get('/account/reminders')
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /value="weekly" checked/, 'weekly unless they choose')
    assert.match(textOf(form.body), /Once a week, on Mondays/)
    assert.equal((await practitioner.post('/account/reminders', { reminders: 'none' })).statusCode, 303)
    await manager.client.get('/account/reminders')
    assert.equal((await manager.client.post('/account/reminders', { reminders: 'daily' })).statusCode, 303)
    const audits = await t.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'detail'])
      .where('action', '=', 'account.reminders-changed')
      .where('la_id', '=', staff.la.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      audits.map((a) => [a.actor_user_id, a.detail.frequency]),
      [
        [staff.users.practitioner.id, 'none'],
        [manager.id, 'daily'],
      ],
    )

    await remindOn(MONDAY)
    await remindOn(TUESDAY)
    await remindOn(SATURDAY)
    assert.deepEqual(mailTo(staff.users.practitioner.email), [], 'opted out')
    const daily = mailTo(manager.email)
    assert.equal(daily.length, 2, 'Monday and Tuesday, not Saturday')
    assert.match(daily[0]!.body, /every working day/)
  })

  test('a choice that is not offered is refused with the error summary, and nothing changes', async () => {
    const staff = await buildStaff(t.db)
    const practitioner = await staff.signIn(t.app, 'practitioner')
    for (const reminders of ['hourly', '', "weekly'; drop table users; --"]) {
      await practitioner.get('/account/reminders')
      const res = await practitioner.post('/account/reminders', { reminders })
      assert.equal(res.statusCode, 400, reminders)
      assert.deepEqual(errorSummaryHrefs(res.body), ['#reminders'])
    }
    const row = await t.db.selectFrom('users').select('reminders').where('id', '=', staff.users.practitioner.id).executeTakeFirstOrThrow()
    assert.equal(row.reminders, 'weekly')
    const admin = await staff.signIn(t.app, 'admin')
    assert.equal((await admin.get('/account/reminders')).statusCode, 403, 'administrators have no work queues')
  })
})
