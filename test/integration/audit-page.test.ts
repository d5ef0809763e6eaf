import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildCouncil } from '../helpers/factories.ts'
import { tableRows } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'

/**
 * Issue 15 item 9: the administrators' audit log showed raw JSON and told them to run a command to
 * check it. It now reads in words, and the check that nobody has altered it runs from the page.
 */

let t: TestApp
let admin: Client

before(async () => {
  t = await testApp()
  admin = await t.staff.signIn(t.app, 'admin')
})
after(() => t?.close())

/** [when, who, what happened, record, details, session] of the newest events. */
async function newest() {
  const res = await admin.get('/admin/audit')
  assert.equal(res.statusCode, 200)
  return { rows: tableRows(res.body), body: res.body }
}

test('events read in words: what happened, the record, and what changed', async () => {
  const form = await admin.get('/admin/caf-settings')
  const saved = await admin.post('/admin/caf-settings', {
    ...formFields(form.body, '/admin/caf-settings'),
    scoreMin: '0',
    safeguardingContact: 'Front door: 01632 960 100',
  })
  assert.equal(saved.statusCode, 303)
  const practitioner = t.staff.users.practitioner
  await admin.get(`/admin/users/${practitioner.id}`)

  const { rows, body } = await newest()
  const [viewed, changed] = rows
  assert.deepEqual(viewed!.slice(1, 4), [t.staff.users.admin.fullName, 'Viewed a user’s details', `User ${practitioner.id} (${practitioner.fullName})`])
  assert.deepEqual(changed!.slice(2, 4), ['Changed the CAF settings', `CAF settings ${t.staff.la.id}`])
  assert.match(changed![4]!, /Lowest score changed from 1 to 0/)
  assert.match(changed![4]!, /Safeguarding contact details changed/)
  assert.doesNotMatch(changed![4]!, /01632/, 'the contact details themselves are not in the log')
  const table = /<table[\s\S]*?<\/table>/.exec(body)![0]
  assert.doesNotMatch(textOf(table), /[{}"]|scoreMin|caf-settings\.updated/, 'no JSON and no codes in the table')
  assert.doesNotMatch(textOf(body), /npm run/, 'no command line for administrators')
})

test('the action and record type are chosen from lists in words', async () => {
  const res = await admin.get('/admin/audit?action=user.viewed&recordType=user')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /<option value="user\.viewed" selected>Viewed a user’s details<\/option>/)
  assert.match(res.body, /<option value="user" selected>User<\/option>/)
  assert.ok(
    tableRows(res.body).every((r) => r[2] === 'Viewed a user’s details'),
    'only the chosen action',
  )
})

test('the administrator checks from the page that the log has not been changed, for their council only', async () => {
  const { n } = await t.db
    .selectFrom('audit_events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('chain', '=', t.staff.la.id)
    .executeTakeFirstOrThrow()
  const res = await admin.get('/admin/audit/check')
  assert.equal(res.statusCode, 200)
  assert.match(
    textOf(res.body),
    new RegExp(`The audit log has not been changed\\s+All ${n.toLocaleString('en-GB')} events in ${t.staff.la.name}’s log were checked`),
  )

  const audited = await t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id'])
    .where('la_id', '=', t.staff.la.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  assert.deepEqual(audited, { action: 'audit.checked', actor_user_id: t.staff.users.admin.id })

  const other = await buildCouncil(t.db)
  await t.db.insertInto('audit_events').values({ la_id: other.la.id, action: 'locality.created', detail: '{}' }).execute()
  await tamper(other.la.id, async () => {
    const again = await admin.get('/admin/audit/check')
    assert.match(textOf(again.body), /The audit log has not been changed/, "another council's log is not this council's")
  })
})

test('an event altered behind the database is named, with when it happened, in words', async () => {
  await tamper(t.staff.la.id, async (altered) => {
    const res = await admin.get('/admin/audit/check')
    assert.equal(res.statusCode, 200)
    const shown = textOf(res.body)
    assert.match(shown, /The audit log has been changed/)
    assert.match(
      shown,
      new RegExp(
        `Event ${altered.id}, recorded on \\d{1,2} \\w+ \\d{4} at \\d{1,2}:\\d{2}(am|pm), does not match its digest: its contents were altered after it was written`,
      ),
    )
    assert.match(res.headers['cache-control'] ?? '', /no-store/)
  })
  assert.match(textOf((await admin.get('/admin/audit/check')).body), /The audit log has not been changed/, 'put back, the log checks again')
})

test('only those who may read the audit log may check it', async () => {
  const practitioner = await t.staff.signIn(t.app, 'practitioner')
  const res = await practitioner.get('/admin/audit/check')
  assert.equal(res.statusCode, 403)
  assert.doesNotMatch(textOf(res.body), /audit log has/)
})

/** Alters the oldest event of a chain as a database superuser could (behind the triggers), runs `check`, and puts it back. */
async function tamper(chain: number, check: (altered: { id: number }) => Promise<void>) {
  const event = await t.db.selectFrom('audit_events').select(['id', 'action']).where('chain', '=', chain).orderBy('id').executeTakeFirstOrThrow()
  await sql`alter table audit_events disable trigger audit_events_no_update`.execute(t.db)
  try {
    await t.db.updateTable('audit_events').set({ action: 'tampered' }).where('id', '=', event.id).execute()
    await check(event)
  } finally {
    await t.db.updateTable('audit_events').set({ action: event.action }).where('id', '=', event.id).execute()
    await sql`alter table audit_events enable trigger audit_events_no_update`.execute(t.db)
  }
}
