import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { verifyAuditChain } from '../../src/features/audit/verify.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { actionInWords } from '../../src/features/audit/actions.ts'

let t: TestApp
let admin: Client
let laId: number
let adminId: number
let practitionerId: number
let managerId: number

before(async () => {
  t = await testApp()
  laId = t.staff.la.id
  adminId = t.staff.users.admin.id
  practitionerId = t.staff.users.practitioner.id
  managerId = t.staff.users.manager.id

  // Some ordinary activity: sign-ins (one failed), a refusal, a change and a record viewed.
  admin = await t.staff.signIn(t.app, 'admin')
  const practitioner = await t.staff.signIn(t.app, 'practitioner')
  await practitioner.get('/admin')
  const stranger = new Client(t.app)
  await stranger.get('/sign-in')
  await stranger.post('/sign-in', { email: 'nobody@example.gov.uk', password: 'whatever-it-is' })
  await admin.get('/admin/localities/new')
  await admin.post('/admin/localities/new', { name: 'Audit Ward' })
  await admin.get(`/admin/users/${practitionerId}`)
})
after(() => t.close())

/** Runs work with the append-only trigger (and, if asked, the chaining trigger) switched off, as a database superuser could. */
async function asSuperuser(work: () => Promise<unknown>, triggers = ['audit_events_no_update']) {
  for (const trigger of triggers) await sql`alter table audit_events disable trigger ${sql.id(trigger)}`.execute(t.db)
  try {
    await work()
  } finally {
    for (const trigger of triggers) await sql`alter table audit_events enable trigger ${sql.id(trigger)}`.execute(t.db)
  }
}

/** The council's own chain of events, oldest first. */
async function councilChain() {
  return t.db.selectFrom('audit_events').select(['id', 'action']).where('chain', '=', laId).orderBy('id').execute()
}

describe('the audit chain', () => {
  test('is intact after ordinary activity, across every council chain', async () => {
    const report = await verifyAuditChain(t.db)
    const counts = await t.db
      .selectFrom('audit_events')
      .select([sql<number>`count(*)::int`.as('events'), sql<number>`count(distinct chain)::int`.as('chains')])
      .executeTakeFirstOrThrow()
    assert.deepEqual(report.broken, [])
    assert.equal(report.events, counts.events)
    assert.equal(report.chains, counts.chains)
    assert.ok(report.chains >= 2, 'the council chain and the chain of events with no council')
    assert.ok(report.events >= 6)
    // Small pages walk the same chain.
    assert.deepEqual(await verifyAuditChain(t.db, { pageSize: 2 }), report)
  })

  test('the database refuses UPDATE, DELETE and TRUNCATE on audit_events', async () => {
    const before = await t.db.selectFrom('audit_events').selectAll().orderBy('id').execute()
    await assert.rejects(sql`update audit_events set action = 'nothing.happened'`.execute(t.db), /append-only: UPDATE/)
    await assert.rejects(t.db.deleteFrom('audit_events').where('action', '=', 'sign-in').execute(), /append-only: DELETE/)
    await assert.rejects(sql`truncate audit_events`.execute(t.db), /append-only: TRUNCATE/)
    assert.deepEqual(await t.db.selectFrom('audit_events').selectAll().orderBy('id').execute(), before)
  })

  test('an event altered behind the trigger is reported: exactly that event', async () => {
    const chain = await councilChain()
    const victim = chain[2]!
    assert.ok(chain.length > 4, 'there are events after the altered one')
    const original = await sql<{ detail: string }>`select detail::text as detail from audit_events where id = ${victim.id}`.execute(t.db)
    await asSuperuser(() => sql`update audit_events set detail = '{"covered": "up"}'::jsonb where id = ${victim.id}`.execute(t.db))

    const report = await verifyAuditChain(t.db)
    assert.deepEqual(
      report.broken.map((b) => [b.chain, b.id]),
      [[laId, victim.id]],
    )
    assert.match(report.broken[0]!.reason, /altered/)

    // Putting it back exactly as it was makes the chain whole again.
    await asSuperuser(() => sql`update audit_events set detail = ${original.rows[0]!.detail}::jsonb where id = ${victim.id}`.execute(t.db))
    assert.deepEqual((await verifyAuditChain(t.db)).broken, [])
  })

  test('an event deleted behind the trigger is reported at the event after it', async () => {
    const chain = await councilChain()
    const victim = chain[3]!
    const next = chain[4]!
    await sql`create table audit_events_kept as select * from audit_events where id = ${victim.id}`.execute(t.db)
    try {
      await asSuperuser(() => sql`delete from audit_events where id = ${victim.id}`.execute(t.db))
      const report = await verifyAuditChain(t.db)
      assert.deepEqual(
        report.broken.map((b) => [b.chain, b.id]),
        [[laId, next.id]],
      )
      assert.match(report.broken[0]!.reason, /an event was removed, or the order was changed/)

      await asSuperuser(() => sql`insert into audit_events select * from audit_events_kept`.execute(t.db), ['audit_events_no_update', 'audit_events_link'])
      assert.deepEqual((await verifyAuditChain(t.db)).broken, [])
    } finally {
      await sql`drop table audit_events_kept`.execute(t.db)
    }
  })

  test('the triggers are back on after tampering', async () => {
    await assert.rejects(sql`delete from audit_events`.execute(t.db), /append-only/)
    const before = await t.db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').executeTakeFirstOrThrow()
    await t.db
      .insertInto('audit_events')
      .values({ la_id: laId, action: 'test.chained', detail: '{}', chain: 0, id: 0, prev_hash: 'forged', hash: 'forged' })
      .execute()
    const added = await t.db
      .selectFrom('audit_events')
      .select(['id', 'chain', 'prev_hash', 'hash'])
      .where('action', '=', 'test.chained')
      .executeTakeFirstOrThrow()
    assert.ok(added.id > before.id)
    assert.equal(added.chain, laId, 'the trigger sets the chain, whatever is sent')
    assert.notEqual(added.prev_hash, 'forged')
    assert.deepEqual((await verifyAuditChain(t.db)).broken, [])
  })
})

describe('viewing a user', () => {
  test("writes a 'user.viewed' event naming the record and the viewer", async () => {
    const before = await t.db.selectFrom('audit_events').select('id').where('action', '=', 'user.viewed').execute()
    const res = await admin.get(`/admin/users/${managerId}`)
    assert.equal(res.statusCode, 200)
    const events = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.viewed').orderBy('id').execute()
    assert.equal(events.length, before.length + 1)
    const event = events.at(-1)!
    assert.equal(event.record_type, 'user')
    assert.equal(event.record_id, String(managerId))
    assert.equal(event.actor_user_id, adminId)
    assert.equal(event.la_id, laId)
    assert.ok(event.session_id)
  })

  test('the edit form, which shows the same details, is audited against the same record', async () => {
    const res = await admin.get(`/admin/users/${managerId}/edit`)
    assert.equal(res.statusCode, 200)
    const event = await t.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.viewed').orderBy('id', 'desc').executeTakeFirstOrThrow()
    assert.equal(event.record_id, String(managerId))
    assert.equal(event.detail.route, '/admin/users/:id/edit')
  })
})

describe('searching the audit log', () => {
  const londonToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
  /** [when, who, what happened, record, details, session] for each row found. */
  async function search(query: string) {
    const res = await admin.get(`/admin/audit?${query}`)
    assert.equal(res.statusCode, 200, `${query}: ${res.statusCode}`)
    return tableRows(res.body)
  }

  before(async () => {
    // An event from years ago, for the date filter.
    await t.db.insertInto('audit_events').values({ la_id: laId, action: 'test.long-ago', occurred_at: '2020-05-06T12:00:00Z', detail: '{}' }).execute()
  })

  test('without filters it shows the newest events first, and only this council', async () => {
    const newest = await t.db.selectFrom('audit_events').select('action').where('la_id', '=', laId).orderBy('id', 'desc').limit(5).execute()
    const rows = await search('')
    assert.ok(rows.length >= 5)
    assert.deepEqual(
      rows.slice(0, 5).map((r) => r[2]),
      newest.map((e) => actionInWords(e.action)),
    )
    assert.ok(!rows.some((r) => r[2] === 'Failed to sign in'), 'the failed sign-in with an unknown email belongs to no council and is not shown')
  })

  test('by user', async () => {
    const rows = await search(`userId=${practitionerId}`)
    assert.ok(rows.length >= 2)
    assert.ok(
      rows.every((r) => r[1] === t.staff.users.practitioner.fullName),
      JSON.stringify(rows),
    )
    const actions = rows.map((r) => r[2])
    assert.ok(actions.includes('Signed in'))
    assert.ok(actions.includes('Was refused a page their role does not allow'))
  })

  test('by record type and number', async () => {
    const rows = await search(`recordType=user&recordId=${practitionerId}`)
    assert.ok(rows.length >= 1)
    assert.ok(
      rows.every((r) => r[3] === `User ${practitionerId} (${t.staff.users.practitioner.fullName})`),
      JSON.stringify(rows),
    )
    assert.ok(rows.some((r) => r[2] === 'Viewed a user’s details' && r[1] === t.staff.users.admin.fullName))
    const locality = await t.db.selectFrom('localities').select('id').where('name', '=', 'Audit Ward').executeTakeFirstOrThrow()
    assert.deepEqual(
      (await search(`recordType=locality&recordId=${locality.id}`)).map((r) => r[2]),
      ['Added a locality'],
    )
  })

  test('by date range (calendar days in London, both ends included)', async () => {
    const old = await search('from=2020-05-06&to=2020-05-06')
    assert.deepEqual(
      old.map((r) => r[2]),
      ['test.long-ago'],
    )
    assert.deepEqual(await search('from=2020-05-07&to=2021-01-01'), [])
    const today = await search(`from=${londonToday}&to=${londonToday}`)
    assert.ok(today.length > 0)
    assert.ok(!today.some((r) => r[2] === 'test.long-ago'))
    assert.ok(today.some((r) => r[2] === 'Signed in'))
    const since = await search('from=2020-01-01')
    assert.ok(since.some((r) => r[2] === 'test.long-ago') && since.some((r) => r[2] === 'Signed in'))
  })

  test('a date that is not a real date, or a range that ends before it starts, gets 400 and the error summary', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30', '#from'],
      ['to=yesterday', '#to'],
      ['from=06/05/2020', '#from'],
      ['from=2026-03-01&to=2026-02-01', '#to'],
      ['userId=abc', '#userId'],
      ['from=2026-01-01&from=2026-01-02', '#from'],
    ]
    for (const [query, href] of cases) {
      const res = await admin.get(`/admin/audit?${query}`)
      assert.equal(res.statusCode, 400, query)
      assert.match(res.body, /class="govuk-error-summary"/, query)
      assert.deepEqual(errorSummaryHrefs(res.body), [href], query)
      assert.deepEqual(tableRows(res.body), [], 'no results with a refused search')
    }
    const bad = await admin.get('/admin/audit?from=2026-02-30')
    assert.match(bad.body, /<input[^>]*id="from"[^>]*value="2026-02-30"/, 'what was typed is kept')
    assert.match(textOf(bad.body), /Start date must be a real date/)
  })
})
