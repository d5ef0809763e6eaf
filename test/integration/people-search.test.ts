import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { type Client, textOf } from '../helpers/browser-client.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { today } from '../../src/web/dates.ts'
import { buildCouncil, buildPerson, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { addPerson, auditSince, inputValue, lastAuditId, peopleQuery, searchResults, signedIn, tableHead } from '../helpers/people.ts'

let t: TestApp
let coordinator: Client
let ids: { john: number; sarah: number; amelia: number; sian: number; siobhan: number; nguyen: number[]; mai: number; nora: number }

const NORA = { nhs: '9434765919', upn: 'A123456789012', address: '12 Juniper Lane, Demo Town', postcode: 'DB9 9ZZ', phone: '01632 960 777' }

type Member = { given: string; family: string; dob: string; sex: 'female' | 'male' }

/**
 * A household added by the practitioner's school through the use cases: the adults (a mother holds
 * parental responsibility) and the children, each child at the school given.
 */
async function buildHousehold(postcode: string, adults: (Member & { relationship: string })[], children: (Member & { schoolId: number | null })[]) {
  const actor = t.staff.actor('practitioner')
  const add = (m: Member, schoolId: number | null = null) =>
    buildPerson(t.db, actor, { givenName: m.given, familyName: m.family, dateOfBirth: m.dob, sex: m.sex, postcode, schoolId })
  const adultIds: number[] = []
  for (const a of adults) adultIds.push((await add(a)).id)
  const childIds: number[] = []
  for (const c of children) {
    const child = (await add(c, c.schoolId)).id
    const first = childIds[0]
    if (first)
      await addHouseholdMember(t.db, actor, first, { memberId: child, relationship: 'brother or sister', parentalResponsibility: false, fromDate: today() })
    for (const [i, a] of adults.entries()) {
      const relationship = { memberId: adultIds[i]!, relationship: a.relationship, parentalResponsibility: a.relationship === 'mother', fromDate: today() }
      await addHouseholdMember(t.db, actor, child, relationship)
    }
    childIds.push(child)
  }
  return { adults: adultIds, children: childIds }
}

/**
 * The register a search has to pick the right person from: the Smiths, the O'Neills (a mother and
 * daughter with similar given names), three Nguyễns and a few other families, as a small council has.
 */
async function buildRegister() {
  const { school, secondary } = t.staff.agencies
  const smiths = await buildHousehold(
    'DB1 4QT',
    [{ given: 'Sarah', family: 'Smith', dob: '1988-06-21', sex: 'female', relationship: 'mother' }],
    [
      { given: 'John', family: 'Smith', dob: '2015-03-04', sex: 'male', schoolId: school.id },
      { given: 'Amelia', family: 'Smith', dob: '2018-11-30', sex: 'female', schoolId: school.id },
    ],
  )
  const oneills = await buildHousehold(
    'DB3 2LN',
    [
      { given: 'Siobhan', family: "O'Neill", dob: '1990-02-14', sex: 'female', relationship: 'mother' },
      { given: 'Dafydd', family: 'Rhys', dob: '1987-09-03', sex: 'male', relationship: 'step-parent' },
    ],
    [{ given: 'Siân', family: "O'Neill", dob: '2012-07-19', sex: 'female', schoolId: secondary.id }],
  )
  await buildHousehold(
    'DB5 8RJ',
    [{ given: 'Grace', family: 'Okafor', dob: '1986-04-17', sex: 'female', relationship: 'mother' }],
    [
      { given: 'Daniel', family: 'Okafor', dob: '2013-09-12', sex: 'male', schoolId: secondary.id },
      { given: 'Joy', family: 'Okafor', dob: '2017-02-03', sex: 'female', schoolId: school.id },
    ],
  )
  await buildHousehold(
    'DB2 6WE',
    [{ given: 'Anna', family: 'Kowalczyk', dob: '1990-11-02', sex: 'female', relationship: 'mother' }],
    [{ given: 'Piotr', family: 'Kowalczyk', dob: '2011-05-20', sex: 'male', schoolId: secondary.id }],
  )
  await buildHousehold(
    'DB6 3PS',
    [{ given: 'Rhian', family: 'Evans', dob: '1995-07-29', sex: 'female', relationship: 'mother' }],
    [{ given: 'Cerys', family: 'Evans', dob: '2019-08-08', sex: 'female', schoolId: school.id }],
  )
  const nguyens = await buildHousehold(
    'DB7 9HX',
    [{ given: 'Thi Linh', family: 'Nguyễn', dob: '1992-01-08', sex: 'female', relationship: 'mother' }],
    [
      { given: 'Minh Anh', family: 'Nguyễn', dob: '2016-10-02', sex: 'male', schoolId: school.id },
      { given: 'Mai', family: 'Nguyễn', dob: '2021-05-25', sex: 'female', schoolId: null },
    ],
  )
  return {
    john: smiths.children[0]!,
    sarah: smiths.adults[0]!,
    amelia: smiths.children[1]!,
    sian: oneills.children[0]!,
    siobhan: oneills.adults[0]!,
    nguyen: [...nguyens.adults, ...nguyens.children],
    mai: nguyens.children[1]!,
  }
}

before(async () => {
  t = await testApp()
  coordinator = await t.staff.signIn(t.app, 'coordinator')
  ids = {
    ...(await buildRegister()),
    nora: await addPerson(coordinator, {
      givenName: 'Nora',
      familyName: 'Quill',
      'dob-day': '9',
      'dob-month': '9',
      'dob-year': '2017',
      nhsNumber: '943 476 5919',
      upn: NORA.upn,
      address: NORA.address,
      postcode: NORA.postcode,
      phone: NORA.phone,
    }),
  }
})
after(() => t?.close())

/** Searches as the coordinator, expecting a results page. */
async function search(params: Record<string, string>) {
  const res = await coordinator.get(peopleQuery(params))
  assert.equal(res.statusCode, 200, `searching ${JSON.stringify(params)} answered ${res.statusCode}: ${errorSummaryText(res.body)}`)
  return { res, results: searchResults(res.body), text: textOf(res.body) }
}

describe('"Is there already a CAF?" finds a child however their details were mistyped', () => {
  test('"Jon Smyth 3/4/2015" finds John Smith born 4 March 2015 as a likely match, and says why', async () => {
    const { results, text } = await search({ q: 'Jon Smyth 3/4/2015' })
    const john = results.find((r) => r.id === ids.john)
    assert.ok(john, `John Smith should be found, got ${JSON.stringify(results.map((r) => r.name))}`)
    assert.equal(results[0]!.id, ids.john, 'John Smith should be the best match')
    assert.equal(john.name, 'John Smith')
    assert.equal(john.dateOfBirth, '4 March 2015')
    assert.ok(john.likely, `John Smith should be shown as a likely match: ${john.cells.join(' | ')}`)
    assert.match(john.why, /short form/)
    assert.match(john.why, /sounds alike/)
    assert.match(john.why, /day and month swapped/)
    assert.match(text, /1 person found/)
  })

  const kinds: { kind: string; params: Record<string, string>; want: () => number; why?: RegExp; likely?: boolean }[] = [
    { kind: 'a typo in the given name (Jhon)', params: { q: 'Jhon Smith' }, want: () => ids.john },
    { kind: 'two letters transposed in the family name (Smtih)', params: { q: 'John Smtih' }, want: () => ids.john, why: /family name spelt similarly/ },
    { kind: 'a family name that sounds alike (Smyth)', params: { q: 'John Smyth' }, want: () => ids.john, why: /family name sounds alike/ },
    { kind: 'given and family names swapped (Smith John)', params: { q: 'Smith John' }, want: () => ids.john, why: /other way round/ },
    { kind: 'a nickname (Johnny)', params: { q: 'Johnny Smith' }, want: () => ids.john, why: /short form/ },
    { kind: 'a nickname (Jack)', params: { q: 'Jack Smith' }, want: () => ids.john, why: /short form/ },
    {
      kind: 'the date of birth with day and month swapped (3 4 2015)',
      params: { q: 'John Smith', 'dob-day': '3', 'dob-month': '4', 'dob-year': '2015' },
      want: () => ids.john,
      why: /day and month swapped/,
      likely: true,
    },
    {
      kind: 'one digit of the date of birth wrong (14 3 2015)',
      params: { q: 'John Smith', 'dob-day': '14', 'dob-month': '3', 'dob-year': '2015' },
      want: () => ids.john,
      why: /one digit different/,
      likely: true,
    },
    {
      kind: "no accent and no apostrophe (Sian Oneill for Siân O'Neill)",
      params: { q: 'Sian Oneill' },
      want: () => ids.sian,
      why: /same given name, same family name/,
    },
    { kind: 'an accented name typed without its accents (Mai Nguyen)', params: { q: 'Mai Nguyen' }, want: () => ids.mai },
    { kind: 'the NHS number alone, typed with spaces', params: { nhsNumber: '943 476 5919' }, want: () => ids.nora, why: /same NHS number/ },
    { kind: 'the unique pupil number alone, in lower case', params: { upn: 'a123456789012' }, want: () => ids.nora, why: /same unique pupil number/ },
  ]
  for (const { kind, params, want, why, likely } of kinds) {
    test(`${kind} finds the intended person first`, async () => {
      const { results } = await search(params)
      assert.ok(results.length > 0, 'something should be found')
      assert.equal(results[0]!.id, want(), `the best match should be person ${want()}, got ${JSON.stringify(results.map((r) => [r.id, r.name, r.why]))}`)
      if (why) assert.match(results[0]!.why, why)
      if (likely !== undefined) assert.equal(results[0]!.likely, likely, `likely match? ${results[0]!.cells.join(' | ')}`)
    })
  }

  test('accents and apostrophes are shown as recorded', async () => {
    const { results, text } = await search({ q: 'Sian Oneill' })
    assert.equal(results[0]!.name, "Siân O'Neill")
    assert.match(text, /Siân O'Neill/)
  })

  test('"Nguyen" finds all three of the Nguyễn family, written with their accents', async () => {
    const { results } = await search({ q: 'Nguyen' })
    const found = results.filter((r) => ids.nguyen.includes(r.id))
    assert.equal(found.length, 3, `all three Nguyễn should be found, got ${JSON.stringify(results.map((r) => r.name))}`)
    for (const r of found) assert.match(r.name, /Nguyễn$/)
    // A one-word search is not "the other way round", and no reason is given twice.
    for (const r of found) {
      assert.doesNotMatch(r.why, /other way round/, r.why)
      const reasons = r.why.replace(/^Score \d+ out of 100: /, '').split(', ')
      assert.equal(new Set(reasons).size, reasons.length, `a reason is repeated: ${r.why}`)
    }
  })

  test('somebody who is not on the register is not found', async () => {
    const { results, text } = await search({ q: 'Zebedee Quartermaine', 'dob-day': '12', 'dob-month': '8', 'dob-year': '2019' })
    assert.deepEqual(results, [])
    assert.match(text, /0 people found/)
    assert.match(text, /None of these is the person: add a new child or adult/)
  })
})

describe('the results show only what is needed to recognise someone', () => {
  test('name, date of birth, locality, open CAF and lead professional: no NHS number, pupil number, address, postcode or phone', async () => {
    const { res, results } = await search({ q: 'Nora Quill' })
    const nora = results.find((r) => r.id === ids.nora)
    assert.ok(nora, 'Nora Quill should be found')
    assert.deepEqual(tableHead(res.body), ['Name', 'Date of birth', 'Locality', 'Open CAF', 'Lead professional', 'Why it matches', 'Actions'])
    assert.equal(nora.dateOfBirth, '9 September 2017')
    for (const secret of [NORA.nhs, '943 476 5919', NORA.upn, 'Juniper Lane', NORA.postcode, NORA.phone]) {
      assert.ok(!res.body.includes(secret), `the results page shows "${secret}"`)
    }
  })

  test("a child's locality comes from their school", async () => {
    const { results } = await search({ q: 'John Smith' })
    assert.equal(results.find((r) => r.id === ids.john)?.locality, t.staff.locality.name)
  })
})

describe('bad search input is refused with the GOV.UK error summary', () => {
  const cases: { what: string; url: string; href: string; message: RegExp }[] = [
    {
      what: 'a date that does not exist (31 2 2015)',
      url: peopleQuery({ q: 'John Smith', 'dob-day': '31', 'dob-month': '2', 'dob-year': '2015' }),
      href: '#dob-day',
      message: /real date/,
    },
    { what: 'a date with no year', url: peopleQuery({ q: 'John Smith', 'dob-day': '4', 'dob-month': '3' }), href: '#dob-day', message: /real date/ },
    { what: 'a postcode that is not one', url: peopleQuery({ q: 'John Smith', postcode: 'NOT A CODE' }), href: '#postcode', message: /real postcode/ },
    {
      what: 'an NHS number with a wrong check digit',
      url: peopleQuery({ nhsNumber: '943 476 5918' }),
      href: '#nhsNumber',
      message: /valid 10-digit NHS number/,
    },
    { what: 'a pupil number with a wrong check letter', url: peopleQuery({ upn: 'B123456789012' }), href: '#upn', message: /unique pupil number/ },
    { what: 'the name given twice', url: '/people?q=John&q=Smith', href: '#q', message: /single answer/ },
  ]
  for (const { what, url, href, message } of cases) {
    test(what, async () => {
      const before = await lastAuditId(t.db)
      const res = await coordinator.get(url)
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /<title>Error: /)
      assert.match(errorSummaryText(res.body), /There is a problem/)
      assert.match(errorSummaryText(res.body), message)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
      assert.deepEqual(searchResults(res.body), [], 'no results with bad input')
      assert.doesNotMatch(textOf(res.body), /people found|person found/)
      const events = await auditSince(t.db, before)
      assert.deepEqual(
        events.filter((e) => e.action === 'person.searched'),
        [],
        'a refused search shows nobody, so it is not logged as a search',
      )
    })
  }

  test('what was typed is kept in the form', async () => {
    const res = await coordinator.get(peopleQuery({ q: 'John Smith', 'dob-day': '31', 'dob-month': '2', 'dob-year': '2015' }))
    assert.equal(inputValue(res.body, 'q'), 'John Smith')
    assert.equal(inputValue(res.body, 'dob-day'), '31')
    assert.equal(inputValue(res.body, 'dob-month'), '2')
    assert.equal(inputValue(res.body, 'dob-year'), '2015')
  })
})

describe('who can search', () => {
  test('the administrator does no casework and cannot search or open records (403)', async () => {
    const admin = await t.staff.signIn(t.app, 'admin')
    for (const url of ['/people', peopleQuery({ q: 'John Smith' }), `/people/${ids.john}`, '/people/new']) {
      const res = await admin.get(url)
      assert.equal(res.statusCode, 403, url)
      assert.doesNotMatch(res.body, /John Smith|4 March 2015/, url)
    }
  })

  test("another council's coordinator finds none of this council's people and cannot open them (404)", async () => {
    const council = await buildCouncil(t.db)
    const user = await buildUser(t.db, { laId: council.la.id, agencyId: council.agency.id, roles: ['coordinator'] })
    const other = await signedIn(t.app, user.email, user.password)
    const searches: Record<string, string>[] = [
      { q: 'John Smith' },
      { q: 'Smith' },
      { q: 'Jon Smyth 3/4/2015' },
      { 'dob-day': '4', 'dob-month': '3', 'dob-year': '2015' },
      { postcode: 'DB1 4QT' },
      { nhsNumber: NORA.nhs },
      { upn: NORA.upn },
    ]
    for (const params of searches) {
      const res = await other.get(peopleQuery(params))
      assert.equal(res.statusCode, 200, JSON.stringify(params))
      assert.deepEqual(searchResults(res.body), [], JSON.stringify(params))
      assert.match(textOf(res.body), /0 people found/, JSON.stringify(params))
    }
    for (const url of [`/people/${ids.john}`, `/people/${ids.nora}`, `/people/${ids.john}/edit`]) {
      const res = await other.get(url)
      assert.equal(res.statusCode, 404, url)
      assert.doesNotMatch(res.body, /John Smith|Nora Quill/, url)
    }
  })
})

describe('every search is audited with the ids shown', () => {
  test("a 'person.searched' event lists exactly the people on the page, and not what was typed", async () => {
    const coordinatorId = t.staff.users.coordinator.id
    const before = await lastAuditId(t.db)
    const { results } = await search({ q: 'Smith' })
    assert.ok(results.length >= 3, 'the Smiths should be found')
    const events = (await auditSince(t.db, before)).filter((e) => e.action === 'person.searched')
    assert.equal(events.length, 1)
    const [event] = events
    assert.equal(event!.actor_user_id, coordinatorId)
    assert.deepEqual(
      event!.detail.shown,
      results.map((r) => r.id),
    )
    assert.doesNotMatch(JSON.stringify(event!.detail), /smith/i, 'the audit log holds ids, not names')
  })

  test('a search that finds nobody is audited too, with nobody shown', async () => {
    const before = await lastAuditId(t.db)
    await search({ q: 'Zebedee Quartermaine' })
    const events = (await auditSince(t.db, before)).filter((e) => e.action === 'person.searched')
    assert.equal(events.length, 1)
    assert.deepEqual(events[0]!.detail.shown, [])
  })
})
