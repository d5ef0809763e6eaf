import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildCouncil, buildUser } from '../helpers/factories.ts'
import { tableRows } from '../helpers/html.ts'

let t: TestApp
/** Northvale's administrator, and the administrator of the test's own (home) council. */
let other: Client
let home: Client
let northvale: Awaited<ReturnType<typeof buildCouncil>>
let northvaleAdmin: Awaited<ReturnType<typeof buildUser>>
let northvaleWorker: Awaited<ReturnType<typeof buildUser>>
let homeIds: { adminId: number; practitionerId: number; agencyId: number; localityId: number }
/** What of the home council another council must never see: its name, people, agencies, a locality and email addresses. */
let HOME_NAMES: string[]

const NORTHVALE_NAMES = ['Northvale Council', 'Northvale Locality Xq', 'Northvale Agency Xq', 'Winifred Northvale-Admin', 'Bartholomew Northvale-Worker']

function assertNoneOf(html: string, names: readonly string[], where: string) {
  for (const name of names) assert.ok(!html.includes(name), `${where} shows "${name}"`)
}

/** Everything an edit could change, to compare before and after. */
async function snapshot() {
  const [localities, agencies, users, population, outbox] = await Promise.all([
    t.db.selectFrom('localities').selectAll().orderBy('id').execute(),
    t.db.selectFrom('agencies').selectAll().orderBy('id').execute(),
    t.db.selectFrom('users').selectAll().orderBy('id').execute(),
    t.db.selectFrom('child_population').selectAll().orderBy('la_id').orderBy('year').execute(),
    t.db.selectFrom('mail_outbox').select('id').orderBy('id').execute(),
  ])
  return JSON.stringify({ localities, agencies, users, population, outbox })
}

before(async () => {
  t = await testApp()
  northvale = await buildCouncil(t.db, 'Northvale Council')
  await t.db.updateTable('localities').set({ name: 'Northvale Locality Xq' }).where('id', '=', northvale.locality.id).execute()
  await t.db.updateTable('agencies').set({ name: 'Northvale Agency Xq' }).where('id', '=', northvale.agency.id).execute()
  await t.db.insertInto('child_population').values({ la_id: northvale.la.id, year: 2025, population: 31_337 }).execute()
  northvaleAdmin = await buildUser(t.db, { laId: northvale.la.id, agencyId: northvale.agency.id, roles: ['administrator'], name: 'Winifred Northvale-Admin' })
  northvaleWorker = await buildUser(t.db, {
    laId: northvale.la.id,
    agencyId: northvale.agency.id,
    roles: ['practitioner'],
    name: 'Bartholomew Northvale-Worker',
  })

  const { staff } = t
  await t.db
    .insertInto('child_population')
    .values([
      { la_id: staff.la.id, year: 2024, population: 52_340 },
      { la_id: staff.la.id, year: 2025, population: 52_910 },
    ])
    .execute()
  HOME_NAMES = [
    staff.la.name,
    staff.locality.name,
    staff.users.admin.fullName,
    staff.users.practitioner.fullName,
    staff.agencies.school.name,
    staff.agencies.secondary.name,
    'Quayside Ward',
    staff.users.admin.email,
    staff.users.practitioner.email,
  ]

  other = new Client(t.app)
  await other.signIn(northvaleAdmin.email, northvaleAdmin.password)
  home = await staff.signIn(t.app, 'admin')
  // The home administrator adds a locality and looks at the practitioner's account: audit events of the home council only.
  await home.get('/admin/localities/new')
  assert.equal((await home.post('/admin/localities/new', { name: 'Quayside Ward' })).statusCode, 303)
  const locality = await t.db.selectFrom('localities').select('id').where('name', '=', 'Quayside Ward').executeTakeFirstOrThrow()
  assert.equal((await home.get(`/admin/users/${staff.users.practitioner.id}`)).statusCode, 200)
  homeIds = { adminId: staff.users.admin.id, practitionerId: staff.users.practitioner.id, agencyId: staff.agencies.school.id, localityId: locality.id }
})
after(() => t.close())

describe("another council's administrator", () => {
  test('sees only their own council in every list', async () => {
    for (const url of [
      '/',
      '/admin',
      '/admin/users',
      '/admin/agencies',
      '/admin/localities',
      '/admin/population',
      '/admin/audit',
      '/admin/users/new',
      '/admin/agencies/new',
    ]) {
      const res = await other.get(url)
      assert.equal(res.statusCode, 200, url)
      assertNoneOf(res.body, HOME_NAMES, url)
    }
    // Their own records are there, so the lists are not simply empty.
    assert.match(
      textOf((await other.get('/admin/users')).body),
      /Winifred Northvale-Admin.*Bartholomew Northvale-Worker|Bartholomew Northvale-Worker.*Winifred Northvale-Admin/,
    )
    assert.match(textOf((await other.get('/admin/agencies')).body), /Northvale Agency Xq/)
    assert.match(textOf((await other.get('/admin/localities')).body), /Northvale Locality Xq/)
    const population = textOf((await other.get('/admin/population')).body)
    assert.match(population, /31,337/)
    assert.doesNotMatch(population, /52,340|52,910/)
  })

  test("sees none of the home council's audit events, even when searching for its users and records", async () => {
    const all = await other.get('/admin/audit')
    assert.ok(!tableRows(all.body).some((r) => r[2] === 'Added a locality'), 'no home council locality in the table')
    for (const query of [`userId=${homeIds.adminId}`, `recordType=user&recordId=${homeIds.practitionerId}`, 'action=locality.created']) {
      // Each search finds events in the home council's own log...
      assert.match(textOf((await home.get(`/admin/audit?${query}`)).body), /Events, newest first/, `the home council's ${query}`)
      // ...and none in another council's.
      const res = await other.get(`/admin/audit?${query}`)
      assert.equal(res.statusCode, 200, query)
      assert.match(textOf(res.body), /No events match your search/, query)
      assertNoneOf(res.body, HOME_NAMES, query)
    }
  })

  test("cannot open the home council's records: 404, and nothing of them on the page", async () => {
    const urls = [
      `/admin/users/${homeIds.adminId}`,
      `/admin/users/${homeIds.practitionerId}`,
      `/admin/users/${homeIds.practitionerId}/edit`,
      `/admin/agencies/${homeIds.agencyId}/edit`,
      `/admin/localities/${homeIds.localityId}/edit`,
    ]
    for (const url of urls) {
      const res = await other.get(url)
      assert.equal(res.statusCode, 404, url)
      assert.match(textOf(res.body), /Page not found/, url)
      assertNoneOf(res.body, HOME_NAMES, url)
    }
    const viewed = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'user.viewed')
      .where('actor_user_id', '=', northvaleAdmin.id)
      .execute()
    assert.equal(viewed.length, 0, 'a refused view is not recorded as a view')
  })

  test("cannot change the home council's records: 404, and nothing changes in the database", async () => {
    const before = await snapshot()
    await other.get('/admin/users/new')
    const token = other.csrf()
    const posts: [string, Record<string, string | string[]>][] = [
      [`/admin/localities/${homeIds.localityId}/edit`, { name: 'Taken Over', version: '1' }],
      [
        `/admin/agencies/${homeIds.agencyId}/edit`,
        { name: 'Taken Over', agencyType: 'police', localityId: '', email: '', phone: '', active: 'no', version: '1' },
      ],
      [
        `/admin/users/${homeIds.practitionerId}/edit`,
        {
          fullName: 'Taken Over',
          email: 'taken@example.gov.uk',
          jobTitle: '',
          phone: '',
          agencyId: String(northvale.agency.id),
          roles: 'administrator',
          version: '1',
        },
      ],
      [`/admin/users/${homeIds.practitionerId}/disable`, {}],
      [`/admin/users/${homeIds.practitionerId}/enable`, {}],
      [`/admin/users/${homeIds.practitionerId}/unlock`, {}],
      [`/admin/users/${homeIds.practitionerId}/send-link`, {}],
    ]
    for (const [url, form] of posts) {
      const res = await other.post(url, form, { csrf: token })
      assert.equal(res.statusCode, 404, url)
      assertNoneOf(res.body, HOME_NAMES, url)
    }
    assert.equal(await snapshot(), before)
  })

  test("cannot attach new records to the home council's agencies or localities", async () => {
    const before = await snapshot()
    await other.get('/admin/users/new')
    const user = await other.post('/admin/users/new', {
      fullName: 'Sneaky Person',
      email: 'sneaky@example.gov.uk',
      jobTitle: '',
      phone: '',
      agencyId: String(homeIds.agencyId),
      roles: 'practitioner',
    })
    assert.equal(user.statusCode, 400)
    assert.match(user.body, /href="#agencyId"/)
    assertNoneOf(user.body, HOME_NAMES, 'the refused user form')
    await other.get('/admin/agencies/new')
    const agency = await other.post('/admin/agencies/new', {
      name: 'Sneaky Agency',
      agencyType: 'police',
      localityId: String(homeIds.localityId),
      email: '',
      phone: '',
      active: 'yes',
    })
    assert.equal(agency.statusCode, 400)
    assert.match(agency.body, /href="#localityId"/)
    assertNoneOf(agency.body, HOME_NAMES, 'the refused agency form')
    assert.equal(await snapshot(), before)
  })
})

describe("the home council's administrator", () => {
  test('sees none of the other council in any list, and cannot open its records', async () => {
    for (const url of [
      '/admin/users',
      '/admin/agencies',
      '/admin/localities',
      '/admin/population',
      '/admin/audit',
      '/admin/users/new',
      '/admin/agencies/new',
    ]) {
      const res = await home.get(url)
      assert.equal(res.statusCode, 200, url)
      assertNoneOf(res.body, NORTHVALE_NAMES, url)
    }
    assert.ok(textOf((await home.get('/admin/users')).body).includes(t.staff.users.admin.fullName))
    assert.doesNotMatch(textOf((await home.get('/admin/population')).body), /31,337/)
    for (const url of [
      `/admin/users/${northvaleWorker.id}`,
      `/admin/agencies/${northvale.agency.id}/edit`,
      `/admin/localities/${northvale.locality.id}/edit`,
    ]) {
      const res = await home.get(url)
      assert.equal(res.statusCode, 404, url)
      assertNoneOf(res.body, NORTHVALE_NAMES, url)
    }
    const search = await home.get(`/admin/audit?userId=${northvaleAdmin.id}`)
    assert.match(textOf(search.body), /No events match your search/)
  })
})
