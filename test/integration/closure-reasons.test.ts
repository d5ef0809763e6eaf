import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { addAction, startPlan } from '../../src/features/plans/use-cases.ts'
import type { Actor } from '../../src/web/actor.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildCouncil, buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { auditSince, formFields, inputValue, lastAuditId } from '../helpers/people.ts'
import { buildFamily, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The administrator's closure reasons: renaming (the code reports count by stays), hiding (not offered
 * when closing an episode, except the step up, which is never hidden), adding (before "Other").
 */

let t: TestApp
/**
 * Each test's own council, with its own closure reasons as a new council has them: its staff, one
 * episode closed with "Needs met" (the Kowalczyks') and one whose plan is running (the Okafors').
 */
let staff: Staff
let admin: Client
let practitioner: Client
let adminId: number
let laId: number
/** Another council, whose reasons this council's administrator must never touch. */
let otherLaId: number
/** The Okafors' episode (a plan is running), whose close page practitioners choose a reason on. */
let okafors: number

const LIST = '/admin/closure-reasons'
const edit = (code: string) => `${LIST}/${code}/edit`
const DEFAULTS = [
  ['needs-met', 'Needs met'],
  ['withdrew', 'The family withdrew consent or stopped taking part'],
  ['moved', 'Moved to another council (transferred)'],
  ['stepped-up', "Stepped up to children's social care"],
  ['not-eligible', 'No longer eligible'],
  ['other', 'Other'],
]
/** The close page offers every reason but the step up's, which social care's acceptance sets. */
const OFFERED = DEFAULTS.filter(([code]) => code !== 'stepped-up')

/** A family CAF for the first child named, their brothers and sisters and their mother, its assessment completed by the actor, who leads it. */
async function ledCaf(actor: Actor, family: { familyName: string; mother: string; children: string[] }, agencies: number[]) {
  return (await buildEpisode(t.db, actor, { family: await buildFamily(t.db, actor, family), consentedAgencies: agencies, lead: true })).id
}

before(async () => {
  t = await testApp()
  otherLaId = (await buildCouncil(t.db, 'Northvale Council')).la.id
})

beforeEach(async () => {
  staff = await buildStaff(t.db)
  laId = staff.la.id
  adminId = staff.users.admin.id
  admin = await staff.signIn(t.app, 'admin')
  practitioner = await staff.signIn(t.app, 'practitioner')
  const actor = staff.actor('practitioner')
  const { school, secondary } = staff.agencies
  const kowalczyks = await ledCaf(actor, { familyName: 'Kowalczyk', mother: 'Anna', children: ['Piotr'] }, [secondary.id, school.id])
  await closeEpisode(t.db, actor, kowalczyks, { reason: 'needs-met', summary: 'Piotr is back in school full time.' })
  okafors = await ledCaf(actor, { familyName: 'Okafor', mother: 'Grace', children: ['Daniel', 'Joy'] }, [school.id, staff.agencies.hub.id])
  await startPlan(t.db, actor, okafors)
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', okafors).executeTakeFirstOrThrow()).id
  await addAction(t.db, actor, okafors, outcome, {
    description: 'Set up a morning routine chart with Daniel and Joy',
    owner: { kind: 'user', id: actor.userId },
    dueOn: addDays(today(), 14),
    serviceName: null,
  })
})
after(() => t?.close())

function reason(code: string, la = laId) {
  return t.db
    .selectFrom('closure_reasons')
    .select(['code', 'label', 'hidden', 'version'])
    .where('la_id', '=', la)
    .where('code', '=', code)
    .executeTakeFirstOrThrow()
}

/** Every council's closure reasons, to show a refused change changed nothing. */
async function snapshot() {
  return JSON.stringify(await t.db.selectFrom('closure_reasons').selectAll().orderBy('la_id').orderBy('code').execute())
}

/** The list as the administrator sees it: name, status and the number of episodes closed with it. */
async function listed(): Promise<string[][]> {
  const res = await admin.get(LIST)
  assert.equal(res.statusCode, 200)
  return tableRows(res.body).map((r) => [r[0]!, r[1]!, r[2]!])
}

/** The reasons offered on the Okafors' close page, in order, as [code, name]. */
async function offered(): Promise<string[][]> {
  const res = await practitioner.get(`/episodes/${okafors}/close`)
  assert.equal(res.statusCode, 200)
  return [...res.body.matchAll(/<input\b[^>]*\bname="reason"[^>]*\bvalue="([^"]*)"[^>]*>\s*<label\b[^>]*>([\s\S]*?)<\/label>/g)].map((m) => [
    m[1]!,
    textOf(m[2]!),
  ])
}

async function editFields(code: string, client = admin) {
  const res = await client.get(edit(code))
  assert.equal(res.statusCode, 200, edit(code))
  return formFields(res.body, edit(code))
}

/** Saves a change to a reason through its form, expecting it to be accepted. */
async function change(code: string, values: Record<string, string>) {
  const res = await admin.post(edit(code), { ...(await editFields(code)), ...values })
  assert.equal(res.statusCode, 303, `saving ${code}: ${res.statusCode} ${errorSummaryText(res.body)}`)
  assert.equal(res.headers.location, `${LIST}?saved=1`)
}

describe('the list of closure reasons', () => {
  test('the administration page links to it; it shows the six default reasons in order, offered, with the episodes closed with each', async () => {
    assert.match((await admin.get('/admin')).body, /href="\/admin\/closure-reasons"/)
    const res = await admin.get(LIST)
    assert.deepEqual(
      tableRows(res.body).map((r) => [r[0], r[1], r[2]]),
      [
        // The Kowalczyks' episode was closed with "Needs met".
        ['Needs met', 'Offered', '1'],
        ['The family withdrew consent or stopped taking part', 'Offered', '0'],
        ['Moved to another council (transferred)', 'Offered', '0'],
        ["Stepped up to children's social care", 'Set by social care', '0'],
        ['No longer eligible', 'Offered', '0'],
        ['Other', 'Offered', '0'],
      ],
    )
    for (const [code] of DEFAULTS) assert.match(res.body, new RegExp(`href="/admin/closure-reasons/${code}/edit"`), code)
    assert.deepEqual(await offered(), OFFERED, 'the close page offers the same reasons, in the same order, but the step up')
  })

  test('a practitioner is refused the list, the forms and every save (403), and nothing changes', async () => {
    const before = await snapshot()
    for (const url of [LIST, `${LIST}/new`, edit('needs-met')]) {
      const res = await practitioner.get(url)
      assert.equal(res.statusCode, 403, url)
      assert.match(textOf(res.body), /You do not have permission to see this page/)
    }
    // A page of their own first, so the refusal is not for a missing CSRF token.
    assert.equal((await practitioner.get(`/episodes/${okafors}/close`)).statusCode, 200)
    const posts: [string, Record<string, string>][] = [
      [`${LIST}/new`, { label: 'Added by a practitioner' }],
      [edit('needs-met'), { label: 'Renamed by a practitioner', visible: 'no', version: '1' }],
    ]
    for (const [url, form] of posts) assert.equal((await practitioner.post(url, form)).statusCode, 403, url)
    assert.equal(await snapshot(), before)
  })
})

describe('renaming and hiding', () => {
  test('a renamed reason shows its new name on the list and the close page, keeps its code, and is audited', async () => {
    const form = await admin.get(edit('withdrew'))
    assert.match(textOf(form.body), /Code in reports withdrew Episodes closed with it 0/)
    const fields = formFields(form.body, edit('withdrew'))
    assert.deepEqual(fields, { version: '1', label: 'The family withdrew consent or stopped taking part', visible: 'yes' })
    const mark = await lastAuditId(t.db)

    const res = await admin.post(edit('withdrew'), { ...fields, label: 'The family stopped taking part' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `${LIST}?saved=1`)
    const events = await auditSince(t.db, mark)
    assert.deepEqual(
      events.map((e) => [e.action, e.actor_user_id, e.record_type, e.record_id, e.detail]),
      [
        [
          'closure-reason.updated',
          adminId,
          'closure-reason',
          'withdrew',
          {
            fields: ['label'],
            from: { label: 'The family withdrew consent or stopped taking part' },
            to: { label: 'The family stopped taking part' },
          },
        ],
      ],
    )

    const list = await admin.get(String(res.headers.location))
    assert.match(textOf(list.body), /Closure reason saved/)
    assert.deepEqual(
      tableRows(list.body).map((r) => r[0]),
      [
        'Needs met',
        'The family stopped taking part',
        'Moved to another council (transferred)',
        "Stepped up to children's social care",
        'No longer eligible',
        'Other',
      ],
    )
    assert.deepEqual((await offered())[1], ['withdrew', 'The family stopped taking part'], 'offered under its new name, with the same code')
    assert.deepEqual(await reason('withdrew'), { code: 'withdrew', label: 'The family stopped taking part', hidden: false, version: 2 })
    assert.equal((await reason('withdrew', otherLaId)).label, 'The family withdrew consent or stopped taking part', "another council's reason is untouched")
  })

  test('a hidden reason is no longer offered when closing, nor accepted; shown again, it is back in its place', async () => {
    await change('not-eligible', { visible: 'no' })
    assert.deepEqual((await listed())[4], ['No longer eligible', 'Hidden', '0'])
    assert.deepEqual(
      (await offered()).map(([code]) => code),
      ['needs-met', 'withdrew', 'moved', 'other'],
    )
    assert.deepEqual(await reason('not-eligible'), { code: 'not-eligible', label: 'No longer eligible', hidden: true, version: 2 })
    assert.equal(await editFields('not-eligible').then((f) => f.visible), 'no', 'the form shows it hidden')

    // A close form opened before it was hidden cannot close the episode with it.
    const refused = await practitioner.post(`/episodes/${okafors}/close`, { reason: 'not-eligible', summary: 'Chosen before it was hidden' })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(refused.body), ['#reason'])
    assert.equal((await t.db.selectFrom('episodes').select('status').where('id', '=', okafors).executeTakeFirstOrThrow()).status, 'plan-active')

    await change('not-eligible', { visible: 'yes' })
    assert.deepEqual((await listed())[4], ['No longer eligible', 'Offered', '0'])
    assert.deepEqual(
      (await offered()).map(([code]) => code),
      ['needs-met', 'withdrew', 'moved', 'not-eligible', 'other'],
    )
    assert.equal((await reason('not-eligible')).version, 3)
  })

  test('the step-up reason cannot be hidden: 400, the error linked to the question, nothing changed', async () => {
    const form = await admin.get(edit('stepped-up'))
    assert.match(textOf(form.body), /This reason cannot be hidden/)
    const fields = formFields(form.body, edit('stepped-up'))
    const before = await snapshot()
    const mark = await lastAuditId(t.db)

    const res = await admin.post(edit('stepped-up'), { ...fields, label: 'Stepped up to social care', visible: 'no' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#visible'])
    assert.match(errorSummaryText(res.body), /You cannot hide this reason. An episode closes with it when children’s social care accepts a step up/)
    assert.equal(inputValue(res.body, 'label'), 'Stepped up to social care', 'what was typed is kept')
    assert.match(res.body, /<input[^>]*name="visible"[^>]*value="no"[^>]*checked/, 'the answer given is kept')
    assert.equal(await snapshot(), before, 'nothing changed')
    assert.deepEqual(await reason('stepped-up'), { code: 'stepped-up', label: "Stepped up to children's social care", hidden: false, version: 1 })
    assert.deepEqual(await auditSince(t.db, mark), [], 'nothing audited')
    assert.equal((await reason('stepped-up')).hidden, false, 'still there for social care’s acceptance')
  })
})

describe('adding a reason', () => {
  test('a new reason goes just before "Other", with a code made from its name; the same name again, in any case, is refused', async () => {
    const form = await admin.get(`${LIST}/new`)
    assert.deepEqual(formFields(form.body, `${LIST}/new`), { label: '' })
    const mark = await lastAuditId(t.db)

    const res = await admin.post(`${LIST}/new`, { label: 'The family moved away' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `${LIST}?saved=1`)
    const events = await auditSince(t.db, mark)
    assert.deepEqual(
      events.map((e) => [e.action, e.actor_user_id, e.record_type, e.record_id, e.detail]),
      [['closure-reason.added', adminId, 'closure-reason', 'the-family-moved-away', { label: 'The family moved away' }]],
    )

    const list = await admin.get(String(res.headers.location))
    assert.match(textOf(list.body), /Closure reason saved/)
    assert.deepEqual(
      tableRows(list.body).map((r) => [r[0], r[1], r[2]]),
      [
        ['Needs met', 'Offered', '1'],
        ['The family withdrew consent or stopped taking part', 'Offered', '0'],
        ['Moved to another council (transferred)', 'Offered', '0'],
        ["Stepped up to children's social care", 'Set by social care', '0'],
        ['No longer eligible', 'Offered', '0'],
        ['The family moved away', 'Offered', '0'],
        ['Other', 'Offered', '0'],
      ],
    )
    assert.match(list.body, /href="\/admin\/closure-reasons\/the-family-moved-away\/edit"/)
    assert.deepEqual(await reason('the-family-moved-away'), { code: 'the-family-moved-away', label: 'The family moved away', hidden: false, version: 1 })
    assert.deepEqual((await offered()).slice(-2), [
      ['the-family-moved-away', 'The family moved away'],
      ['other', 'Other'],
    ])
    assert.equal(
      (await t.db.selectFrom('closure_reasons').select('code').where('la_id', '=', otherLaId).where('label', '=', 'The family moved away').execute()).length,
      0,
      'not added for another council',
    )

    // The same name in a different case could not be told apart in reports.
    await admin.get(`${LIST}/new`)
    const before = await snapshot()
    const again = await admin.post(`${LIST}/new`, { label: 'THE FAMILY MOVED AWAY' })
    assert.equal(again.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(again.body), ['#label'])
    assert.match(errorSummaryText(again.body), /There is already a closure reason with this name/)
    assert.equal(inputValue(again.body, 'label'), 'THE FAMILY MOVED AWAY')
    assert.equal(await snapshot(), before, 'nothing added')
    assert.equal((await listed()).length, 7)

    // Nor may another reason be renamed to it.
    const renamed = await admin.post(edit('moved'), { ...(await editFields('moved')), label: 'the family moved away' })
    assert.equal(renamed.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(renamed.body), ['#label'])
    assert.match(errorSummaryText(renamed.body), /There is already a closure reason with this name/)
    assert.equal(await snapshot(), before, 'nothing renamed')
  })
})

describe('practitioners always have a reason to choose', () => {
  test('every reason but one (and the step up) may be hidden; hiding the last one is refused', async () => {
    // A reason of the council's own, besides the six every council starts with.
    await admin.get(`${LIST}/new`)
    assert.equal((await admin.post(`${LIST}/new`, { label: 'The family moved away' })).statusCode, 303)
    const others = (await t.db.selectFrom('closure_reasons').select('code').where('la_id', '=', laId).orderBy('sort_order').execute())
      .map((r) => r.code)
      .filter((code) => code !== 'stepped-up' && code !== 'needs-met')
    assert.deepEqual(others, ['withdrew', 'moved', 'not-eligible', 'the-family-moved-away', 'other'])
    for (const code of others) await change(code, { visible: 'no' })
    assert.deepEqual(
      (await listed()).map((r) => r[1]),
      ['Offered', 'Hidden', 'Hidden', 'Set by social care', 'Hidden', 'Hidden', 'Hidden'],
    )
    assert.deepEqual(await offered(), [['needs-met', 'Needs met']])

    const fields = await editFields('needs-met')
    const before = await snapshot()
    const mark = await lastAuditId(t.db)
    const res = await admin.post(edit('needs-met'), { ...fields, visible: 'no' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#visible'])
    assert.match(
      errorSummaryText(res.body),
      /You cannot hide this reason. Practitioners need at least one reason, other than a step up, to close an episode with/,
    )
    assert.equal(await snapshot(), before, 'nothing changed')
    assert.equal((await reason('needs-met')).hidden, false)
    assert.deepEqual(await auditSince(t.db, mark), [])
    assert.deepEqual(
      (await offered()).map(([code]) => code),
      ['needs-met'],
    )

    // Once another is shown again, this one may be hidden.
    await change('other', { visible: 'yes' })
    await change('needs-met', { visible: 'no' })
    assert.deepEqual(
      (await offered()).map(([code]) => code),
      ['other'],
    )
    for (const code of ['needs-met', 'withdrew', 'moved', 'not-eligible', 'the-family-moved-away']) await change(code, { visible: 'yes' })
    assert.deepEqual(
      (await listed()).map((r) => r[1]),
      ['Offered', 'Offered', 'Offered', 'Set by social care', 'Offered', 'Offered', 'Offered'],
    )
  })
})

describe('bad input', () => {
  test('an empty name is refused (400), with the error linked to it and the rest of the answers kept', async () => {
    await admin.get(`${LIST}/new`)
    const before = await snapshot()
    const added = await admin.post(`${LIST}/new`, { label: '   ' })
    assert.equal(added.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(added.body), ['#label'])
    assert.match(errorSummaryText(added.body), /Enter name of the reason/)
    assert.match(added.body, /id="label-error"/, 'the message is shown beside the field too')

    const edited = await admin.post(edit('moved'), { ...(await editFields('moved')), label: '', visible: 'no' })
    assert.equal(edited.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(edited.body), ['#label'])
    assert.equal(inputValue(edited.body, 'label'), '')
    assert.match(edited.body, /<input[^>]*name="visible"[^>]*value="no"[^>]*checked/, 'the answer given is kept')
    assert.equal(await snapshot(), before, 'nothing changed')
  })

  test('a name over 200 characters is refused (400) and kept in the form', async () => {
    const long = `Closed because ${'z'.repeat(186)}`
    assert.equal(long.length, 201)
    await admin.get(`${LIST}/new`)
    const before = await snapshot()
    const added = await admin.post(`${LIST}/new`, { label: long })
    assert.equal(added.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(added.body), ['#label'])
    assert.match(errorSummaryText(added.body), /Name of the reason must be 200 characters or fewer/)
    assert.equal(inputValue(added.body, 'label'), long)

    const edited = await admin.post(edit('other'), { ...(await editFields('other')), label: long })
    assert.equal(edited.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(edited.body), ['#label'])
    assert.equal(await snapshot(), before, 'nothing changed')

    // 200 characters is allowed.
    await change('other', { label: long.slice(0, 200) })
    assert.equal((await reason('other')).label, long.slice(0, 200))
    await change('other', { label: 'Other' })
  })

  test("a reason that does not exist, or is another council's, is not found (404)", async () => {
    await t.db.insertInto('closure_reasons').values({ la_id: otherLaId, code: 'northvale-only', label: 'Northvale only', sort_order: 9 }).execute()
    for (const code of ['no-such-reason', 'northvale-only', 'NEEDS-MET', '..']) {
      assert.equal((await admin.get(`${LIST}/${encodeURIComponent(code)}/edit`)).statusCode, 404, code)
    }
    await admin.get(LIST)
    const before = await snapshot()
    const res = await admin.post(edit('northvale-only'), { label: 'Taken over', visible: 'yes', version: '1' })
    assert.equal(res.statusCode, 404)
    assert.equal((await admin.post(edit('no-such-reason'), { label: 'Made up', visible: 'yes', version: '1' })).statusCode, 404)
    assert.equal(await snapshot(), before)
    assert.ok(!(await admin.get(LIST)).body.includes('Northvale only'))
  })

  test('a save over someone else’s newer save is refused (409) with their version shown, and theirs is kept', async () => {
    const other = await staff.signIn(t.app, 'admin')
    const mine = await editFields('moved')
    const theirs = await editFields('moved', other)
    const start = (await reason('moved')).version
    assert.equal(mine.version, String(start))
    assert.equal((await other.post(edit('moved'), { ...theirs, label: 'Moved out of the borough' })).statusCode, 303)

    const mark = await lastAuditId(t.db)
    const res = await admin.post(edit('moved'), { ...mine, label: 'Moved to another area', visible: 'no' })
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else changed this while you were editing it/)
    assert.equal(inputValue(res.body, 'label'), 'Moved to another area', 'my change stays in the form')
    assert.match(res.body, /<input[^>]*name="visible"[^>]*value="no"[^>]*checked/)
    assert.match(textOf(res.body), /The version saved by someone else Name Moved out of the borough Practitioners can choose it Yes/)
    assert.equal(inputValue(res.body, 'version'), String(start + 1), 'saving again would be against their version')
    assert.deepEqual(await reason('moved'), { code: 'moved', label: 'Moved out of the borough', hidden: false, version: start + 1 })
    assert.deepEqual(await auditSince(t.db, mark), [], 'the refused save is not audited')

    // Saving again from the conflict page works.
    const again = await admin.post(edit('moved'), formFields(res.body, edit('moved')))
    assert.equal(again.statusCode, 303)
    assert.deepEqual(await reason('moved'), { code: 'moved', label: 'Moved to another area', hidden: true, version: start + 2 })
    await change('moved', { visible: 'yes' })
  })

  test('a form with fields it does not have is refused (400) and changes nothing', async () => {
    await admin.get(`${LIST}/new`)
    const before = await snapshot()
    const added = await admin.post(`${LIST}/new`, { label: 'Sneaked in', code: 'sneaky', hidden: 'true' })
    assert.equal(added.statusCode, 400)
    assert.match(errorSummaryText(added.body), /information in it that we did not expect/)

    const edited = await admin.post(edit('other'), { ...(await editFields('other')), label: 'Anything else', code: 'renamed-code', laId: String(otherLaId) })
    assert.equal(edited.statusCode, 400)
    assert.match(errorSummaryText(edited.body), /information in it that we did not expect/)

    const unanswered = await admin.post(edit('other'), { ...(await editFields('other')), visible: 'maybe' })
    assert.equal(unanswered.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(unanswered.body), ['#visible'])
    assert.equal(await snapshot(), before)
  })
})

describe('closing with a renamed reason', () => {
  test('an episode closed with a renamed reason shows the new name and is counted under it', async () => {
    await change('withdrew', { label: 'The family stopped taking part' })
    await practitioner.get(`/episodes/${okafors}/close`)
    const res = await practitioner.post(`/episodes/${okafors}/close`, { reason: 'withdrew', summary: 'Grace asked us to stop; the school carries on.' })
    assert.equal(res.statusCode, 303)
    const episode = await t.db.selectFrom('episodes').select(['status', 'closed_reason']).where('id', '=', okafors).executeTakeFirstOrThrow()
    assert.deepEqual(episode, { status: 'closed', closed_reason: 'withdrew' })
    assert.match(textOf((await practitioner.get(`/episodes/${okafors}`)).body), /Why The family stopped taking part/)
    assert.deepEqual((await listed())[1], ['The family stopped taking part', 'Offered', '1'])
    assert.match(textOf((await admin.get(edit('withdrew'))).body), /Code in reports withdrew Episodes closed with it 1/)
  })
})
