import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { pdfText } from '../../src/features/assessment/pdf-text.test-helper.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { fillRequiredTasks, preAssessToAssessment, recordConsent, startCaf, todayParts } from '../helpers/episodes.ts'
import { peopleQuery, searchResults } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

let t: TestApp
let practitioner: Client
let ids: { sarah: number; john: number; amelia: number; school: number; gp: number }
let episode: number

/** The Smiths, added by the practitioner's school, which John and Amelia go to. */
before(async () => {
  t = await testApp()
  const { staff } = t
  practitioner = await staff.signIn(t.app, 'practitioner')
  const smiths = await buildFamily(t.db, staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    postcode: 'DB1 4QT',
    schoolId: staff.agencies.school.id,
  })
  ids = {
    sarah: smiths.mother.id,
    john: smiths.children[0]!.id,
    amelia: smiths.children[1]!.id,
    school: staff.agencies.school.id,
    gp: staff.agencies.gp.id,
  }
})
after(() => t?.close())

// One journey: each test takes the same episode a step further, so they run in order and not alone.
describe('a family CAF from search to a completed, consented assessment with a lead professional', () => {
  test('"Is there already a CAF?" offers to start one for each child without an open CAF, not for the adult', async () => {
    const results = searchResults((await practitioner.get(peopleQuery({ q: 'Smith', postcode: 'DB1 4QT' }))).body)
    const action = (id: number) => results.find((r) => r.id === id)?.cells[6]
    assert.equal(action(ids.john), 'Start a CAF for John Smith')
    assert.equal(action(ids.amelia), 'Start a CAF for Amelia Smith')
    assert.equal(action(ids.sarah), '')
    assert.match(results.find((r) => r.id === ids.john)!.cells[3]!, /No open CAF/)
  })

  test('the family CAF starts from John, covering Amelia and Sarah', async () => {
    episode = await startCaf(practitioner, ids.john, [ids.amelia, ids.sarah])
    const people = await t.db.selectFrom('episode_people').select(['person_id', 'role']).where('episode_id', '=', episode).orderBy('person_id').execute()
    const expected = [
      { person_id: ids.john, role: 'child' },
      { person_id: ids.amelia, role: 'child' },
      { person_id: ids.sarah, role: 'adult' },
    ].sort((a, b) => a.person_id - b.person_id)
    assert.deepEqual(people, expected)
  })

  test('the pre-assessment leads to the assessment task list, with nothing started', async () => {
    await preAssessToAssessment(practitioner, episode, { learning: 'no', poverty: 'not-sure' })
    const list = await practitioner.get(`/episodes/${episode}/assessment`)
    assert.equal(list.statusCode, 200)
    const text = textOf(list.body)
    assert.match(text, /Development of the child: John Smith Needed to complete|Development of the child: John Smith Not started/)
    assert.match(text, /Development of the child: Amelia Smith/)
    assert.match(text, /Check your answers and complete Needed to complete Cannot start yet/)
  })

  test('the required sections and consent are filled in, then the assessment completes', async () => {
    await fillRequiredTasks(practitioner, episode, [ids.john, ids.amelia], [ids.sarah, ids.john])
    const consent = await recordConsent(practitioner, episode, ids.sarah, [ids.school, ids.gp])
    assert.equal(consent.statusCode, 303)
    await practitioner.get(`/episodes/${episode}/assessment/check`)
    const done = await practitioner.post(`/episodes/${episode}/assessment/check`, {})
    assert.equal(done.statusCode, 303)
    const row = await t.db.selectFrom('episodes').select(['status', 'assessment_completed_at']).where('id', '=', episode).executeTakeFirstOrThrow()
    assert.equal(row.status, 'assessment-complete')
    assert.ok(row.assessment_completed_at)
  })

  test('the practitioner appoints themself lead professional, and search shows it', async () => {
    const { users, agencies } = t.staff
    await practitioner.get(`/episodes/${episode}/lead`)
    const res = await practitioner.post(`/episodes/${episode}/lead`, { user: String(users.practitioner.id), ...todayParts('agreed') })
    assert.equal(res.statusCode, 303)
    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    const found = searchResults((await coordinator.get(peopleQuery({ q: 'Amelia Smith' }))).body).find((r) => r.id === ids.amelia)
    assert.ok(found, 'Amelia is found')
    assert.match(found.cells[3]!, /Assessment complete/)
    const lead = `${users.practitioner.fullName} ${agencies.school.name} ${users.practitioner.email}`
    assert.ok(found.cells[4]!.includes(lead), `the lead professional: ${found.cells[4]!}`)
    assert.equal(found.cells[6], '', 'no offer to start a second CAF')
  })

  test("the family's copy names the children and the needs, on the page and in the PDF", async () => {
    const page = await practitioner.get(`/episodes/${episode}/family-copy`)
    assert.equal(page.statusCode, 200)
    assert.match(textOf(page.body), /John Smith, born 4 March 2015/)
    assert.match(textOf(page.body), /Gets to school late most days/)
    const pdf = await practitioner.get(`/episodes/${episode}/family-copy.pdf`)
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    assert.equal(pdf.headers['cache-control'], 'no-store', 'a PDF with personal data is not kept in any cache')
    const text = pdfText(pdf.rawPayload).text
    assert.ok(text.includes('John Smith'), 'the PDF names John')
    assert.ok(text.includes('Amelia Smith'), 'the PDF names Amelia')
    assert.ok(text.includes('Gets to school late most days'), 'the PDF has the need')
    assert.ok(text.includes('On time every day by half term'), 'the PDF has the desired outcome')
  })

  test('the date the copy was given is recorded', async () => {
    await practitioner.get(`/episodes/${episode}/family-copy`)
    const res = await practitioner.post(`/episodes/${episode}/family-copy`, todayParts('given'))
    assert.equal(res.statusCode, 303)
    const row = await t.db.selectFrom('episodes').select('copy_given_on').where('id', '=', episode).executeTakeFirstOrThrow()
    assert.equal(row.copy_given_on, new Date().toISOString().slice(0, 10))
  })
})
