import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { type Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { addPerson, auditSince, formFields, idFromLocation, inputValue, lastAuditId, personForm } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

let t: TestApp
let practitioner: Client
let coordinator: Client
let ids: { john: number; sarah: number; school: number; practitioner: number }
/** The practitioner's name, as the history shows who made a change. */
let practitionerName: string

const today = new Date()
const isoPlus = (months: number, days = 0) => {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + months, today.getUTCDate() + days))
  return d.toISOString().slice(0, 10)
}
const parts = (iso: string, prefix: 'dob' | 'edd') => {
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}

/** The Smiths (Sarah, and John born 4 March 2015), added by the practitioner's school. */
before(async () => {
  t = await testApp()
  const { staff } = t
  practitioner = await staff.signIn(t.app, 'practitioner')
  coordinator = await staff.signIn(t.app, 'coordinator')
  const smiths = await buildFamily(t.db, staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    postcode: 'DB1 4QT',
    schoolId: staff.agencies.school.id,
  })
  ids = {
    john: smiths.children[0]!.id,
    sarah: smiths.mother.id,
    school: staff.agencies.school.id,
    practitioner: staff.users.practitioner.id,
  }
  practitionerName = staff.users.practitioner.fullName
})
after(() => t?.close())

const countPeople = async () =>
  Number(
    (
      await t.db
        .selectFrom('people')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

/** The "History of changes" table of a person page: [when, who, what, changes]. */
function history(html: string): string[][] {
  const table = /<caption class="govuk-table__caption[^"]*">Every change to this record[\s\S]*?<\/table>/.exec(html)?.[0]
  assert.ok(table, 'the person page should have its history table')
  return tableRows(`<table>${table}`)
}

describe('adding a child or adult', () => {
  test('starts from a search: the add form without one sends the user to search first', async () => {
    const res = await practitioner.get('/people/new')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/people')
  })

  test('a brand-new child is added: 303 to their record, with who added them in the history', async () => {
    const before = await countPeople()
    await practitioner.get('/people/new?searched=1&q=Ottoline+Brackenbury&dob-day=2&dob-month=6&dob-year=2019')
    assert.equal(inputValue(practitioner.last, 'givenName'), 'Ottoline', 'the form starts with the names searched for')
    assert.equal(inputValue(practitioner.last, 'familyName'), 'Brackenbury')
    assert.equal(inputValue(practitioner.last, 'dob-day'), '2')
    const fields = { ...formFields(practitioner.last, '/people/new'), sex: 'female', postcode: 'db1 2ab' }
    const res = await practitioner.post('/people/new', fields)
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    assert.match(String(res.headers.location), /^\/people\/\d+\?done=created$/)
    const id = idFromLocation(res.headers.location)
    assert.equal(await countPeople(), before + 1)

    const row = await t.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.given_name, 'Ottoline')
    assert.equal(row.family_name, 'Brackenbury')
    assert.equal(row.date_of_birth, '2019-06-02')
    assert.equal(row.postcode, 'DB1 2AB')
    assert.equal(row.created_by_agency, ids.school)

    const page = await practitioner.get(String(res.headers.location))
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body), /Record created/)
    assert.match(textOf(page.body), /Ottoline Brackenbury/)
    const [created] = history(page.body)
    assert.equal(created![1], practitionerName)
    assert.equal(created![2], 'Record added')
    assert.match(created![3]!, /Given name: \(empty\) → Ottoline/)
  })

  test('"John Smith" born 4 3 2015 again is refused as a likely duplicate until the practitioner says why it is someone else', async () => {
    const before = await countPeople()
    await practitioner.get('/people/new?searched=1')
    const fields = personForm({ givenName: 'John', familyName: 'Smith', 'dob-day': '4', 'dob-month': '3', 'dob-year': '2015' })
    const refused = await practitioner.post('/people/new', fields)
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(refused.body), ['#duplicateReason'])
    assert.match(errorSummaryText(refused.body), /may already be on the register/)
    const text = textOf(refused.body)
    assert.match(text, /This person may already be on the register/)
    assert.match(
      refused.body,
      new RegExp(`<a class="govuk-link" href="/people/${ids.john}">John Smith</a>`),
      'the likely duplicate is named, with a link to their record',
    )
    assert.match(text, /John Smith , 4 March 2015: same given name, same family name, same date of birth/)
    assert.match(refused.body, /<textarea[^>]*id="duplicateReason"/)
    assert.match(text, /Why is this a different person\?/)
    assert.equal(inputValue(refused.body, 'givenName'), 'John', 'what was typed is kept')
    assert.equal(inputValue(refused.body, 'dob-year'), '2015')
    assert.equal(await countPeople(), before, 'nothing is saved')
    const shown = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'person.duplicates-shown')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(shown.detail.shown, [ids.john], 'showing the likely duplicates is audited')

    const reason = 'Twin brother: same name and birthday, confirmed by the mother'
    const created = await practitioner.post('/people/new', { ...formFields(refused.body, '/people/new'), duplicateReason: reason })
    assert.equal(created.statusCode, 303, errorSummaryText(created.body))
    const id = idFromLocation(created.headers.location)
    assert.notEqual(id, ids.john)
    assert.equal(await countPeople(), before + 1)
    const dismissals = await t.db.selectFrom('duplicate_dismissals').selectAll().where('person_id', '=', id).execute()
    assert.equal(dismissals.length, 1)
    assert.equal(dismissals[0]!.candidate_id, ids.john)
    assert.equal(dismissals[0]!.reason, reason)
    assert.equal(dismissals[0]!.dismissed_by, ids.practitioner)
    const audited = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'person.created')
      .where('record_id', '=', String(id))
      .executeTakeFirstOrThrow()
    assert.deepEqual(audited.detail.dismissedDuplicates, [ids.john])
  })

  const future = isoPlus(0, 1)
  const invalid: { what: string; fields: Record<string, string>; href: string; message: RegExp; kept: [string, string] }[] = [
    {
      what: 'an NHS number with a wrong check digit',
      fields: { nhsNumber: '943 476 5918' },
      href: '#nhsNumber',
      message: /valid 10-digit NHS number/,
      kept: ['nhsNumber', '943 476 5918'],
    },
    {
      what: 'an NHS number that is too short',
      fields: { nhsNumber: '943476591' },
      href: '#nhsNumber',
      message: /valid 10-digit NHS number/,
      kept: ['nhsNumber', '943476591'],
    },
    {
      what: 'a pupil number with a wrong check letter',
      fields: { upn: 'B123456789012' },
      href: '#upn',
      message: /right check letter/,
      kept: ['upn', 'B123456789012'],
    },
    { what: 'a postcode that is not one', fields: { postcode: 'SW1A 1A' }, href: '#postcode', message: /real postcode/, kept: ['postcode', 'SW1A 1A'] },
    {
      what: 'a date of birth in the future',
      fields: parts(future, 'dob'),
      href: '#dob-day',
      message: /today or in the past/,
      kept: ['dob-year', future.slice(0, 4)],
    },
    { what: '30 February', fields: { 'dob-day': '30', 'dob-month': '2', 'dob-year': '2015' }, href: '#dob-day', message: /real date/, kept: ['dob-day', '30'] },
    {
      what: 'a date of birth without a year',
      fields: { 'dob-day': '3', 'dob-month': '2', 'dob-year': '' },
      href: '#dob-day',
      message: /day, month and year/,
      kept: ['dob-month', '2'],
    },
    {
      what: 'an unborn baby without an expected date of delivery',
      fields: { unborn: 'yes' },
      href: '#edd-day',
      message: /Enter the expected date of delivery/,
      kept: ['givenName', 'Wilhelmina'],
    },
    {
      what: 'an expected date of delivery for a child already born',
      fields: { unborn: 'no', ...parts(isoPlus(3), 'edd') },
      href: '#edd-day',
      message: /Only enter an expected date of delivery for an unborn baby/,
      kept: ['edd-day', parts(isoPlus(3), 'edd')['edd-day']!],
    },
    {
      what: 'no name at all',
      fields: { givenName: '', familyName: '' },
      href: '#givenName',
      message: /Enter a given name or a family name/,
      kept: ['postcode', 'DB1 1AA'],
    },
  ]
  for (const { what, fields, href, message, kept } of invalid) {
    test(`${what}: 400, the error summary links to ${href}, what was typed is kept and nothing is saved`, async () => {
      const before = await countPeople()
      await practitioner.get('/people/new?searched=1')
      const res = await practitioner.post('/people/new', personForm({ givenName: 'Wilhelmina', familyName: 'Fairbairn', postcode: 'DB1 1AA', ...fields }))
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /<title>Error: /)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
      assert.match(errorSummaryText(res.body), message)
      assert.match(res.body, new RegExp(`id="${href.slice(1)}"`), `the summary's link should lead to a field on the page (${href})`)
      assert.match(res.body, /class="govuk-error-message"/, 'the field shows its error too')
      assert.equal(inputValue(res.body, kept[0]), kept[1], `${kept[0]} should be kept`)
      assert.equal(await countPeople(), before)
    })
  }

  const names: { what: string; given: string | null; family: string }[] = [
    { what: 'an apostrophe', given: 'Padraig', family: "O'Neill" },
    { what: 'an accent', given: 'Siân', family: 'Prydderch' },
    { what: 'Vietnamese diacritics', given: 'Bảo', family: 'Nguyễn' },
    { what: 'a hyphen', given: 'Mary-Jane', family: 'Watson-Hughes' },
    { what: 'only one name (a family name)', given: null, family: 'Tenzing' },
  ]
  for (const { what, given, family } of names) {
    test(`a name with ${what} is accepted and stored as typed`, async () => {
      const id = await addPerson(practitioner, { givenName: given ?? '', familyName: family })
      const row = await t.db.selectFrom('people').select(['given_name', 'family_name']).where('id', '=', id).executeTakeFirstOrThrow()
      assert.deepEqual(row, { given_name: given, family_name: family })
      const page = await practitioner.get(`/people/${id}`)
      assert.equal(page.statusCode, 200)
      const fullName = [given, family].filter(Boolean).join(' ')
      assert.ok(textOf(page.body).includes(fullName), `the page should show "${fullName}"`)
    })
  }

  test("a postcode typed as ' sw1a1aa ' is stored as 'SW1A 1AA'", async () => {
    const id = await addPerson(practitioner, { givenName: 'Percival', familyName: 'Postgate', postcode: ' sw1a1aa ' })
    const row = await t.db.selectFrom('people').select('postcode').where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.postcode, 'SW1A 1AA')
  })

  test('an unborn baby of Sarah Smith is saved with the expected date of delivery and the mother', async () => {
    const mother = await practitioner.get(`/people/${ids.sarah}`)
    const link = /href="(\/people\/new\?[^"]*motherId=[^"]*)"[^>]*>Add an unborn baby of this mother/.exec(mother.body)?.[1]
    assert.ok(link, "Sarah Smith's page should offer to add an unborn baby")
    const form = await practitioner.get(link.replace(/&amp;/g, '&'))
    assert.equal(form.statusCode, 200)
    const fields = formFields(form.body, '/people/new')
    assert.equal(fields.motherId, String(ids.sarah), 'the mother is carried in the form')
    assert.equal(fields.unborn, 'yes', '"unborn" starts answered yes')
    assert.equal(fields.familyName, 'Smith')
    const edd = isoPlus(3)
    const res = await practitioner.post('/people/new', { ...fields, ...parts(edd, 'edd') })
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    const id = idFromLocation(res.headers.location)
    const row = await t.db
      .selectFrom('people')
      .select(['expected_delivery_date', 'date_of_birth', 'mother_id', 'family_name'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { expected_delivery_date: edd, date_of_birth: null, mother_id: ids.sarah, family_name: 'Smith' })
    const page = textOf((await practitioner.get(`/people/${id}`)).body)
    assert.match(page, /Expected date of delivery/)
    assert.match(page, /Mother Sarah Smith/)
  })

  test('a mother who is not on the register is refused', async () => {
    const before = await countPeople()
    await practitioner.get('/people/new?searched=1')
    const res = await practitioner.post('/people/new', personForm({ familyName: 'Nobody', unborn: 'yes', motherId: '999999', ...parts(isoPlus(3), 'edd') }))
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /The mother must be a person on the register/)
    assert.equal(await countPeople(), before)
  })
})

describe('changing details', () => {
  let id: number

  before(async () => {
    id = await addPerson(practitioner, { givenName: 'Edith', familyName: 'Marsh', 'dob-day': '11', 'dob-month': '1', 'dob-year': '2014', postcode: 'DB1 1AA' })
  })

  test('the edit form changes a field, and the history shows the old and new value and who changed it', async () => {
    const opened = await lastAuditId(t.db)
    const form = await practitioner.get(`/people/${id}/edit`)
    assert.equal(form.statusCode, 200)
    const viewed = (await auditSince(t.db, opened)).filter((e) => e.action === 'person.viewed')
    assert.deepEqual(
      viewed.map((e) => [e.record_type, e.record_id]),
      [['person', String(id)]],
      'opening the edit form shows the whole record: the view is audited against it',
    )
    const fields = formFields(form.body, `/people/${id}/edit`)
    assert.equal(fields.givenName, 'Edith')
    assert.equal(fields.postcode, 'DB1 1AA')
    assert.equal(fields.version, '1')
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/people/${id}/edit`, { ...fields, postcode: 'db2 2ab' })
    assert.equal(res.statusCode, 303, errorSummaryText(res.body))
    assert.equal(res.headers.location, `/people/${id}?done=saved`)
    const row = await t.db.selectFrom('people').select(['postcode', 'version', 'given_name', 'date_of_birth']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(row, { postcode: 'DB2 2AB', version: 2, given_name: 'Edith', date_of_birth: '2014-01-11' })

    const page = await practitioner.get(`/people/${id}?done=saved`)
    assert.match(textOf(page.body), /Changes saved/)
    const [latest, first] = history(page.body)
    assert.equal(latest![1], practitionerName)
    assert.equal(latest![2], 'Details changed')
    assert.equal(latest![3], 'Postcode: DB1 1AA → DB2 2AB', 'only the field changed is listed, with its old and new value')
    assert.equal(first![2], 'Record added')
    const updated = (await auditSince(t.db, before)).filter((e) => e.action === 'person.updated')
    assert.equal(updated.length, 1)
    assert.deepEqual(updated[0]!.detail.changed, ['postcode'])
  })

  test('saving over someone else’s newer save is refused (409) and overwrites nothing', async () => {
    const mine = await practitioner.get(`/people/${id}/edit`)
    const myFields = formFields(mine.body, `/people/${id}/edit`)
    const theirs = await coordinator.get(`/people/${id}/edit`)
    assert.equal(theirs.statusCode, 200)
    const saved = await coordinator.post(`/people/${id}/edit`, { ...formFields(theirs.body, `/people/${id}/edit`), phone: '01632 960 555' })
    assert.equal(saved.statusCode, 303)
    const after = await t.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

    const res = await practitioner.post(`/people/${id}/edit`, { ...myFields, familyName: 'Marsh-Stale' })
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else changed this while you were editing it/)
    assert.match(textOf(res.body), /Their version: Edith Marsh/)
    assert.equal(inputValue(res.body, 'familyName'), 'Marsh-Stale', 'my change is still in the form')
    const now = await t.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(now, after, 'nothing was overwritten')
    assert.equal(now.phone, '01632 960 555')
    assert.equal(now.family_name, 'Marsh')
  })
})
