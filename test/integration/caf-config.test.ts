import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildCouncil } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { auditSince, formFields, inputValue, lastAuditId } from '../helpers/people.ts'

let t: TestApp
let admin: Client
let adminId: number
let laId: number
/** Another council, whose configuration the administrator must never touch. */
let otherLaId: number

before(async () => {
  t = await testApp()
  admin = await t.staff.signIn(t.app, 'admin')
  adminId = t.staff.users.admin.id
  laId = t.staff.la.id
  otherLaId = (await buildCouncil(t.db, 'Northvale Council')).la.id
})
after(() => t.close())

function settingsRow(la = laId) {
  return t.db.selectFrom('caf_settings').selectAll().where('la_id', '=', la).executeTakeFirstOrThrow()
}

function level(code: string, la = laId) {
  return t.db
    .selectFrom('need_levels')
    .select(['label', 'description', 'tier', 'hidden'])
    .where('la_id', '=', la)
    .where('code', '=', code)
    .executeTakeFirstOrThrow()
}

function element(code: string, la = laId) {
  return t.db
    .selectFrom('assessment_elements')
    .select(['label', 'hidden', 'version'])
    .where('la_id', '=', la)
    .where('code', '=', code)
    .executeTakeFirstOrThrow()
}

/** The whole CAF configuration of both councils, to show a refused change changed nothing. */
async function configSnapshot() {
  const [settings, levels, elements] = await Promise.all([
    t.db.selectFrom('caf_settings').selectAll().orderBy('la_id').execute(),
    t.db.selectFrom('need_levels').selectAll().orderBy('la_id').orderBy('code').execute(),
    t.db.selectFrom('assessment_elements').selectAll().orderBy('la_id').orderBy('code').execute(),
  ])
  return JSON.stringify({ settings, levels, elements })
}

/** The rows of the table whose caption is `caption`. */
function rowsOfTable(html: string, caption: string): string[][] {
  const table = [...html.matchAll(/<table class="govuk-table">[\s\S]*?<\/table>/g)]
    .map((m) => m[0])
    .find((tbl) => textOf(/<caption[\s\S]*?<\/caption>/.exec(tbl)?.[0] ?? '').startsWith(caption))
  return table ? tableRows(table) : []
}

/** The text of a textarea on the page, as a browser would submit it. */
function textareaValue(html: string, action: string, name: string): string | undefined {
  return formFields(html, action)[name]
}

describe('score scale, timescales and safeguarding contact', () => {
  test('the administration page links to the three CAF configuration pages', async () => {
    const res = await admin.get('/admin')
    assert.match(textOf(res.body), /The CAF form and timescales/)
    for (const href of ['/admin/caf-settings', '/admin/need-levels', '/admin/assessment-elements']) {
      assert.match(res.body, new RegExp(`href="${href}"`))
      assert.equal((await admin.get(href)).statusCode, 200, href)
    }
  })

  test('an administrator changes the scale, follow-up days and safeguarding contact; they are saved, shown again and audited', async () => {
    const form = await admin.get('/admin/caf-settings')
    const fields = formFields(form.body, '/admin/caf-settings')
    assert.deepEqual([fields.scoreMin, fields.scoreMax, fields.followUpDays], ['1', '10', '28'], 'the national defaults are shown')
    const otherBefore = await settingsRow(otherLaId)
    const mark = await lastAuditId(t.db)

    const contact = 'Front door: 01632 960 100 (9am to 5pm)\nOut of hours: 01632 960 999'
    const res = await admin.post('/admin/caf-settings', {
      ...fields,
      scoreMin: '0',
      scoreMax: '5',
      scoreLowLabel: 'Not coping',
      scoreHighLabel: 'Thriving',
      followUpDays: '14',
      firstMeetingDays: '10',
      nonAttendanceRepeats: '3',
      leadAcceptDays: '2',
      copyGivenDays: '7',
      openLimitDays: '200',
      reminderWeekday: '3',
      qaScale: 'outstanding-to-inadequate',
      waitingMinReferrals: '8',
      signpostingPromptWeeks: '10',
      reopenDays: '60',
      followUpMonths: '2,4, 9',
      safeguardingContact: contact,
    })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/admin/caf-settings?saved=1')

    const shown = await admin.get(String(res.headers.location))
    assert.match(textOf(shown.body), /Settings saved/)
    assert.equal(inputValue(shown.body, 'scoreMin'), '0')
    assert.equal(inputValue(shown.body, 'scoreMax'), '5')
    assert.equal(inputValue(shown.body, 'scoreLowLabel'), 'Not coping')
    assert.equal(inputValue(shown.body, 'followUpDays'), '14')
    assert.equal(textareaValue(shown.body, '/admin/caf-settings', 'safeguardingContact'), contact)

    const saved = await settingsRow()
    assert.equal(saved.version, 2)
    assert.deepEqual(
      [
        saved.score_min,
        saved.score_max,
        saved.score_low_label,
        saved.score_high_label,
        saved.intention_follow_up_days,
        saved.first_taf_days,
        saved.non_attendance_repeats,
        saved.lead_accept_days,
        saved.copy_given_days,
        saved.open_limit_days,
        saved.reminder_weekday,
        saved.qa_scale,
        saved.waiting_min_referrals,
        saved.safeguarding_contact,
      ],
      [0, 5, 'Not coping', 'Thriving', 14, 10, 3, 2, 7, 200, 3, 'outstanding-to-inadequate', 8, contact],
    )
    assert.deepEqual(await settingsRow(otherLaId), otherBefore, "another council's settings are untouched")

    const events = await auditSince(t.db, mark)
    assert.deepEqual(
      events.map((e) => [e.action, e.actor_user_id, e.record_type, e.record_id]),
      [['caf-settings.updated', adminId, 'caf-settings', String(laId)]],
    )
    const detail = events[0]!.detail as { fields: string[]; from: Record<string, unknown>; to: Record<string, unknown> }
    assert.deepEqual(detail.fields, [
      'scoreMin',
      'scoreMax',
      'scoreLowLabel',
      'scoreHighLabel',
      'followUpDays',
      'firstMeetingDays',
      'nonAttendanceRepeats',
      'leadAcceptDays',
      'copyGivenDays',
      'openLimitDays',
      'reminderWeekday',
      'qaScale',
      'waitingMinReferrals',
      'signpostingPromptWeeks',
      'reopenDays',
      'followUpMonths',
      'safeguardingContact',
    ])
    assert.deepEqual([detail.from.scoreMax, detail.to.scoreMax], [10, 5])
    assert.ok(!JSON.stringify(detail).includes('01632'), 'the contact details themselves are not copied into the audit log')
  })

  const BAD_SCALES: { name: string; change: Record<string, string>; field: string; message: RegExp }[] = [
    {
      name: 'highest equal to lowest',
      change: { scoreMin: '4', scoreMax: '4' },
      field: 'scoreMax',
      message: /Highest score must be more than the lowest score/,
    },
    { name: 'highest below lowest', change: { scoreMin: '7', scoreMax: '3' }, field: 'scoreMax', message: /Highest score must be more than the lowest score/ },
    { name: 'more than 20 apart', change: { scoreMin: '0', scoreMax: '21' }, field: 'scoreMax', message: /no more than 20 above the lowest score/ },
    { name: 'letters for the lowest score', change: { scoreMin: 'one', scoreMax: '10' }, field: 'scoreMin', message: /Lowest score must be a whole number/ },
    {
      name: 'a fraction for the highest score',
      change: { scoreMin: '1', scoreMax: '9.5' },
      field: 'scoreMax',
      message: /Highest score must be a whole number/,
    },
    { name: 'a negative lowest score', change: { scoreMin: '-1', scoreMax: '10' }, field: 'scoreMin', message: /Lowest score must be 0 or more/ },
    { name: 'follow-up after 0 days', change: { followUpDays: '0' }, field: 'followUpDays', message: /Number of days must be 1 or more/ },
    { name: 'follow-up after more than a year', change: { followUpDays: '366' }, field: 'followUpDays', message: /Number of days must be 365 or less/ },
    {
      name: 'follow-up calls out of order',
      change: { followUpMonths: '6, 3' },
      field: 'followUpMonths',
      message: /Follow-up calls must be whole months from 1 to 36, in order/,
    },
    { name: 'no words for the highest score', change: { scoreHighLabel: '   ' }, field: 'scoreHighLabel', message: /Enter words for the highest score/ },
    {
      name: 'a single missed meeting raised',
      change: { nonAttendanceRepeats: '1' },
      field: 'nonAttendanceRepeats',
      message: /Missed meetings in a row must be 2 or more/,
    },
    {
      name: 'an open-episode limit under four weeks',
      change: { openLimitDays: '27' },
      field: 'openLimitDays',
      message: /Days an episode may stay open without a review must be 28 or more/,
    },
    {
      name: 'a day of the week that does not exist',
      change: { reminderWeekday: '8' },
      field: 'reminderWeekday',
      message: /Day for reminder emails must be 7 or less/,
    },
    {
      name: 'a scale of grades the council cannot choose',
      change: { qaScale: 'excellent-to-dire' },
      field: 'qaScale',
      message: /Select the scale quality audits are judged on/,
    },
    { name: 'no days to accept leading', change: { leadAcceptDays: '' }, field: 'leadAcceptDays', message: /Enter the number of days, like 5/ },
    { name: 'no safeguarding contact', change: { safeguardingContact: '' }, field: 'safeguardingContact', message: /Enter safeguarding contact details/ },
  ]
  for (const bad of BAD_SCALES) {
    test(`${bad.name} is refused: 400, an error summary linking to the field, what was typed kept, nothing saved`, async () => {
      const form = await admin.get('/admin/caf-settings')
      const fields = formFields(form.body, '/admin/caf-settings')
      const before = await configSnapshot()
      const mark = await lastAuditId(t.db)

      const typed: Record<string, string> = { ...fields, scoreLowLabel: 'Typed but not saved', ...bad.change }
      const res = await admin.post('/admin/caf-settings', typed)
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummaryHrefs(res.body), [`#${bad.field}`])
      assert.match(errorSummaryText(res.body), bad.message)
      assert.match(res.body, new RegExp(`id="${bad.field}-error"`), 'the message is shown beside the field too')
      const kept = formFields(res.body, '/admin/caf-settings')
      for (const name of [
        'scoreMin',
        'scoreMax',
        'scoreLowLabel',
        'scoreHighLabel',
        'followUpDays',
        'firstMeetingDays',
        'nonAttendanceRepeats',
        'leadAcceptDays',
        'copyGivenDays',
        'openLimitDays',
        'reopenDays',
        'followUpMonths',
        'safeguardingContact',
      ]) {
        assert.equal(kept[name], typed[name], `${name} keeps what was typed`)
      }
      assert.equal(await configSnapshot(), before, 'nothing changed')
      assert.deepEqual(await auditSince(t.db, mark), [], 'nothing audited')
    })
  }

  test('a form with a field it does not have is refused and changes nothing', async () => {
    const form = await admin.get('/admin/caf-settings')
    const before = await configSnapshot()
    const res = await admin.post('/admin/caf-settings', { ...formFields(form.body, '/admin/caf-settings'), laId: String(otherLaId) })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /information in it that we did not expect/)
    assert.equal(await configSnapshot(), before)
  })

  test('a save over someone else’s newer save is refused (409) with both versions shown, and theirs is kept', async () => {
    const other = await t.staff.signIn(t.app, 'admin')
    const mine = formFields((await admin.get('/admin/caf-settings')).body, '/admin/caf-settings')
    const theirs = formFields((await other.get('/admin/caf-settings')).body, '/admin/caf-settings')
    const start = (await settingsRow()).version
    assert.equal(mine.version, String(start))

    assert.equal((await other.post('/admin/caf-settings', { ...theirs, followUpDays: '42' })).statusCode, 303)
    const mark = await lastAuditId(t.db)
    const res = await admin.post('/admin/caf-settings', { ...mine, followUpDays: '7' })
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else changed this while you were editing it/)
    assert.equal(inputValue(res.body, 'followUpDays'), '7', 'my change stays in the form')
    assert.match(textOf(res.body), /The version saved by someone else .* Days before follow-up 42/, 'their version is shown')
    assert.equal(inputValue(res.body, 'version'), String(start + 1), 'saving again would be against their version')
    const saved = await settingsRow()
    assert.deepEqual([saved.intention_follow_up_days, saved.version], [42, start + 1])
    assert.deepEqual(await auditSince(t.db, mark), [], 'the refused save is not audited')

    // Saving again from the conflict page works.
    const again = await admin.post('/admin/caf-settings', formFields(res.body, '/admin/caf-settings'))
    assert.equal(again.statusCode, 303)
    assert.equal((await settingsRow()).intention_follow_up_days, 7)
  })
})

describe('who may change the configuration', () => {
  test('a practitioner is refused every page and every save (403), and nothing changes', async () => {
    const practitioner = await t.staff.signIn(t.app, 'practitioner')
    const before = await configSnapshot()
    for (const url of [
      '/admin/caf-settings',
      '/admin/need-levels',
      '/admin/need-levels/4/edit',
      '/admin/assessment-elements',
      '/admin/assessment-elements/wider-family/edit',
    ]) {
      const res = await practitioner.get(url)
      assert.equal(res.statusCode, 403, url)
      assert.match(textOf(res.body), /You do not have permission to see this page/)
    }
    const posts: [string, Record<string, string>][] = [
      [
        '/admin/caf-settings',
        {
          scoreMin: '0',
          scoreMax: '3',
          scoreLowLabel: 'a',
          scoreHighLabel: 'b',
          followUpDays: '3',
          firstMeetingDays: '3',
          safeguardingContact: 'x',
          version: '1',
        },
      ],
      ['/admin/need-levels/4/edit', { label: 'Gone', description: 'x', visible: 'no', version: '1' }],
      ['/admin/assessment-elements/wider-family/edit', { label: 'Gone', visible: 'no', version: '1' }],
    ]
    for (const [url, form] of posts) {
      const res = await practitioner.post(url, form)
      assert.equal(res.statusCode, 403, url)
    }
    assert.equal(await configSnapshot(), before)
  })
})

describe('levels of need', () => {
  test('the list shows each level with its code, tier and whether it is offered', async () => {
    const rows = tableRows((await admin.get('/admin/need-levels')).body)
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[2], r[4]]),
      [
        ['1', 'Level 1: universal', 'Tier 1: universal', 'Offered'],
        ['2', 'Level 2: additional needs', 'Tier 2: additional needs', 'Offered'],
        ['3', 'Level 3: multiple or complex needs', 'Tier 3: multiple or complex needs (a CAF)', 'Offered'],
        ['4', 'Level 4: acute needs', "Tier 4: acute needs (children's social care)", 'Offered'],
      ],
    )
  })

  test('an administrator renames and hides a level; the list shows it hidden and the change is audited', async () => {
    const form = await admin.get('/admin/need-levels/2/edit')
    assert.match(textOf(form.body), /Code 2 Tier Tier 2: additional needs/, 'the code and tier are shown, not editable')
    const fields = formFields(form.body, '/admin/need-levels/2/edit')
    assert.deepEqual(Object.keys(fields).sort(), ['description', 'label', 'reviewDays', 'version', 'visible'])
    assert.equal(fields.visible, 'yes')
    const mark = await lastAuditId(t.db)

    const res = await admin.post('/admin/need-levels/2/edit', { ...fields, label: 'Level 2: early help', visible: 'no' })
    assert.equal(res.statusCode, 303)
    const list = await admin.get(String(res.headers.location))
    assert.match(textOf(list.body), /Level of need saved/)
    const row = tableRows(list.body).find((r) => r[0] === '2')
    assert.deepEqual([row?.[1], row?.[4]], ['Level 2: early help', 'Hidden'])

    assert.deepEqual(await level('2'), { label: 'Level 2: early help', description: fields.description, tier: 2, hidden: true })
    assert.equal((await level('2', otherLaId)).hidden, false, "another council's level is untouched")
    const events = await auditSince(t.db, mark)
    assert.deepEqual(
      events.map((e) => [e.action, e.actor_user_id, e.record_type, e.record_id, e.detail]),
      [
        [
          'need-level.updated',
          adminId,
          'need-level',
          '2',
          { fields: ['label', 'hidden'], from: { label: 'Level 2: additional needs', hidden: false }, to: { label: 'Level 2: early help', hidden: true } },
        ],
      ],
    )
  })

  for (const tier of [4, 3]) {
    test(`hiding the last tier ${tier} level practitioners can choose is refused; with another tier ${tier} level offered it is allowed`, async () => {
      const code = String(tier)
      const fields = formFields((await admin.get(`/admin/need-levels/${code}/edit`)).body, `/admin/need-levels/${code}/edit`)
      const before = await configSnapshot()
      const mark = await lastAuditId(t.db)

      const refused = await admin.post(`/admin/need-levels/${code}/edit`, { ...fields, label: 'Renamed while hiding', visible: 'no' })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errorSummaryHrefs(refused.body), ['#visible'])
      assert.match(errorSummaryText(refused.body), new RegExp(`You cannot hide this level. It is the only tier ${tier} level practitioners can choose`))
      assert.equal(inputValue(refused.body, 'label'), 'Renamed while hiding', 'what was typed is kept')
      assert.match(refused.body, /<input[^>]*name="visible"[^>]*value="no"[^>]*checked/, 'the answer given is kept')
      assert.equal(await configSnapshot(), before, 'nothing changed')
      assert.deepEqual(await auditSince(t.db, mark), [])

      // A council that splits the tier (4a and 4b, say) may hide one of them.
      await t.db
        .insertInto('need_levels')
        .values({ la_id: laId, code: `${code}b`, label: `Level ${code}b`, description: 'A second level of the tier', tier, sort_order: 10 + tier })
        .execute()
      const allowed = await admin.post(`/admin/need-levels/${code}/edit`, { ...fields, visible: 'no' })
      assert.equal(allowed.statusCode, 303)
      assert.equal((await level(code)).hidden, true)
    })
  }

  test('a level saved by someone else meanwhile is not overwritten (409, both shown)', async () => {
    const other = await t.staff.signIn(t.app, 'admin')
    const mine = formFields((await admin.get('/admin/need-levels/1/edit')).body, '/admin/need-levels/1/edit')
    const theirs = formFields((await other.get('/admin/need-levels/1/edit')).body, '/admin/need-levels/1/edit')
    assert.equal((await other.post('/admin/need-levels/1/edit', { ...theirs, label: 'Level 1: everyone' })).statusCode, 303)

    const res = await admin.post('/admin/need-levels/1/edit', { ...mine, label: 'Level 1: all children' })
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else changed this while you were editing it/)
    assert.equal(inputValue(res.body, 'label'), 'Level 1: all children')
    assert.match(textOf(res.body), /The version saved by someone else Name Level 1: everyone/)
    assert.equal((await level('1')).label, 'Level 1: everyone')
    assert.equal((await admin.post('/admin/need-levels/1/edit', formFields(res.body, '/admin/need-levels/1/edit'))).statusCode, 303)
    assert.equal((await level('1')).label, 'Level 1: all children')
  })

  test("another council's level, or one that does not exist, is not found", async () => {
    await t.db.insertInto('need_levels').values({ la_id: otherLaId, code: '2x', label: 'Northvale only', description: 'x', tier: 2, sort_order: 9 }).execute()
    assert.equal((await admin.get('/admin/need-levels/2x/edit')).statusCode, 404)
    assert.equal((await admin.get('/admin/need-levels/nonsense/edit')).statusCode, 404)
    assert.ok(!(await admin.get('/admin/need-levels')).body.includes('Northvale only'))
  })
})

describe('assessment elements', () => {
  test('the list groups the elements by domain, in order', async () => {
    const html = (await admin.get('/admin/assessment-elements')).body
    assert.deepEqual(
      rowsOfTable(html, 'Parents and carers').map((r) => [r[0], r[1]]),
      [
        ['Basic care, safety and protection', 'On the form'],
        ['Emotional warmth and stability', 'On the form'],
        ['Guidance, boundaries and stimulation', 'On the form'],
      ],
    )
    assert.equal(rowsOfTable(html, 'Development of the child').length, 12)
    assert.equal(rowsOfTable(html, 'Family and environment').length, 4)
  })

  test('an administrator renames an element and hides another; the list shows it and both are audited', async () => {
    const mark = await lastAuditId(t.db)
    const form = formFields((await admin.get('/admin/assessment-elements/wider-family/edit')).body, '/admin/assessment-elements/wider-family/edit')
    assert.deepEqual(form, { version: '1', label: 'Wider family', visible: 'yes' })
    const renamed = await admin.post('/admin/assessment-elements/wider-family/edit', { ...form, label: 'Wider family and friends' })
    assert.equal(renamed.statusCode, 303)

    const hideForm = formFields((await admin.get('/admin/assessment-elements/community/edit')).body, '/admin/assessment-elements/community/edit')
    assert.equal((await admin.post('/admin/assessment-elements/community/edit', { ...hideForm, visible: 'no' })).statusCode, 303)

    const list = await admin.get('/admin/assessment-elements?saved=1')
    assert.match(textOf(list.body), /Assessment element saved/)
    const family = rowsOfTable(list.body, 'Family and environment').map((r) => [r[0], r[1]])
    assert.deepEqual(family.slice(1), [
      ['Wider family and friends', 'On the form'],
      ['Housing, employment and financial considerations', 'On the form'],
      ['Social and community resources, including education', 'Hidden'],
    ])
    assert.deepEqual(await element('wider-family'), { label: 'Wider family and friends', hidden: false, version: 2 })
    assert.deepEqual(await element('community'), { label: 'Social and community resources, including education', hidden: true, version: 2 })
    assert.deepEqual(await element('wider-family', otherLaId), { label: 'Wider family', hidden: false, version: 1 }, "another council's element is untouched")

    const events = await auditSince(t.db, mark)
    assert.deepEqual(
      events.map((e) => [e.action, e.actor_user_id, e.record_id, e.detail]),
      [
        [
          'assessment-element.updated',
          adminId,
          'wider-family',
          { fields: ['label'], from: { label: 'Wider family' }, to: { label: 'Wider family and friends' } },
        ],
        ['assessment-element.updated', adminId, 'community', { fields: ['hidden'], from: { hidden: false }, to: { hidden: true } }],
      ],
    )
  })

  test('hiding the last element of a domain still on the form is refused', async () => {
    for (const code of ['basic-care', 'guidance']) {
      const fields = formFields((await admin.get(`/admin/assessment-elements/${code}/edit`)).body, `/admin/assessment-elements/${code}/edit`)
      assert.equal((await admin.post(`/admin/assessment-elements/${code}/edit`, { ...fields, visible: 'no' })).statusCode, 303, code)
    }
    const fields = formFields((await admin.get('/admin/assessment-elements/emotional-warmth/edit')).body, '/admin/assessment-elements/emotional-warmth/edit')
    const before = await configSnapshot()
    const mark = await lastAuditId(t.db)
    const res = await admin.post('/admin/assessment-elements/emotional-warmth/edit', { ...fields, visible: 'no' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#visible'])
    assert.match(errorSummaryText(res.body), /You cannot hide this element. It is the only element of Parents and carers still on the assessment form/)
    assert.equal(await configSnapshot(), before)
    assert.deepEqual(await auditSince(t.db, mark), [])
    const parents = rowsOfTable((await admin.get('/admin/assessment-elements')).body, 'Parents and carers').map((r) => r[1])
    assert.deepEqual(parents, ['Hidden', 'On the form', 'Hidden'])
  })

  test('a bad answer is refused with the error beside the field and nothing saved', async () => {
    const fields = formFields((await admin.get('/admin/assessment-elements/aspirations/edit')).body, '/admin/assessment-elements/aspirations/edit')
    const before = await configSnapshot()
    const res = await admin.post('/admin/assessment-elements/aspirations/edit', { ...fields, label: '', visible: 'maybe' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#label', '#visible'])
    assert.match(errorSummaryText(res.body), /Enter name of the element.*Select yes if this element is on the assessment form/)
    assert.equal(await configSnapshot(), before)
  })

  test('an element saved by someone else meanwhile is not overwritten (409, both shown)', async () => {
    const other = await t.staff.signIn(t.app, 'admin')
    const url = '/admin/assessment-elements/self-care/edit'
    const mine = formFields((await admin.get(url)).body, url)
    const theirs = formFields((await other.get(url)).body, url)
    assert.equal((await other.post(url, { ...theirs, label: 'Looking after themselves' })).statusCode, 303)

    const mark = await lastAuditId(t.db)
    const res = await admin.post(url, { ...mine, label: 'Self-care and independence' })
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else changed this while you were editing it/)
    assert.equal(inputValue(res.body, 'label'), 'Self-care and independence')
    assert.match(textOf(res.body), /The version saved by someone else Name Looking after themselves/)
    assert.equal(inputValue(res.body, 'version'), '2')
    assert.deepEqual(await element('self-care'), { label: 'Looking after themselves', hidden: false, version: 2 })
    assert.deepEqual(await auditSince(t.db, mark), [])
  })
})
