import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { AGENCY_TYPES } from '../../src/features/admin/agencies/agency-types.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, setPasswordLink, tableRows } from '../helpers/html.ts'
import { buildStaff } from '../helpers/staff.ts'

let t: TestApp
let admin: Client
let adminId: number
let hubAgencyId: number

before(async () => {
  t = await testApp()
  admin = await t.staff.signIn(t.app, 'admin')
  adminId = t.staff.users.admin.id
  hubAgencyId = t.staff.agencies.hub.id
  // The council's child population figures so far.
  await t.db
    .insertInto('child_population')
    .values([
      { la_id: t.staff.la.id, year: 2024, population: 52_340 },
      { la_id: t.staff.la.id, year: 2025, population: 52_910 },
    ])
    .execute()
})
after(() => t.close())

/** The audit events the administrator has written with this action, newest last (only those of this record, if given). */
function auditedByAdmin(action: string, recordId?: number | string) {
  let query = t.db
    .selectFrom('audit_events')
    .select(['record_type', 'record_id', 'detail', 'session_id'])
    .where('action', '=', action)
    .where('actor_user_id', '=', adminId)
  if (recordId !== undefined) query = query.where('record_id', '=', String(recordId))
  return query.orderBy('id').execute()
}

/** A user the administrator adds through the form (a practitioner and coordinator at the hub), with the set-password link emailed to them. */
async function addUser(fullName: string, email: string) {
  await admin.get('/admin/users/new')
  const res = await admin.post('/admin/users/new', {
    fullName,
    email,
    jobTitle: 'Family support worker',
    phone: '',
    agencyId: String(hubAgencyId),
    roles: ['practitioner', 'coordinator'],
  })
  assert.equal(res.statusCode, 303, `adding ${fullName}: ${errorSummaryText(res.body)}`)
  const address = email.toLowerCase()
  const user = await t.db.selectFrom('users').select('id').where('email', '=', address).executeTakeFirstOrThrow()
  const mail = await t.db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', address).orderBy('id').executeTakeFirstOrThrow()
  return { id: user.id, email: address, link: setPasswordLink(mail.body_text) }
}

/** The new user follows the emailed link and sets their password. */
async function setPasswordBy(link: ReturnType<typeof setPasswordLink>, password: string) {
  const visitor = new Client(t.app)
  await visitor.get(link.path)
  const res = await visitor.post(link.path, { newPassword: password, confirmPassword: password })
  assert.equal(res.statusCode, 200)
  assert.match(textOf(res.body), /Your password has been set/)
}

describe('localities', () => {
  test('an administrator adds a locality, then renames it; a stale second rename is refused with both versions shown', async () => {
    await admin.get('/admin/localities/new')
    const created = await admin.post('/admin/localities/new', { name: 'Harbour Ward' })
    assert.equal(created.statusCode, 303)
    const row = await t.db.selectFrom('localities').select(['id', 'version']).where('name', '=', 'Harbour Ward').executeTakeFirstOrThrow()
    assert.ok(tableRows((await admin.get('/admin/localities')).body).some((r) => r[0] === 'Harbour Ward'))
    const createdEvents = await auditedByAdmin('locality.created', row.id)
    assert.deepEqual(
      createdEvents.map((e) => [e.record_type, e.record_id]),
      [['locality', String(row.id)]],
    )

    // Two people open the rename form at the same version.
    const first = await t.staff.signIn(t.app, 'admin')
    const firstForm = await first.get(`/admin/localities/${row.id}/edit`)
    const secondForm = await admin.get(`/admin/localities/${row.id}/edit`)
    for (const form of [firstForm, secondForm]) {
      assert.equal(form.statusCode, 200)
      assert.match(form.body, new RegExp(`name="version" value="${row.version}"`))
      assert.match(form.body, /value="Harbour Ward"/)
    }
    const renamed = await first.post(`/admin/localities/${row.id}/edit`, { name: 'Harbour and Docks', version: String(row.version) })
    assert.equal(renamed.statusCode, 303)

    const stale = await admin.post(`/admin/localities/${row.id}/edit`, { name: 'Harbour Quarter', version: String(row.version) })
    assert.equal(stale.statusCode, 409)
    assert.match(errorSummaryText(stale.body), /Someone else changed this while you were editing it/)
    assert.match(stale.body, /<input[^>]*id="name"[^>]*value="Harbour Quarter"/, 'my version stays in the form')
    assert.match(textOf(stale.body), /The version saved by someone else Name Harbour and Docks/, 'their version is shown')
    assert.match(stale.body, new RegExp(`name="version" value="${row.version + 1}"`), 'saving again would be against their version')
    const saved = await t.db.selectFrom('localities').select(['name', 'version']).where('id', '=', row.id).executeTakeFirstOrThrow()
    assert.deepEqual(saved, { name: 'Harbour and Docks', version: row.version + 1 })

    const renames = await auditedByAdmin('locality.renamed', row.id)
    assert.equal(renames.length, 1, 'only the saved rename is audited')
    assert.deepEqual(renames[0]?.detail, { from: 'Harbour Ward', to: 'Harbour and Docks' })
  })

  test('a second locality with the same name (in any case) is refused with a field error', async () => {
    await admin.get('/admin/localities/new')
    assert.equal((await admin.post('/admin/localities/new', { name: 'Lighthouse and Quay' })).statusCode, 303)
    await admin.get('/admin/localities/new')
    const res = await admin.post('/admin/localities/new', { name: 'lighthouse AND quay' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#name'])
    assert.match(errorSummaryText(res.body), /There is already a locality with this name/)
    assert.equal((await t.db.selectFrom('localities').select('id').where('name', 'ilike', 'lighthouse and quay').execute()).length, 1, 'no second one')
  })
})

describe('agencies', () => {
  test('AGENCY_TYPES in the code and the agency_types table agree exactly, in the same order', async () => {
    const table = await t.db.selectFrom('agency_types').select(['code', 'label']).orderBy('sort_order').execute()
    assert.deepEqual(
      table,
      AGENCY_TYPES.map((a) => ({ code: a.code, label: a.label })),
    )
  })

  test('the agency form offers exactly the fixed types, and an agency is created with one of them', async () => {
    const form = await admin.get('/admin/agencies/new')
    const select = /<select[^>]*id="agencyType"[\s\S]*?<\/select>/.exec(form.body)?.[0] ?? ''
    const offered = [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter((v) => v !== '')
    assert.deepEqual(
      offered,
      AGENCY_TYPES.map((a) => a.code),
    )

    const locality = t.staff.locality
    const res = await admin.post('/admin/agencies/new', {
      name: 'Seaview Youth Justice Team',
      agencyType: 'youth_justice',
      localityId: String(locality.id),
      email: 'Seaview.YJ@example.gov.uk',
      phone: '01632 960 555',
      active: 'yes',
    })
    assert.equal(res.statusCode, 303)
    const agency = await t.db.selectFrom('agencies').selectAll().where('name', '=', 'Seaview Youth Justice Team').executeTakeFirstOrThrow()
    assert.equal(agency.agency_type, 'youth_justice')
    assert.equal(agency.locality_id, locality.id)
    assert.equal(agency.email, 'seaview.yj@example.gov.uk')
    const row = tableRows((await admin.get('/admin/agencies')).body).find((r) => r[0] === 'Seaview Youth Justice Team')
    assert.deepEqual(row?.slice(0, 4), ['Seaview Youth Justice Team', 'Youth justice service', locality.name, 'Active'])
    assert.equal((await auditedByAdmin('agency.created', agency.id)).length, 1)
  })
})

describe('users', () => {
  const NEW_PASSWORD = 'lighthouse kettle marmalade'

  test('an administrator adds a user; an email with a one-time link to set a password is queued for them', async () => {
    await admin.get('/admin/users/new')
    const res = await admin.post('/admin/users/new', {
      fullName: 'Imogen Fairweather',
      email: 'Imogen.Fairweather@example.gov.uk',
      jobTitle: 'Family support worker',
      phone: '',
      agencyId: String(hubAgencyId),
      roles: ['practitioner', 'coordinator'],
    })
    assert.equal(res.statusCode, 303)
    const user = await t.db.selectFrom('users').selectAll().where('email', '=', 'imogen.fairweather@example.gov.uk').executeTakeFirstOrThrow()
    assert.equal(res.headers.location, `/admin/users/${user.id}?done=created`)
    assert.deepEqual(user.roles, ['practitioner', 'coordinator'])
    assert.equal(user.password_hash, null)
    const page = await admin.get(String(res.headers.location))
    assert.match(textOf(page.body), /The account has been created and a link to set a password has been sent/)

    const mail = await t.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'imogen.fairweather@example.gov.uk').execute()
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.status, 'pending')
    assert.match(mail[0]!.subject, /set your password/)
    assert.match(mail[0]!.body_text, /Dear Imogen Fairweather/)
    const link = setPasswordLink(mail[0]!.body_text)
    assert.equal(link.url, `${t.services.config.baseUrl}/set-password/${link.token}`)

    const events = await auditedByAdmin('user.created', user.id)
    assert.equal(events.length, 1)
    const [event] = events
    assert.ok(event?.session_id)
    assert.ok(!JSON.stringify(event?.detail).includes('Imogen'), 'the audit detail holds no name')
  })

  test('the link sets a password once; after that it shows "expired or has already been used"', async () => {
    const { link } = await addUser('Rowena Pike', 'rowena.pike@example.gov.uk')
    const visitor = new Client(t.app)
    const form = await visitor.get(link.path)
    assert.equal(form.statusCode, 200)
    assert.match(textOf(form.body), /Set your password/)
    const set = await visitor.post(link.path, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    assert.equal(set.statusCode, 200)
    assert.match(textOf(set.body), /Your password has been set/)

    const again = await visitor.get(link.path)
    assert.equal(again.statusCode, 404)
    assert.match(textOf(again.body), /This link has expired or has already been used/)
    const replay = await visitor.post(
      link.path,
      { newPassword: 'another passphrase here', confirmPassword: 'another passphrase here' },
      { csrf: visitor.csrf(form.body) },
    )
    assert.equal(replay.statusCode, 404)
  })

  test('the new user signs in with the password they set', async () => {
    const user = await addUser('Cressida Vane', 'cressida.vane@example.gov.uk')
    await setPasswordBy(user.link, NEW_PASSWORD)
    const c = new Client(t.app)
    await c.signIn(user.email, NEW_PASSWORD)
    assert.match(textOf((await c.get('/account')).body), /Name Cressida Vane/)
  })

  test('an email address already in use (in any case) is refused with a field error', async () => {
    await addUser('Florence Ashdown', 'Florence.Ashdown@example.gov.uk')
    await admin.get('/admin/users/new')
    const before = await t.db.selectFrom('users').select('id').execute()
    const res = await admin.post('/admin/users/new', {
      fullName: 'Another Florence',
      email: 'FLORENCE.ashdown@example.gov.uk',
      jobTitle: '',
      phone: '',
      agencyId: String(hubAgencyId),
      roles: 'practitioner',
    })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#email'])
    assert.match(errorSummaryText(res.body), /There is already an account with this email address/)
    assert.match(res.body, /<input[^>]*id="fullName"[^>]*value="Another Florence"/)
    assert.equal((await t.db.selectFrom('users').select('id').execute()).length, before.length)
  })

  test('a manager can be given a locality to manage; anyone else, or another council’s locality, is refused with a field error', async () => {
    const other = await buildStaff(t.db)
    const base = { fullName: 'Lena Marsh', email: 'lena.marsh@example.gov.uk', jobTitle: '', phone: '', agencyId: String(hubAgencyId) }
    const refusals: [Record<string, string | string[]>, RegExp][] = [
      [{ roles: 'practitioner', managesLocalityId: String(t.staff.locality.id) }, /Only a manager can manage a locality/],
      [{ roles: 'manager', managesLocalityId: String(other.locality.id) }, /Select a locality from the list, or None/],
      [{ roles: 'manager', managesLocalityId: 'north' }, /Select a locality from the list, or None/],
    ]
    for (const [change, message] of refusals) {
      await admin.get('/admin/users/new')
      const res = await admin.post('/admin/users/new', { ...base, ...change })
      assert.equal(res.statusCode, 400, JSON.stringify(change))
      assert.deepEqual(errorSummaryHrefs(res.body), ['#managesLocalityId'])
      assert.match(errorSummaryText(res.body), message)
    }
    assert.equal(await t.db.selectFrom('users').select('id').where('email', '=', base.email).executeTakeFirst(), undefined, 'nobody added')
    await admin.get('/admin/users/new')
    const made = await admin.post('/admin/users/new', { ...base, roles: 'manager', managesLocalityId: String(t.staff.locality.id) })
    assert.equal(made.statusCode, 303, errorSummaryText(made.body))
    assert.match(textOf((await admin.get(String(made.headers.location))).body), new RegExp(`Manages the locality ${t.staff.locality.name}`))
  })

  test('an administrator unlocks a locked account', async () => {
    const user = await addUser('Percival Thorne', 'percival.thorne@example.gov.uk')
    await setPasswordBy(user.link, NEW_PASSWORD)
    const newUserId = user.id
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 3600_000), failed_sign_ins: 0 })
      .where('id', '=', newUserId)
      .execute()
    const page = await admin.get(`/admin/users/${newUserId}`)
    assert.match(textOf(page.body), /Locked until/)
    const res = await admin.post(`/admin/users/${newUserId}/unlock`, {})
    assert.equal(res.statusCode, 303)
    assert.equal((await t.db.selectFrom('users').select('locked_until').where('id', '=', newUserId).executeTakeFirstOrThrow()).locked_until, null)
    assert.match(textOf((await admin.get(String(res.headers.location))).body), /The account has been unlocked/)
    const c = new Client(t.app)
    await c.signIn(user.email, NEW_PASSWORD)
    assert.equal((await auditedByAdmin('user.unlocked')).at(-1)?.record_id, String(newUserId))
  })

  test('an administrator sends a new link: a new email, and only the newest link works', async () => {
    const { id: newUserId, email, link } = await addUser('Ottilie Brandt', 'ottilie.brandt@example.gov.uk')
    const oldLinks = await t.db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', email).execute()
    await admin.get(`/admin/users/${newUserId}`)
    const res = await admin.post(`/admin/users/${newUserId}/send-link`, {})
    assert.equal(res.statusCode, 303)
    const mail = await t.db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('to_address', '=', email).orderBy('id').execute()
    assert.equal(mail.length, oldLinks.length + 1)
    assert.match(mail.at(-1)!.subject, /Reset your CAF Hub password/)
    const earlier = setPasswordLink(mail.at(-1)!.body_text)
    assert.notEqual(earlier.token, link.token)
    const visitor = new Client(t.app)
    assert.equal((await visitor.get(earlier.path)).statusCode, 200)

    await admin.get(`/admin/users/${newUserId}`)
    await admin.post(`/admin/users/${newUserId}/send-link`, {})
    const newest = setPasswordLink((await t.db.selectFrom('mail_outbox').select('body_text').orderBy('id', 'desc').executeTakeFirstOrThrow()).body_text)
    assert.notEqual(newest.token, earlier.token)
    assert.equal((await visitor.get(earlier.path)).statusCode, 404, 'the earlier, unused link stops working')
    assert.equal((await visitor.get(newest.path)).statusCode, 200)
    assert.equal((await auditedByAdmin('user.password-link-sent')).at(-1)?.record_id, String(newUserId))
  })

  test('an administrator cannot disable their own account', async () => {
    const own = await admin.get(`/admin/users/${adminId}`)
    assert.doesNotMatch(own.body, /\/disable"/, 'the page does not offer it')
    const res = await admin.post(`/admin/users/${adminId}/disable`, {})
    assert.equal(res.statusCode, 400)
    assert.match(textOf(res.body), /You cannot do this to your own account/)
    assert.equal((await t.db.selectFrom('users').select('disabled_at').where('id', '=', adminId).executeTakeFirstOrThrow()).disabled_at, null)
    assert.equal((await admin.get('/admin')).statusCode, 200, 'still signed in')
    assert.equal((await auditedByAdmin('user.disabled')).length, 0)
  })

  test('an administrator cannot remove their own administrator role (nor change their roles at all)', async () => {
    const form = await admin.get(`/admin/users/${adminId}/edit`)
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1]
    assert.ok(version)
    // Everything as it is but the roles.
    const own = await t.db
      .selectFrom('users')
      .select(['full_name', 'email', 'job_title', 'phone', 'agency_id'])
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow()
    const res = await admin.post(`/admin/users/${adminId}/edit`, {
      fullName: own.full_name,
      email: own.email,
      jobTitle: own.job_title ?? '',
      phone: own.phone ?? '',
      agencyId: String(own.agency_id),
      roles: 'practitioner',
      version,
    })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#roles'])
    assert.deepEqual((await t.db.selectFrom('users').select('roles').where('id', '=', adminId).executeTakeFirstOrThrow()).roles, ['administrator'])
  })
})

describe('roles', () => {
  /** The edit form of a user, posted with these roles and everything else as it is. */
  async function saveRoles(client: Client, id: number, roles: string[]) {
    const form = await client.get(`/admin/users/${id}/edit`)
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.body)?.[1] ?? ''
    const user = await t.db.selectFrom('users').select(['agency_id']).where('id', '=', id).executeTakeFirstOrThrow()
    return client.post(`/admin/users/${id}/edit`, {
      fullName: value('fullName'),
      email: value('email'),
      jobTitle: value('jobTitle'),
      phone: value('phone'),
      agencyId: String(user.agency_id),
      roles,
      version: value('version'),
    })
  }

  test('nobody may change their own roles: an administrator cannot make itself a coordinator and so read the register', async () => {
    const res = await saveRoles(admin, adminId, ['administrator', 'coordinator'])
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#roles'])
    assert.match(errorSummaryText(res.body), /You cannot change your own roles/)
    assert.deepEqual((await t.db.selectFrom('users').select('roles').where('id', '=', adminId).executeTakeFirstOrThrow()).roles, ['administrator'])
    assert.equal((await admin.get('/people')).statusCode, 403, 'still no access to the register')
  })

  test("a role change is audited with what it was and is, and emailed to the council's other administrators", async () => {
    const { la_id: laId } = await t.db.selectFrom('users').select('la_id').where('id', '=', adminId).executeTakeFirstOrThrow()
    const other = await buildUser(t.db, { laId, agencyId: hubAgencyId, roles: ['administrator'] })
    const target = await buildUser(t.db, { laId, agencyId: hubAgencyId, roles: ['practitioner'] })
    const res = await saveRoles(admin, target.id, ['practitioner', 'coordinator'])
    assert.equal(res.statusCode, 303)
    const [event] = (await auditedByAdmin('user.roles-changed')).filter((e) => e.record_id === String(target.id))
    assert.deepEqual((event?.detail as { from: string[]; to: string[] }) ?? null, { from: ['practitioner'], to: ['practitioner', 'coordinator'] })
    const mail = await t.db.selectFrom('mail_outbox').select(['to_address', 'subject', 'body_text']).where('subject', 'like', 'Roles changed%').execute()
    assert.ok(
      mail.some((m) => m.to_address === other.email),
      'the other administrator is told',
    )
    assert.ok(!mail.some((m) => m.to_address === t.staff.users.admin.email), 'not the administrator who made the change')
    const told = mail.find((m) => m.to_address === other.email)!
    assert.match(told.body_text, new RegExp(`${target.full_name}`))
    assert.match(told.body_text, /CAF coordinator \(the hub\)/)
  })
})

describe('child population', () => {
  test("a year's figure shows in the table, and a second entry for the same year corrects it", async () => {
    await admin.get('/admin/population')
    const first = await admin.post('/admin/population', { year: '2026', population: '53,120' })
    assert.equal(first.statusCode, 303)
    let rows = tableRows((await admin.get('/admin/population')).body)
    assert.deepEqual(
      rows.filter((r) => r[0] === '2026').map((r) => r[1]),
      ['53,120'],
    )
    const corrected = await admin.post('/admin/population', { year: '2026', population: '53210' })
    assert.equal(corrected.statusCode, 303)
    const page = await admin.get(String(corrected.headers.location))
    assert.match(textOf(page.body), /Child population saved/)
    rows = tableRows(page.body)
    assert.deepEqual(
      rows.filter((r) => r[0] === '2026').map((r) => r[1]),
      ['53,210'],
    )
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['2026', '2025', '2024'],
      'one row per year, newest first',
    )
    const events = await auditedByAdmin('population.set', 2026)
    assert.deepEqual(
      events.map((e) => [e.record_id, e.detail]),
      [
        ['2026', { from: null, to: 53_120, targetFrom: null, targetTo: null }],
        ['2026', { from: 53_120, to: 53_210, targetFrom: null, targetTo: null }],
      ],
    )
  })
})

describe('the audit trail of administration', () => {
  test('each kind of change tested above is recorded with the acting administrator and their session', async () => {
    // One change of each kind, made here so that this test stands on its own.
    const saved = (res: { statusCode: number; body: string }, what: string) => assert.equal(res.statusCode, 303, `${what}: ${errorSummaryText(res.body)}`)
    await admin.get('/admin/localities/new')
    saved(await admin.post('/admin/localities/new', { name: 'Mill Lane' }), 'adding a locality')
    const locality = await t.db.selectFrom('localities').select(['id', 'version']).where('name', '=', 'Mill Lane').executeTakeFirstOrThrow()
    await admin.get(`/admin/localities/${locality.id}/edit`)
    saved(await admin.post(`/admin/localities/${locality.id}/edit`, { name: 'Mill Lane and Weir', version: String(locality.version) }), 'renaming it')
    await admin.get('/admin/agencies/new')
    saved(
      await admin.post('/admin/agencies/new', { name: 'Mill Lane Food Bank', agencyType: 'voluntary', localityId: '', email: '', phone: '', active: 'yes' }),
      'adding an agency',
    )
    const user = await addUser('Barnaby Quill', 'barnaby.quill@example.gov.uk')
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() + 3600_000) })
      .where('id', '=', user.id)
      .execute()
    await admin.get(`/admin/users/${user.id}`)
    saved(await admin.post(`/admin/users/${user.id}/unlock`, {}), 'unlocking the account')
    await admin.get(`/admin/users/${user.id}`)
    saved(await admin.post(`/admin/users/${user.id}/send-link`, {}), 'sending a new link')
    await admin.get('/admin/population')
    saved(await admin.post('/admin/population', { year: '2024', population: '52,400' }), 'correcting a population figure')

    const actions = ['locality.created', 'locality.renamed', 'agency.created', 'user.created', 'user.unlocked', 'user.password-link-sent', 'population.set']
    const events = await t.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'session_id', 'la_id']).where('action', 'in', actions).execute()
    assert.deepEqual([...new Set(events.map((e) => e.action))].sort(), [...actions].sort())
    for (const e of events) {
      assert.equal(e.actor_user_id, adminId, e.action)
      assert.equal(e.la_id, t.staff.la.id, e.action)
      assert.match(e.session_id ?? '', /^[0-9a-f]{64}$/, e.action)
    }
  })
})

describe('the target per 10,000 children', () => {
  test('the target per 10,000 children is kept with the year, to one decimal place; a bad one is refused and nothing changes', async () => {
    await admin.get('/admin/population')
    const saved = await admin.post('/admin/population', { year: '2030', population: '40000', target: '58.9' })
    assert.equal(saved.statusCode, 303)
    const row = tableRows((await admin.get('/admin/population')).body).find((r) => r[0] === '2030')
    assert.deepEqual(row?.slice(0, 3), ['2030', '40,000', '58.9'])
    for (const target of ['lots', '58.95', '-1', '10001']) {
      const refused = await admin.post('/admin/population', { year: '2030', population: '41000', target })
      assert.equal(refused.statusCode, 400, target)
      assert.deepEqual(errorSummaryHrefs(refused.body), ['#target'], target)
    }
    const after = tableRows((await admin.get('/admin/population')).body).find((r) => r[0] === '2030')
    assert.deepEqual(after?.slice(0, 3), ['2030', '40,000', '58.9'], 'nothing changed')
  })
})
