import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { type Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { mergePeople } from '../../src/features/people/merge.ts'
import { addHouseholdMember } from '../../src/features/people/households.ts'
import { today } from '../../src/web/dates.ts'
import { addPerson, auditSince, idFromLocation, lastAuditId, peopleQuery, personForm, searchResults } from '../helpers/people.ts'
import { buildPerson } from '../helpers/factories.ts'
import { buildFamily } from '../helpers/staff.ts'

let t: TestApp
let practitioner: Client
let coordinator: Client
let ids: { john: number; gareth: number; bethan: number }

const todayIso = () => new Date().toISOString().slice(0, 10)
const ukDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T12:00:00Z`))

/** The Smiths (Sarah, John born 4 March 2015 and Amelia), added by the practitioner's school, and two adults. */
before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
  coordinator = await t.staff.signIn(t.app, 'coordinator')
  const actor = t.staff.actor('practitioner')
  const school = t.staff.agencies.school.id
  const smiths = await buildFamily(t.db, actor, { familyName: 'Smith', mother: 'Sarah', children: ['John'], postcode: 'DB1 4QT', schoolId: school })
  const john = smiths.children[0]!.id
  // Amelia is born in November: buildFamily's 4 March, three years on, is one digit from John's birthday,
  // and the app would offer the two as possible duplicates of each other.
  const amelia = await buildPerson(t.db, actor, {
    givenName: 'Amelia',
    familyName: 'Smith',
    dateOfBirth: '2018-11-30',
    sex: 'female',
    postcode: 'DB1 4QT',
    schoolId: school,
  })
  await addHouseholdMember(t.db, actor, john, { memberId: amelia.id, relationship: 'brother or sister', parentalResponsibility: false, fromDate: today() })
  await addHouseholdMember(t.db, actor, amelia.id, { memberId: smiths.mother.id, relationship: 'mother', parentalResponsibility: true, fromDate: today() })
  ids = {
    john,
    gareth: await addPerson(practitioner, { givenName: 'Gareth', familyName: 'Powell', 'dob-day': '5', 'dob-month': '5', 'dob-year': '1985', sex: 'male' }),
    bethan: await addPerson(practitioner, { givenName: 'Bethan', familyName: 'Lloyd', 'dob-day': '17', 'dob-month': '10', 'dob-year': '1961', sex: 'female' }),
  }
})
after(() => t?.close())

/** The "Household and family" table of a person page: [name, relationship, parental responsibility, dates, action]. */
function householdTable(html: string): string[][] {
  const table = /<caption class="govuk-table__caption[^"]*">People who live or lived with[\s\S]*?<\/table>/.exec(html)?.[0]
  return table ? tableRows(`<table>${table}`) : []
}

function historyTable(html: string): string[][] {
  const table = /<caption class="govuk-table__caption[^"]*">Every change to this record[\s\S]*?<\/table>/.exec(html)?.[0]
  assert.ok(table, 'the page should have its history table')
  return tableRows(`<table>${table}`)
}

/** A child of the practitioner's school whose father, Gareth Hughes, was added to the child's household today. */
async function childWithFather() {
  const actor = t.staff.actor('practitioner')
  const family = await buildFamily(t.db, actor, { familyName: 'Hughes', mother: 'Carys', children: ['Tomos'], schoolId: t.staff.agencies.school.id })
  const child = family.children[0]!.id
  const father = await buildPerson(t.db, actor, { givenName: 'Gareth', familyName: 'Hughes', dateOfBirth: '1984-02-14', sex: 'male' })
  await addHouseholdMember(t.db, actor, child, { memberId: father.id, relationship: 'father', parentalResponsibility: true, fromDate: today() })
  return { child, father: father.id }
}

/** Two records of one child (the second added despite the duplicate warning), merged by the coordinator. */
async function mergedRecords(givenName: string, familyName: string, dateOfBirth: string) {
  const details = { givenName, familyName, dateOfBirth, sex: 'female' }
  const kept = await buildPerson(t.db, t.staff.actor('practitioner'), details)
  const merged = await buildPerson(t.db, t.staff.actor('practitioner'), details)
  await mergePeople(t.db, t.staff.actor('coordinator'), kept.id, merged.id, 'Same child added twice')
  return { kept: kept.id, merged: merged.id }
}

/** The path of the "Add to the household" link for a person found by a search started from another's page. */
async function addToHouseholdLink(client: Client, personId: number, q: string, memberId: number): Promise<string> {
  const page = await client.get(`/people/${personId}`)
  assert.match(page.body, new RegExp(`href="/people\\?addTo=${personId}"`), 'the person page offers to add someone to the household')
  const found = await client.get(peopleQuery({ addTo: String(personId), q }))
  assert.equal(found.statusCode, 200)
  assert.ok(
    searchResults(found.body).some((r) => r.id === memberId),
    `${q} should be found`,
  )
  const link = `/people/${personId}/household/add/${memberId}`
  assert.ok(found.body.includes(`href="${link}"`), 'each result can be added to the household')
  return link
}

describe('households', () => {
  test('the practitioner adds Gareth Powell to John Smith’s household as his father, with parental responsibility', async () => {
    const link = await addToHouseholdLink(practitioner, ids.john, 'Gareth Powell', ids.gareth)
    const form = await practitioner.get(link)
    assert.equal(form.statusCode, 200)
    assert.match(textOf(form.body), /What is Gareth’s relationship to John\?/)

    const empty = await practitioner.post(link, {})
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(empty.body), ['#relationship', '#parentalResponsibility'])

    const res = await practitioner.post(link, { relationship: 'father', parentalResponsibility: 'yes' })
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    assert.equal(res.headers.location, `/people/${ids.john}?done=added`)

    const page = await practitioner.get(`/people/${ids.john}?done=added`)
    assert.match(textOf(page.body), /Household member added/)
    const gareth = householdTable(page.body).find((row) => row[0] === 'Gareth Powell')
    assert.ok(gareth, `Gareth should be listed in ${JSON.stringify(householdTable(page.body))}`)
    assert.equal(gareth[1], 'Father')
    assert.equal(gareth[2], 'Yes')
    assert.equal(gareth[3], `From ${ukDate(todayIso())} (now)`)
    const names = householdTable(page.body).map((row) => row[0])
    for (const name of ['Sarah Smith', 'Amelia Smith']) assert.ok(names.includes(name), `${name} is still listed`)
    const rel = await t.db
      .selectFrom('relationships')
      .selectAll()
      .where('person_id', '=', ids.gareth)
      .where('child_id', '=', ids.john)
      .executeTakeFirstOrThrow()
    assert.equal(rel.relationship, 'father')
    assert.equal(rel.parental_responsibility, true)
  })

  test('"Record that they have left" ends the membership on today’s date; Gareth stays listed, with his dates', async () => {
    const { child, father } = await childWithFather()
    const page = await practitioner.get(`/people/${child}`)
    const row = await t.db.selectFrom('household_members').select('id').where('person_id', '=', father).where('to_date', 'is', null).executeTakeFirstOrThrow()
    const action = `/people/${child}/household/${row.id}/left`
    assert.ok(page.body.includes(`action="${action}"`), 'there is a button for Gareth leaving')
    assert.match(textOf(page.body), /Record that they have left : Gareth Hughes/)

    const res = await practitioner.post(action, {})
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/people/${child}?done=left`)
    const after = await practitioner.get(`/people/${child}?done=left`)
    assert.match(textOf(after.body), /Household updated/)
    const gareth = householdTable(after.body).find((r) => r[0] === 'Gareth Hughes')
    assert.ok(gareth, 'Gareth is still listed')
    assert.equal(gareth[3], `From ${ukDate(todayIso())} to ${ukDate(todayIso())}`)
    assert.ok(!after.body.includes(`action="${action}"`), 'he cannot leave twice')
    assert.doesNotMatch(textOf(after.body), /Record that they have left : Gareth Hughes/)
    const ended = await t.db.selectFrom('household_members').select('to_date').where('id', '=', row.id).executeTakeFirstOrThrow()
    assert.equal(ended.to_date, todayIso())
    assert.equal(historyTable(after.body)[0]![2], 'Household changed')

    const again = await practitioner.post(action, {})
    assert.equal(again.statusCode, 404)
  })
})

describe('merging two records of the same person', () => {
  let dup: number
  let dupHouseholdRow: number
  const reason = 'Same child: the school and the health visitor both added him; same mother and address'

  before(async () => {
    await practitioner.get('/people/new?searched=1')
    const res = await practitioner.post(
      '/people/new',
      personForm({
        givenName: 'John',
        familyName: 'Smith',
        'dob-day': '4',
        'dob-month': '3',
        'dob-year': '2015',
        duplicateReason: 'Thought to be a different child',
      }),
    )
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    dup = idFromLocation(res.headers.location)
    const link = `/people/${dup}/household/add/${ids.bethan}`
    await practitioner.get(link)
    assert.equal((await practitioner.post(link, { relationship: 'grandparent', parentalResponsibility: 'no' })).statusCode, 303)
    dupHouseholdRow = (await t.db.selectFrom('household_members').select('id').where('person_id', '=', dup).executeTakeFirstOrThrow()).id
  })

  test('a practitioner cannot merge (403), and is not offered to', async () => {
    const page = await practitioner.get(`/people/${ids.john}`)
    assert.doesNotMatch(page.body, /Merge into this record/)
    const res = await practitioner.get(`/people/${ids.john}/merge/${dup}`)
    assert.equal(res.statusCode, 403)
    const post = await practitioner.post(`/people/${ids.john}/merge/${dup}`, { reason }, { csrf: practitioner.csrf(page.body) })
    assert.equal(post.statusCode, 403)
    const row = await t.db.selectFrom('people').select('merged_into').where('id', '=', dup).executeTakeFirstOrThrow()
    assert.equal(row.merged_into, null)
  })

  test('the coordinator sees the possible duplicate on John’s record; a merge needs a reason (400)', async () => {
    const page = await coordinator.get(`/people/${ids.john}`)
    assert.match(textOf(page.body), /Possible duplicate records/)
    const link = `/people/${ids.john}/merge/${dup}`
    assert.ok(page.body.includes(`href="${link}"`), 'the duplicate can be merged into this record')
    const opened = await lastAuditId(t.db)
    const form = await coordinator.get(link)
    assert.equal(form.statusCode, 200)
    const viewed = (await auditSince(t.db, opened)).filter((e) => e.action === 'person.viewed')
    assert.equal(viewed.length, 1)
    assert.equal(viewed[0]!.record_id, String(ids.john), 'the merge page shows both records: the view is audited against them')
    assert.equal(viewed[0]!.detail.otherId, dup)
    assert.match(
      textOf(form.body),
      new RegExp(`Record ${ids.john} \\(John Smith, 4 March 2015\\) will be kept. Record ${dup} \\(John Smith, 4 March 2015\\) will be marked as merged`),
    )
    const res = await coordinator.post(link, { reason: '' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason'])
    assert.match(errorSummaryText(res.body), /Enter why these are records of the same person/)
    assert.equal((await t.db.selectFrom('people').select('merged_into').where('id', '=', dup).executeTakeFirstOrThrow()).merged_into, null)
    assert.equal((await t.db.selectFrom('person_merges').select('id').where('merged_id', '=', dup).execute()).length, 0)
  })

  test('merging moves the history, household and relationships to the record kept, and is recorded', async () => {
    const dupHistory = await t.db.selectFrom('person_changes').select(['id', 'change_type']).where('person_id', '=', dup).orderBy('id').execute()
    assert.deepEqual(
      dupHistory.map((h) => h.change_type),
      ['created', 'household'],
    )
    await coordinator.get(`/people/${ids.john}/merge/${dup}`)
    const before = await lastAuditId(t.db)
    const res = await coordinator.post(`/people/${ids.john}/merge/${dup}`, { reason })
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    assert.equal(res.headers.location, `/people/${ids.john}?done=merged`)

    const merged = await t.db.selectFrom('people').select(['merged_into']).where('id', '=', dup).executeTakeFirstOrThrow()
    assert.equal(merged.merged_into, ids.john)
    const moved = await t.db
      .selectFrom('person_changes')
      .select(['person_id'])
      .where(
        'id',
        'in',
        dupHistory.map((h) => h.id),
      )
      .execute()
    assert.ok(
      moved.every((m) => m.person_id === ids.john),
      'the duplicate’s history now belongs to John',
    )
    const left = await t.db.selectFrom('person_changes').select('change_type').where('person_id', '=', dup).execute()
    assert.deepEqual(
      left.map((h) => h.change_type),
      ['merged-away'],
    )
    const membership = await t.db.selectFrom('household_members').select(['person_id', 'to_date']).where('id', '=', dupHouseholdRow).executeTakeFirstOrThrow()
    assert.deepEqual(membership, { person_id: ids.john, to_date: null })
    assert.deepEqual(await t.db.selectFrom('household_members').select('id').where('person_id', '=', dup).execute(), [])
    const rels = await t.db.selectFrom('relationships').select(['person_id', 'child_id', 'relationship']).where('person_id', '=', ids.bethan).execute()
    assert.deepEqual(rels, [{ person_id: ids.bethan, child_id: ids.john, relationship: 'grandparent' }])
    assert.deepEqual(
      await t.db
        .selectFrom('relationships')
        .select('id')
        .where((eb) => eb.or([eb('person_id', '=', dup), eb('child_id', '=', dup)]))
        .execute(),
      [],
    )

    const merges = await t.db.selectFrom('person_merges').selectAll().where('survivor_id', '=', ids.john).execute()
    assert.equal(merges.length, 1)
    assert.equal(merges[0]!.survivor_id, ids.john)
    assert.equal(merges[0]!.merged_id, dup)
    assert.equal(merges[0]!.reason, reason)
    assert.deepEqual(merges[0]!.moved, { history: 2, households: 1, 'relationships.person_id': 0, 'relationships.child_id': 1, children: 0 })

    const audited = (await auditSince(t.db, before)).filter((e) => e.action === 'person.merged')
    assert.equal(audited.length, 1)
    assert.equal(audited[0]!.record_id, String(ids.john))
    assert.equal(audited[0]!.detail.mergedId, dup)

    const page = await coordinator.get(`/people/${ids.john}?done=merged`)
    assert.match(textOf(page.body), /Records merged/)
    const [latest] = historyTable(page.body)
    assert.equal(latest![1], t.staff.users.coordinator.fullName)
    assert.equal(latest![2], 'Another record merged into this one')
    assert.match(latest![3]!, new RegExp(`Record merged into this one: \\(empty\\) → John Smith \\(record ${dup}\\)`))
    assert.match(latest![3]!, new RegExp(`Reason: ${reason}`))
    assert.ok(
      historyTable(page.body).some((h) => h[2] === 'Household changed' && h[3]!.includes('grandparent')),
      'the duplicate’s household change is now in John’s history',
    )
    const bethan = householdTable(page.body).find((r) => r[0] === 'Bethan Lloyd')
    assert.ok(bethan, 'Bethan is now in John’s household list')
    assert.equal(bethan[1], 'Grandparent')
    assert.doesNotMatch(textOf(page.body), /Possible duplicate records/)
  })

  test('the merged record is no longer found by search', async () => {
    const { kept, merged } = await mergedRecords('Nia', 'Griffiths', '2016-09-12')
    const searches: Record<string, string>[] = [
      { q: 'Nia Griffiths' },
      { q: 'Nia Griffiths', 'dob-day': '12', 'dob-month': '9', 'dob-year': '2016' },
      { 'dob-day': '12', 'dob-month': '9', 'dob-year': '2016' },
    ]
    for (const params of searches) {
      const res = await coordinator.get(peopleQuery(params))
      const found = searchResults(res.body).map((r) => r.id)
      assert.ok(found.includes(kept), JSON.stringify(params))
      assert.ok(!found.includes(merged), `the merged record is still found by ${JSON.stringify(params)}`)
    }
  })

  test('the merged record’s page says where it went, and it cannot be changed or merged again', async () => {
    const { kept, merged } = await mergedRecords('Elin', 'Parry', '2017-01-23')
    const res = await coordinator.get(`/people/${merged}`)
    assert.equal(res.statusCode, 200)
    assert.match(textOf(res.body), new RegExp(`This record was merged into record ${kept}`))
    assert.ok(res.body.includes(`href="/people/${kept}"`), 'it links to the record kept')
    assert.doesNotMatch(textOf(res.body), /Change details/)
    const again = await coordinator.get(`/people/${kept}/merge/${merged}`)
    assert.equal(again.statusCode, 200)
    const refused = await coordinator.post(`/people/${kept}/merge/${merged}`, { reason: 'again' })
    assert.equal(refused.statusCode, 400)
    assert.match(errorSummaryText(refused.body), /already been merged/)
    assert.equal((await t.db.selectFrom('person_merges').select('id').where('merged_id', '=', merged).execute()).length, 1)
  })
})
