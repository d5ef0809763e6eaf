import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildCouncil, buildUser } from '../helpers/factories.ts'

let t: TestApp
/** Northvale's administrator, and an administrator of Demo Borough. */
let other: Client
let demo: Client
let northvale: Awaited<ReturnType<typeof buildCouncil>>
let northvaleAdmin: Awaited<ReturnType<typeof buildUser>>
let northvaleWorker: Awaited<ReturnType<typeof buildUser>>
let demoIds: { adminId: number; practitionerId: number; agencyId: number; localityId: number }

const DEMO_NAMES = ['Demo Borough', 'Alex Morgan', 'Priya Patel', 'Oakfield Primary School', 'Riverside Academy', 'Quayside Ward', 'demo-borough.example']
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

  const demoLa = await t.db.selectFrom('local_authorities').select('id').where('name', '=', 'Demo Borough').executeTakeFirstOrThrow()
  const locality = await t.db.insertInto('localities').values({ la_id: demoLa.id, name: 'Quayside Ward' }).returning('id').executeTakeFirstOrThrow()
  const admin = await t.db.selectFrom('users').select('id').where('email', '=', 'admin@demo-borough.example').executeTakeFirstOrThrow()
  const practitioner = await t.db.selectFrom('users').select('id').where('email', '=', 'practitioner@demo-borough.example').executeTakeFirstOrThrow()
  const agency = await t.db.selectFrom('agencies').select('id').where('name', '=', 'Oakfield Primary School').executeTakeFirstOrThrow()
  demoIds = { adminId: admin.id, practitionerId: practitioner.id, agencyId: agency.id, localityId: locality.id }

  other = new Client(t.app)
  await other.signIn(northvaleAdmin.email, northvaleAdmin.password)
  demo = new Client(t.app)
  await demo.signIn('admin@demo-borough.example', t.demo.password)
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
      assertNoneOf(res.body, DEMO_NAMES, url)
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

  test("sees none of Demo Borough's audit events, even when searching for its users and records", async () => {
    const all = await other.get('/admin/audit')
    assert.doesNotMatch(all.body, /demo\.seeded/)
    for (const query of [`userId=${demoIds.adminId}`, `recordType=user&recordId=${demoIds.practitionerId}`, 'action=demo']) {
      const res = await other.get(`/admin/audit?${query}`)
      assert.equal(res.statusCode, 200, query)
      assert.match(textOf(res.body), /No events match your search/, query)
      assertNoneOf(res.body, DEMO_NAMES, query)
    }
  })

  test("cannot open Demo Borough's records: 404, and nothing of them on the page", async () => {
    const urls = [
      `/admin/users/${demoIds.adminId}`,
      `/admin/users/${demoIds.practitionerId}`,
      `/admin/users/${demoIds.practitionerId}/edit`,
      `/admin/agencies/${demoIds.agencyId}/edit`,
      `/admin/localities/${demoIds.localityId}/edit`,
    ]
    for (const url of urls) {
      const res = await other.get(url)
      assert.equal(res.statusCode, 404, url)
      assert.match(textOf(res.body), /Page not found/, url)
      assertNoneOf(res.body, DEMO_NAMES, url)
    }
    const viewed = await t.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'user.viewed')
      .where('actor_user_id', '=', northvaleAdmin.id)
      .execute()
    assert.equal(viewed.length, 0, 'a refused view is not recorded as a view')
  })

  test("cannot change Demo Borough's records: 404, and nothing changes in the database", async () => {
    const before = await snapshot()
    await other.get('/admin/users/new')
    const token = other.csrf()
    const posts: [string, Record<string, string | string[]>][] = [
      [`/admin/localities/${demoIds.localityId}/edit`, { name: 'Taken Over', version: '1' }],
      [
        `/admin/agencies/${demoIds.agencyId}/edit`,
        { name: 'Taken Over', agencyType: 'police', localityId: '', email: '', phone: '', active: 'no', version: '1' },
      ],
      [
        `/admin/users/${demoIds.practitionerId}/edit`,
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
      [`/admin/users/${demoIds.practitionerId}/disable`, {}],
      [`/admin/users/${demoIds.practitionerId}/enable`, {}],
      [`/admin/users/${demoIds.practitionerId}/unlock`, {}],
      [`/admin/users/${demoIds.practitionerId}/send-link`, {}],
    ]
    for (const [url, form] of posts) {
      const res = await other.post(url, form, { csrf: token })
      assert.equal(res.statusCode, 404, url)
      assertNoneOf(res.body, DEMO_NAMES, url)
    }
    assert.equal(await snapshot(), before)
  })

  test("cannot attach new records to Demo Borough's agencies or localities", async () => {
    const before = await snapshot()
    await other.get('/admin/users/new')
    const user = await other.post('/admin/users/new', {
      fullName: 'Sneaky Person',
      email: 'sneaky@example.gov.uk',
      jobTitle: '',
      phone: '',
      agencyId: String(demoIds.agencyId),
      roles: 'practitioner',
    })
    assert.equal(user.statusCode, 400)
    assert.match(user.body, /href="#agencyId"/)
    assertNoneOf(user.body, DEMO_NAMES, 'the refused user form')
    await other.get('/admin/agencies/new')
    const agency = await other.post('/admin/agencies/new', {
      name: 'Sneaky Agency',
      agencyType: 'police',
      localityId: String(demoIds.localityId),
      email: '',
      phone: '',
      active: 'yes',
    })
    assert.equal(agency.statusCode, 400)
    assert.match(agency.body, /href="#localityId"/)
    assertNoneOf(agency.body, DEMO_NAMES, 'the refused agency form')
    assert.equal(await snapshot(), before)
  })
})

describe("Demo Borough's administrator", () => {
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
      const res = await demo.get(url)
      assert.equal(res.statusCode, 200, url)
      assertNoneOf(res.body, NORTHVALE_NAMES, url)
    }
    assert.match(textOf((await demo.get('/admin/users')).body), /Alex Morgan/)
    assert.doesNotMatch(textOf((await demo.get('/admin/population')).body), /31,337/)
    for (const url of [
      `/admin/users/${northvaleWorker.id}`,
      `/admin/agencies/${northvale.agency.id}/edit`,
      `/admin/localities/${northvale.locality.id}/edit`,
    ]) {
      const res = await demo.get(url)
      assert.equal(res.statusCode, 404, url)
      assertNoneOf(res.body, NORTHVALE_NAMES, url)
    }
    const search = await demo.get(`/admin/audit?userId=${northvaleAdmin.id}`)
    assert.match(textOf(search.body), /No events match your search/)
  })
})
