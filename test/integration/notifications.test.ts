import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { decideNotification, NotificationRefused, sendNotification, type NotificationInput } from '../../src/features/social-care/notifications.ts'
import { notificationLists } from '../../src/features/social-care/notification-queries.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { addWorkingDays } from '../../src/web/working-days.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { buildEpisode, buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { buildService } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Interface notifications: social care sends a contact that did not meet its threshold to early help;
 * the hub decides within the council's working days (offer a CAF, signpost, no further action), and
 * social care sees the decision.
 */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const social = () => staff.actor('socialCare')
const hub = () => staff.actor('coordinator')
const URL = 'https://caf.example'
const CONTACT: NotificationInput = {
  contactOn: today(),
  source: '2A',
  reported: 'Often hungry at school; mother struggling since the baby was born',
  socialCareAction: 'Spoke to the school and the health visitor: no safeguarding concerns',
  familyAware: 'agrees',
}
const episodesOf = (childId: number) =>
  t.db
    .selectFrom('episode_people as ep')
    .innerJoin('episodes as e', 'e.id', 'ep.episode_id')
    .select(['e.id', 'e.status', 'e.origin', 'e.intention_reason'])
    .where('ep.person_id', '=', childId)
    .execute()
const row = (id: number) => t.db.selectFrom('interface_notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('a notification from social care', () => {
  test('arrives in the hub’s list, due in two working days; offering a CAF starts one carrying the details across; social care is told', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2017-05-05' })
    const id = await sendNotification(t.db, social(), child.id, CONTACT)
    assert.equal((await row(id)).decide_by, addWorkingDays(today(), 2))
    assert.ok((await notificationLists(t.db, staff.la.id)).waiting.some((n) => n.id === id))

    await decideNotification(t.db, hub(), id, { decision: 'caf' }, URL)
    const [episode] = await episodesOf(child.id)
    assert.equal(episode!.status, 'intention')
    assert.equal(episode!.origin, 'notification')
    assert.match(episode!.intention_reason!, /Often hungry at school/)
    assert.match(episode!.intention_reason!, /Schools/)
    assert.equal((await row(id)).episode_id, episode!.id)
    const mail = await t.db.selectFrom('mail_outbox').select(['body_text']).where('to_address', '=', staff.users.socialCare.email).execute()
    assert.ok(mail.some((m) => m.body_text.includes(`/notifications/${id}`)))
    assert.ok(!mail.some((m) => m.body_text.includes(child.name)), 'no email names the child')

    const page = textOf((await (await staff.signIn(t.app, 'socialCare')).get(`/notifications/${id}`)).body)
    assert.match(page, /The hub’s decision Decision Offer a CAF/)
    await assert.rejects(decideNotification(t.db, hub(), id, { decision: 'no-further-action', note: 'x' }, URL), NotificationRefused, 'decided once')
  })

  test('signposting names a service; no further action needs a reason; neither starts a CAF', async () => {
    const service = await buildService(t.db, hub(), staff.agencies.voluntary.id, { name: 'Notification Parenting Group' })
    const a = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    const b = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    const first = await sendNotification(t.db, social(), a.id, CONTACT)
    const second = await sendNotification(t.db, social(), b.id, CONTACT)
    await decideNotification(t.db, hub(), first, { decision: 'signpost', serviceId: service, note: 'Mum will call them' }, URL)
    await decideNotification(t.db, hub(), second, { decision: 'no-further-action', note: 'The family has support from the health visitor' }, URL)
    assert.equal((await row(first)).service_id, service)
    assert.equal((await row(second)).decision_note, 'The family has support from the health visitor')
    assert.equal((await episodesOf(a.id)).length + (await episodesOf(b.id)).length, 0)
  })

  test('a child with an open CAF: the hub is told to tell its lead, and nothing is decided', async () => {
    const { id: episode, child } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    const id = await sendNotification(t.db, social(), child.id, CONTACT)
    await assert.rejects(
      decideNotification(t.db, hub(), id, { decision: 'caf' }, URL),
      (e: unknown) => e instanceof NotificationRefused && e.errors.decision!.includes(`episode ${episode}`),
    )
    assert.equal((await row(id)).decision, null)
  })

  test('only social care sends, only the hub decides; an adult cannot be sent', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    await assert.rejects(sendNotification(t.db, staff.actor('practitioner'), child.id, CONTACT), Forbidden)
    const adult = await buildPerson(t.db, social(), { dateOfBirth: '1980-01-01' })
    await assert.rejects(sendNotification(t.db, social(), adult.id, CONTACT), NotFound)
    const id = await sendNotification(t.db, social(), child.id, CONTACT)
    await assert.rejects(decideNotification(t.db, social(), id, { decision: 'caf' }, URL), Forbidden)
    await assert.rejects(decideNotification(t.db, staff.actor('practitioner'), id, { decision: 'caf' }, URL), NotFound)
  })

  test('is listed as overdue the day after it was due, not on the day', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    const id = await sendNotification(t.db, social(), child.id, CONTACT)
    const overdue = async () => (await notificationLists(t.db, staff.la.id)).waiting.find((n) => n.id === id)!.overdue
    await sql`update interface_notifications set decide_by = ${today()}::date where id = ${id}`.execute(t.db)
    assert.equal(await overdue(), false)
    await sql`update interface_notifications set decide_by = ${addDays(today(), -1)}::date where id = ${id}`.execute(t.db)
    assert.equal(await overdue(), true)
  })
})

describe('the forms', () => {
  test('the notification form refuses hostile or missing answers, keeps what was typed, and saves nothing', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    const sc = await staff.signIn(t.app, 'socialCare')
    const d = today()
    const good = {
      'contact-day': String(Number(d.slice(8))),
      'contact-month': String(Number(d.slice(5, 7))),
      'contact-year': d.slice(0, 4),
      source: '6',
      reported: 'Police attended a noisy argument',
      socialCareAction: 'Checked records: no previous contact',
      familyAware: 'knows',
    }
    const tomorrow = addDays(today(), 1)
    const cases: [Record<string, string>, string][] = [
      [{ ...good, source: '99' }, '#source'],
      [{ ...good, reported: '' }, '#reported'],
      [{ ...good, socialCareAction: 'x'.repeat(5001) }, '#socialCareAction'],
      [{ ...good, familyAware: 'yes' }, '#familyAware'],
      [
        {
          ...good,
          'contact-day': String(Number(tomorrow.slice(8))),
          'contact-month': String(Number(tomorrow.slice(5, 7))),
          'contact-year': tomorrow.slice(0, 4),
        },
        '#contact-day',
      ],
      [{ ...good, 'contact-month': '13' }, '#contact-day'],
      [{ ...good, extra: '1' }, '#main-content'],
    ]
    for (const [body, href] of cases) {
      await sc.get(`/people/${child.id}/notify-early-help`)
      const res = await sc.post(`/people/${child.id}/notify-early-help`, body)
      assert.equal(res.statusCode, 400, href)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
      if (body.reported) assert.match(res.body, /Police attended a noisy argument/)
    }
    assert.equal((await t.db.selectFrom('interface_notifications').select('id').where('child_person_id', '=', child.id).execute()).length, 0)
    await sc.get(`/people/${child.id}/notify-early-help`)
    const sent = await sc.post(`/people/${child.id}/notify-early-help`, good)
    assert.equal(sent.statusCode, 303)
  })

  test('the decision form refuses a missing decision, a signpost without a service, and no further action without a reason', async () => {
    const child = await buildPerson(t.db, social(), { dateOfBirth: '2016-01-01' })
    const id = await sendNotification(t.db, social(), child.id, CONTACT)
    const client = await staff.signIn(t.app, 'coordinator')
    const cases: [Record<string, string>, string][] = [
      [{}, '#decision'],
      [{ decision: 'later' }, '#decision'],
      [{ decision: 'signpost', serviceId: '' }, '#serviceId'],
      [{ decision: 'signpost', serviceId: '999999' }, '#serviceId'],
      [{ decision: 'signpost', serviceId: '1; drop table' }, '#serviceId'],
      [{ decision: 'no-further-action', nfaReason: '   ' }, '#nfaReason'],
    ]
    for (const [body, href] of cases) {
      await client.get(`/notifications/${id}`)
      const res = await client.post(`/notifications/${id}/decision`, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.deepEqual(errorSummaryHrefs(res.body), [href], JSON.stringify(body))
    }
    assert.equal((await row(id)).decision, null)
  })
})
