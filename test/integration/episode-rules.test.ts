import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { completedCaf, episodeIdFrom, fillRequiredTasks, preAssessToAssessment, recordConsent, saveTask, startCaf, todayParts } from '../helpers/episodes.ts'
import { buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { buildColleague, buildFamily } from '../helpers/staff.ts'

/**
 * The rules of a CAF episode as a user meets them: one open CAF per child (in the database, under
 * concurrent starts too), intentions and their follow-up, the pre-assessment's referral to social care,
 * what completion needs, amendments to a locked assessment, edit conflicts, long text and bad input.
 */

let t: TestApp
/** The practitioner (of the school): starts every CAF in this file. Each part builds its own families. */
let practitioner: Client

const NO_DATE = { 'planned-day': '', 'planned-month': '', 'planned-year': '' }

function inFuture(days: number, prefix: string): Record<string, string> {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + days)
  return { [`${prefix}-day`]: String(d.getUTCDate()), [`${prefix}-month`]: String(d.getUTCMonth() + 1), [`${prefix}-year`]: String(d.getUTCFullYear()) }
}

/** The rows for a person in any episode, open or not. */
async function episodeRowsOf(personIdValue: number, onlyOpen = false) {
  let q = t.db.selectFrom('episode_people').select(['episode_id', 'role', 'episode_open']).where('person_id', '=', personIdValue)
  if (onlyOpen) q = q.where('episode_open', '=', true)
  return q.execute()
}

async function episodeCount(): Promise<number> {
  const row = await t.db
    .selectFrom('episodes')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function sectionsOf(episodeId: number) {
  return t.db
    .selectFrom('assessment_sections')
    .select(['section', 'subject_id', 'data', 'version'])
    .where('episode_id', '=', episodeId)
    .orderBy('section')
    .orderBy('subject_id')
    .execute()
}

/** The value of a textarea on the page, decoded. */
function textareaValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<textarea\\b[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)
  if (!m) return undefined
  return m[1]!
    .replace(/^\n/, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The practitioner as the pages name them: name, agency and email. */
function practitionerContact(): string {
  const { users, agencies } = t.staff
  return `${users.practitioner.fullName} ${agencies.school.name} ${users.practitioner.email}`
}

/** A household added by the practitioner, the children at the practitioner's school. */
function family(familyName: string, mother: string, children: string[]) {
  return buildFamily(t.db, t.staff.actor('practitioner'), { familyName, mother, children, schoolId: t.staff.agencies.school.id })
}

/** A child CAF for a new child (Minh Anh Nguyễn), taken through the pre-assessment to the assessment. */
async function inAssessment(): Promise<{ child: number; episode: number }> {
  const child = await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Minh Anh', familyName: 'Nguyễn', dateOfBirth: '2016-10-02', sex: 'male' })
  const episode = await startCaf(practitioner, child.id)
  await preAssessToAssessment(practitioner, episode)
  return { child: child.id, episode }
}

/** Records an intention to assess the child through the start form, planned four weeks ahead. */
async function recordIntention(childId: number, reason: string): Promise<number> {
  await practitioner.get(`/people/${childId}/start-caf`)
  const res = await practitioner.post(`/people/${childId}/start-caf`, { kind: 'child', start: 'intention', reason, ...inFuture(28, 'planned') })
  assert.equal(res.statusCode, 303, `recording an intention: ${errorSummaryText(res.body)}`)
  return episodeIdFrom(res.headers.location)
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1
}

function hiddenVersion(html: string): string | undefined {
  return /name="version" value="([^"]*)"/.exec(html)?.[1]
}

/** Records the family's consent decision through the form (refused or given). */
async function recordConsentDecision(client: Client, episodeId: number, decision: 'given' | 'refused', givenBy: number, agencyIds: number[]) {
  await client.get(`/episodes/${episodeId}/consent/record`)
  return client.post(`/episodes/${episodeId}/consent/record`, {
    decision,
    givenBy: String(givenBy),
    giverRole: 'parent-with-pr',
    method: 'verbal',
    ...todayParts('given'),
    agencies: agencyIds.map(String),
  })
}

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

describe('a child has at most one open CAF', () => {
  let ids: { sarah: number; john: number; amelia: number; minhAnh: number }
  /** John's family CAF (John and Sarah), in its pre-assessment. */
  let johnEpisode: number

  before(async () => {
    const smiths = await family('Smith', 'Sarah', ['John', 'Amelia'])
    const minhAnh = await buildPerson(t.db, t.staff.actor('practitioner'), {
      givenName: 'Minh Anh',
      familyName: 'Nguyễn',
      dateOfBirth: '2016-10-02',
      sex: 'male',
    })
    ids = { sarah: smiths.mother.id, john: smiths.children[0]!.id, amelia: smiths.children[1]!.id, minhAnh: minhAnh.id }
    johnEpisode = await startCaf(practitioner, ids.john, [ids.sarah])
  })

  test('once John has a CAF, the start page says so, with its stage and lead professional', async () => {
    const res = await practitioner.get(`/people/${ids.john}/start-caf`)
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.match(text, /John Smith already has an open CAF/)
    assert.match(text, /Stage Pre-assessment/)
    assert.match(text, /Lead professional Not yet appointed/)
    assert.ok(res.body.includes(`href="/episodes/${johnEpisode}"`), 'links to the open CAF')
    assert.doesNotMatch(res.body, /action="\/episodes\/new"/, 'no form to start another')
  })

  test('posting the start form for John again is refused with a 400 and no second episode', async () => {
    const episodesBefore = await episodeCount()
    await practitioner.get(`/people/${ids.amelia}/start-caf`) // any page: for the CSRF token
    const res = await practitioner.post(`/people/${ids.john}/start-caf`, {
      kind: 'child',
      start: 'pre-assessment',
      reason: '',
      ...NO_DATE,
    })
    assert.equal(res.statusCode, 400)
    assert.match(textOf(res.body), /John Smith already has an open CAF/)
    assert.equal(await episodeCount(), episodesBefore)
    assert.deepEqual(
      (await episodeRowsOf(ids.john)).map((r) => r.episode_id),
      [johnEpisode],
    )
    // The refusal is a form error: the page must say so in an error summary (and its title starts "Error:").
    assert.match(errorSummaryText(res.body), /already has an open CAF/, 'an error summary says why the form was refused')
  })

  test('a family CAF started from Amelia that includes John is refused, with an error summary, and nothing is saved', async () => {
    const episodesBefore = await episodeCount()
    const start = await practitioner.get(`/people/${ids.amelia}/start-caf`)
    assert.equal(start.statusCode, 200)
    assert.match(textOf(start.body), /Start a CAF/)
    const res = await practitioner.post(`/people/${ids.amelia}/start-caf`, {
      kind: 'family',
      members: [String(ids.john), String(ids.sarah)],
      start: 'pre-assessment',
      reason: '',
      ...NO_DATE,
    })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /One of these children already has an open CAF/)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#main-content'])
    assert.equal(await episodeCount(), episodesBefore)
    assert.equal((await episodeRowsOf(ids.amelia)).length, 0, 'Amelia is in no episode')
    assert.equal((await episodeRowsOf(ids.john)).length, 1, 'John is still in only his own')
  })

  test('two practitioners starting a CAF for Minh Anh at the same moment: exactly one succeeds, the other gets a 400', async () => {
    const first = practitioner
    const second = await t.staff.signIn(t.app, 'practitioner')
    for (const c of [first, second]) {
      const page = await c.get(`/people/${ids.minhAnh}/start-caf`)
      assert.equal(page.statusCode, 200)
      assert.match(textOf(page.body), /No one else has an open CAF for Minh Anh/)
    }
    const form = { kind: 'child', start: 'pre-assessment', reason: '', ...NO_DATE }
    const url = `/people/${ids.minhAnh}/start-caf`
    const results = await Promise.all([first.post(url, form), second.post(url, form)])
    const codes = results.map((r) => r.statusCode).sort()
    assert.deepEqual(codes, [303, 400], `expected one start and one refusal, got ${codes.join(', ')}`)
    const refused = results.find((r) => r.statusCode === 400)!
    assert.match(textOf(refused.body), /Minh Anh Nguyễn already has an open CAF/)
    const open = await episodeRowsOf(ids.minhAnh, true)
    assert.equal(open.length, 1, 'one open episode for Minh Anh')
    assert.equal((await episodeRowsOf(ids.minhAnh)).length, 1, 'and no closed or half-made one either')
    const started = results.find((r) => r.statusCode === 303)!
    assert.equal(started.headers.location, `/episodes/${open[0]!.episode_id}/pre-assessment`)
  })

  test('the database itself refuses a second open episode row for a child', async () => {
    const before = await episodeRowsOf(ids.john)
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        const la = await tx.selectFrom('episodes').select('la_id').where('id', '=', johnEpisode).executeTakeFirstOrThrow()
        const other = await tx
          .insertInto('episodes')
          .values({
            la_id: la.la_id,
            kind: 'child',
            status: 'pre-assessment',
            initiator_user_id: t.staff.users.practitioner.id,
            initiator_agency_id: t.staff.agencies.school.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await tx.insertInto('episode_people').values({ la_id: la.la_id, episode_id: other.id, person_id: ids.john, role: 'child' }).execute()
      }),
      (error: { code?: string; constraint?: string }) => {
        assert.equal(error.code, '23505', 'a unique violation')
        return true
      },
    )
    assert.deepEqual(await episodeRowsOf(ids.john), before)
  })
})

describe('an intention to assess', () => {
  let ids: { amelia: number; oliver: number; sian: number }

  /** Amelia, with no CAF yet; her brother Oliver's intention recorded today; Siân's, six weeks ago and not followed up. */
  before(async () => {
    const walkers = await family('Walker', 'Jess', ['Amelia', 'Oliver'])
    const sian = await buildPerson(t.db, t.staff.actor('practitioner'), { givenName: 'Siân', familyName: "O'Neill", dateOfBirth: '2012-07-19', sex: 'female' })
    ids = { amelia: walkers.children[0]!.id, oliver: walkers.children[1]!.id, sian: sian.id }
    await recordIntention(ids.oliver, 'Oliver is often hungry at the start of the day')
    const sians = await recordIntention(ids.sian, 'Attendance has dropped this term and Siân seems withdrawn in class.')
    // Recorded six weeks ago: well past the 28 days the hub allows before following up.
    const sixWeeksAgo = new Date(Date.now() - 42 * 86_400_000)
    await t.db
      .updateTable('episodes')
      .set({ created_at: sixWeeksAgo, updated_at: sixWeeksAgo, intention_planned_on: new Date(Date.now() - 14 * 86_400_000).toISOString().slice(0, 10) })
      .where('id', '=', sians)
      .execute()
    await t.db.updateTable('episode_stage_changes').set({ changed_at: sixWeeksAgo }).where('episode_id', '=', sians).execute()
  })

  test('needs a reason and a planned date: both errors link to their fields, and nothing is saved', async () => {
    const episodesBefore = await episodeCount()
    await practitioner.get(`/people/${ids.amelia}/start-caf`)
    const res = await practitioner.post(`/people/${ids.amelia}/start-caf`, { kind: 'child', start: 'intention', reason: '', ...NO_DATE })
    assert.equal(res.statusCode, 400)
    const hrefs = errorSummaryHrefs(res.body)
    assert.ok(hrefs.includes('#reason'), `links to #reason: ${hrefs.join(' ')}`)
    assert.ok(hrefs.includes('#planned-day'), `links to #planned-day: ${hrefs.join(' ')}`)
    assert.match(errorSummaryText(res.body), /Enter why you intend to assess/)
    assert.match(errorSummaryText(res.body), /Enter planned date/)
    assert.equal(await episodeCount(), episodesBefore)
    assert.equal((await episodeRowsOf(ids.amelia)).length, 0)
  })

  test('a refused start form shows one error summary, not two', async () => {
    await practitioner.get(`/people/${ids.amelia}/start-caf`)
    const res = await practitioner.post(`/people/${ids.amelia}/start-caf`, { kind: 'child', start: 'intention', reason: '', ...NO_DATE })
    assert.equal(res.statusCode, 400)
    assert.equal(count(res.body, 'class="govuk-error-summary"'), 1, 'one "There is a problem" box')
  })

  test('a planned date in the past is refused too', async () => {
    const episodesBefore = await episodeCount()
    await practitioner.get(`/people/${ids.amelia}/start-caf`)
    const res = await practitioner.post(`/people/${ids.amelia}/start-caf`, {
      kind: 'child',
      start: 'intention',
      reason: 'Amelia has been unsettled since moving class',
      ...inFuture(-3, 'planned'),
    })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#planned-day'])
    assert.ok(res.body.includes('Amelia has been unsettled since moving class'), 'the reason typed is kept')
    assert.equal(await episodeCount(), episodesBefore)
  })

  test('a valid intention is recorded with status intention and shown on the episode page', async () => {
    await practitioner.get(`/people/${ids.amelia}/start-caf`)
    const res = await practitioner.post(`/people/${ids.amelia}/start-caf`, {
      kind: 'child',
      start: 'intention',
      reason: 'Amelia has been unsettled since moving class',
      ...inFuture(10, 'planned'),
    })
    assert.equal(res.statusCode, 303)
    const m = /^\/episodes\/(\d+)\?done=intention$/.exec(String(res.headers.location))
    assert.ok(m, `redirects to the episode: ${String(res.headers.location)}`)
    const id = Number(m[1])
    const row = await t.db.selectFrom('episodes').select(['status', 'intention_reason', 'intention_planned_on']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.equal(row.status, 'intention')
    assert.equal(row.intention_reason, 'Amelia has been unsettled since moving class')
    const page = await practitioner.get(String(res.headers.location))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Intention to assess recorded/)
    assert.match(text, /Stage Intention to assess/)
    assert.match(text, /Intention Amelia has been unsettled since moving class Planned for/)
    assert.equal(count(page.body, 'data-module="govuk-notification-banner"'), 1, 'the "Intention to assess recorded" banner is shown once')
  })

  test("the hub's intentions queue shows Siân's six-week-old intention with who recorded it, not the fresh one", async () => {
    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    const res = await coordinator.get('/desk/intentions')
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.match(text, /1 item/)
    assert.match(text, /Siân O'Neill/)
    assert.match(text, /\d+ days overdue/, 'due 28 days after it was recorded, six weeks ago')
    const sians = await episodeRowsOf(ids.sian, true)
    assert.equal(sians.length, 1)
    assert.ok(res.body.includes(`href="/episodes/${sians[0]!.episode_id}"`), "links to Siân's episode")
    const { users, agencies } = t.staff
    assert.ok(text.includes(`${users.practitioner.fullName} (started it) ${agencies.school.name} ${users.practitioner.email}`), 'who recorded it')
    assert.doesNotMatch(text, /Oliver/, 'the intention recorded today is not due yet')
  })

  test('after the administrator sets follow-up to 60 days, Siân is no longer listed', async () => {
    const admin = await t.staff.signIn(t.app, 'admin')
    const form = await admin.get('/admin/caf-settings')
    assert.equal(form.statusCode, 200)
    const fields = formFields(form.body, '/admin/caf-settings')
    assert.equal(fields.followUpDays, '28')
    const saved = await admin.post('/admin/caf-settings', { ...fields, followUpDays: '60' })
    assert.equal(saved.statusCode, 303, `saving the settings: ${textOf(saved.body).slice(0, 300)}`)
    const coordinator = await t.staff.signIn(t.app, 'coordinator')
    const text = textOf((await coordinator.get('/desk/intentions')).body)
    assert.match(text, /Nothing is waiting in this queue/)
    assert.doesNotMatch(text, /Siân/)
    const now = formFields((await admin.get('/admin/caf-settings')).body, '/admin/caf-settings')
    assert.equal((await admin.post('/admin/caf-settings', { ...now, followUpDays: '28' })).statusCode, 303, 'back to 28 days')
  })

  test('another practitioner does not see the intention, not even as a count; the one who recorded it does', async () => {
    const { client: colleague } = await buildColleague(t.db, t.app, t.staff, 'school')
    const theirs = textOf((await colleague.get('/desk/intentions')).body)
    assert.match(theirs, /Nothing is waiting in this queue/)
    assert.doesNotMatch(theirs, /Siân/)
    assert.match(textOf((await practitioner.get('/desk/intentions')).body), /Siân O'Neill/)
  })
})

describe('the pre-assessment decides to refer to social care', () => {
  let ids: { minhAnh: number; mai: number }
  /** Mai's CAF, its checklist saying she may not be safe. */
  let maiEpisode: number
  let contact: string

  /** Saves the pre-assessment checklist of an episode with a concern about the child's safety. */
  async function saveSafetyConcern(episodeId: number, concern: string) {
    await practitioner.get(`/episodes/${episodeId}/pre-assessment`)
    const notes = Object.fromEntries(['healthy', 'safe', 'learning', 'impact', 'poverty'].map((k) => [`${k}-note`, '']))
    const saved = await practitioner.post(`/episodes/${episodeId}/pre-assessment`, {
      healthy: 'not-sure',
      safe: 'no',
      learning: 'yes',
      impact: 'yes',
      poverty: 'no',
      ...notes,
      concern,
      agencies: '',
    })
    assert.equal(saved.statusCode, 303)
  }

  /** Decides at the pre-assessment to refer to children's social care now, for this reason. */
  async function referToSocialCare(episodeId: number, reason: string) {
    await practitioner.get(`/episodes/${episodeId}/pre-assessment/decision`)
    return practitioner.post(`/episodes/${episodeId}/pre-assessment/decision`, { level: '4', nextStep: 'social-care', reason })
  }

  before(async () => {
    const nguyens = await family('Nguyễn', 'Thi Linh', ['Minh Anh', 'Mai'])
    ids = { minhAnh: nguyens.children[0]!.id, mai: nguyens.children[1]!.id }
    contact = (await t.db.selectFrom('caf_settings').select('safeguarding_contact').where('la_id', '=', t.staff.la.id).executeTakeFirstOrThrow())
      .safeguarding_contact
    maiEpisode = await startCaf(practitioner, ids.mai)
    await saveSafetyConcern(maiEpisode, 'Bruising seen at nursery pick-up; mum says Mai fell')
  })

  test("the decision page recommends social care and shows the council's safeguarding contact", async () => {
    const page = await practitioner.get(`/episodes/${maiEpisode}/pre-assessment/decision`)
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Recommended: Level 4: acute needs/)
    assert.match(text, /If you refer to children’s social care now, contact them straight away:/)
    assert.ok(text.includes(textOf(contact)), `the contact text from caf_settings is shown: ${contact}`)
    assert.equal(formFields(page.body, `/episodes/${maiEpisode}/pre-assessment/decision`).nextStep, 'social-care', 'social care is chosen for them')
  })

  test('a decision without a reason is refused and nothing changes', async () => {
    const res = await referToSocialCare(maiEpisode, '')
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason'])
    assert.match(errorSummaryText(res.body), /Enter why you made this decision/)
    const episode = await t.db.selectFrom('episodes').select(['status', 'closed_at']).where('id', '=', maiEpisode).executeTakeFirstOrThrow()
    assert.equal(episode.status, 'pre-assessment')
    assert.equal(episode.closed_at, null)
    const pre = await t.db.selectFrom('pre_assessments').select(['decided_at', 'next_step']).where('episode_id', '=', maiEpisode).executeTakeFirstOrThrow()
    assert.equal(pre.decided_at, null)
    assert.equal(pre.next_step, null)
  })

  test('choosing social care closes the episode with that outcome and shows the contact details again', async () => {
    const res = await referToSocialCare(maiEpisode, 'Unexplained bruising: referred to the front door by phone')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${maiEpisode}/pre-assessment/decision?done=decided`)
    const episode = await t.db.selectFrom('episodes').select(['status', 'closed_reason', 'closed_at']).where('id', '=', maiEpisode).executeTakeFirstOrThrow()
    assert.equal(episode.status, 'closed')
    assert.equal(episode.closed_reason, 'pre-assessment:social-care')
    assert.ok(episode.closed_at)
    const page = await practitioner.get(String(res.headers.location))
    assert.equal(page.statusCode, 200)
    const text = textOf(page.body)
    assert.match(text, /Next step Refer to children’s social care now/)
    assert.match(text, /Contact children’s social care now/)
    assert.ok(text.includes(textOf(contact)), 'the contact text is shown after deciding')
    assert.match(text, /Unexplained bruising: referred to the front door by phone/)
  })

  test('once referred to social care, a child (here Mai’s brother) can have a new CAF started', async () => {
    const referred = await startCaf(practitioner, ids.minhAnh)
    await saveSafetyConcern(referred, 'Minh Anh says he is scared to go home')
    assert.equal((await referToSocialCare(referred, 'Referred to the front door by phone')).statusCode, 303)
    const page = await practitioner.get(`/people/${ids.minhAnh}/start-caf`)
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(textOf(page.body), /already has an open CAF/)
    const again = await startCaf(practitioner, ids.minhAnh)
    assert.notEqual(again, referred)
    const rows = await episodeRowsOf(ids.minhAnh)
    assert.equal(rows.length, 2)
    assert.deepEqual(
      rows.filter((r) => r.episode_open).map((r) => r.episode_id),
      [again],
    )
  })
})

describe('completing the assessment', () => {
  let ids: { sarah: number; john: number; school: number }
  /** John's family CAF (John and Sarah), in the assessment with nothing filled in. */
  let johnEpisode: number

  before(async () => {
    const smiths = await family('Smith', 'Sarah', ['John'])
    ids = { sarah: smiths.mother.id, john: smiths.children[0]!.id, school: t.staff.agencies.school.id }
    johnEpisode = await startCaf(practitioner, ids.john, [ids.sarah])
    await preAssessToAssessment(practitioner, johnEpisode)
  })

  test('before anything is filled in, completing is refused and the error summary lists each missing item', async () => {
    const check = await practitioner.get(`/episodes/${johnEpisode}/assessment/check`)
    assert.equal(check.statusCode, 200)
    const res = await practitioner.post(`/episodes/${johnEpisode}/assessment/check`, {})
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#present', `#child-views-${ids.john}`, '#parent-views', '#conclusions', '#consent'])
    const summary = errorSummaryText(res.body)
    assert.match(summary, /Complete “Who was present and what led to the assessment”/)
    assert.match(summary, /Complete “John Smith’s views”/)
    assert.match(summary, /Complete “Parents’ or carers’ views”/)
    assert.match(summary, /Complete “Strengths, needs and what should change”/)
    assert.match(summary, /Record the family’s consent/)
    const row = await t.db.selectFrom('episodes').select(['status', 'assessment_completed_at']).where('id', '=', johnEpisode).executeTakeFirstOrThrow()
    assert.equal(row.status, 'assessment')
    assert.equal(row.assessment_completed_at, null)
  })

  test('with the sections done but consent refused, it still cannot be completed', async () => {
    await fillRequiredTasks(practitioner, johnEpisode, [ids.john], [ids.sarah, ids.john])
    const refused = await recordConsentDecision(practitioner, johnEpisode, 'refused', ids.sarah, [])
    assert.equal(refused.statusCode, 303, `recording the refusal: ${errorSummaryText(refused.body)}`)
    await practitioner.get(`/episodes/${johnEpisode}/assessment/check`)
    const res = await practitioner.post(`/episodes/${johnEpisode}/assessment/check`, {})
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#consent'])
    const row = await t.db.selectFrom('episodes').select(['status', 'assessment_completed_at']).where('id', '=', johnEpisode).executeTakeFirstOrThrow()
    assert.equal(row.status, 'assessment')
    assert.equal(row.assessment_completed_at, null)
  })

  test('once consent is given, the assessment completes', async () => {
    // The sections again (saved as they were), so that this test does not need the one before.
    await fillRequiredTasks(practitioner, johnEpisode, [ids.john], [ids.sarah, ids.john])
    const given = await recordConsent(practitioner, johnEpisode, ids.sarah, [ids.school])
    assert.equal(given.statusCode, 303)
    await practitioner.get(`/episodes/${johnEpisode}/assessment/check`)
    const res = await practitioner.post(`/episodes/${johnEpisode}/assessment/check`, {})
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${johnEpisode}?done=completed`)
    const row = await t.db.selectFrom('episodes').select(['status', 'assessment_completed_at']).where('id', '=', johnEpisode).executeTakeFirstOrThrow()
    assert.equal(row.status, 'assessment-complete')
    assert.ok(row.assessment_completed_at)
  })
})

describe('a completed assessment is locked: changes are amendments with a reason', () => {
  const BEFORE = 'Mum wants help with mornings'
  const AFTER = 'Mum wants help with mornings and with the school run on Fridays'
  const REASON = 'Sarah rang to add the Friday school run'

  /** A completed family CAF for a John Smith and his mum Sarah (a family of its own), consent naming the school. */
  async function completedJohnCaf(): Promise<{ john: number; episode: number }> {
    const smiths = await family('Smith', 'Sarah', ['John'])
    const [sarah, john] = [smiths.mother.id, smiths.children[0]!.id]
    return { john, episode: await completedCaf(practitioner, { child: john, others: [sarah], giver: sarah, agencies: [t.staff.agencies.school.id] }) }
  }

  let john: number
  let johnEpisode: number

  before(async () => {
    const caf = await completedJohnCaf()
    john = caf.john
    johnEpisode = caf.episode
  })

  test('saving a section without a reason is refused and nothing changes', async () => {
    const sectionsBefore = await sectionsOf(johnEpisode)
    const res = await saveTask(practitioner, johnEpisode, 'parent-views', { views: AFTER, differences: '', 'not-recorded': '', amendReason: '' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#amendReason'])
    assert.match(errorSummaryText(res.body), /Enter why you are changing the completed assessment/)
    assert.equal(textareaValue(res.body, 'views'), AFTER, 'what they typed is kept')
    assert.deepEqual(await sectionsOf(johnEpisode), sectionsBefore)
    assert.equal((await t.db.selectFrom('assessment_amendments').select('id').where('episode_id', '=', johnEpisode).execute()).length, 0)
  })

  test('with a reason it is saved as an amendment', async () => {
    const res = await saveTask(practitioner, johnEpisode, 'parent-views', { views: AFTER, differences: '', 'not-recorded': '', amendReason: REASON })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${johnEpisode}/assessment?done=amended`)
    const row = await t.db
      .selectFrom('assessment_sections')
      .select('data')
      .where('episode_id', '=', johnEpisode)
      .where('section', '=', 'parent-views')
      .executeTakeFirstOrThrow()
    assert.equal((row.data as { views: string }).views, AFTER)
    const episode = await t.db.selectFrom('episodes').select('status').where('id', '=', johnEpisode).executeTakeFirstOrThrow()
    assert.equal(episode.status, 'assessment-complete', 'still complete')
  })

  describe('once amended', () => {
    /** Another completed CAF, its parents' views amended for REASON. */
    let amended: number

    before(async () => {
      amended = (await completedJohnCaf()).episode
      const res = await saveTask(practitioner, amended, 'parent-views', { views: AFTER, differences: '', 'not-recorded': '', amendReason: REASON })
      assert.equal(res.statusCode, 303, 'amended')
    })

    test('the section page shows the amendment: reason, who, and what it said before and after', async () => {
      const page = await practitioner.get(`/episodes/${amended}/assessment/parent-views`)
      assert.equal(page.statusCode, 200)
      const text = textOf(page.body)
      assert.match(text, /Amendments to this section/)
      assert.ok(text.includes(`by ${t.staff.users.practitioner.fullName}`), 'who')
      assert.ok(text.includes(`Reason: ${REASON}`), 'the reason')
      assert.ok(text.includes(`Was: ${BEFORE} Now: ${AFTER}`), `before and after: ${text.slice(text.indexOf('Amendments'), text.indexOf('Amendments') + 500)}`)
    })

    test('the completed assessment page shows it too', async () => {
      const page = await practitioner.get(`/episodes/${amended}/assessment/check`)
      assert.equal(page.statusCode, 200)
      const text = textOf(page.body)
      assert.match(text, /The completed assessment/)
      assert.match(text, new RegExp(`Amendments since completion Parents’ or carers’ views: .*, by ${escapeRegExp(t.staff.users.practitioner.fullName)}`))
      assert.ok(text.includes(`Reason: ${REASON}`))
      assert.ok(text.includes(`Was: ${BEFORE} Now: ${AFTER}`))
    })
  })

  test("once it has a lead professional, starting another CAF for John shows the lead's contact details", async () => {
    await practitioner.get(`/episodes/${johnEpisode}/lead`)
    const lead = await practitioner.post(`/episodes/${johnEpisode}/lead`, { user: String(t.staff.users.practitioner.id), ...todayParts('agreed') })
    assert.equal(lead.statusCode, 303)
    const res = await practitioner.get(`/people/${john}/start-caf`)
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.match(text, /John Smith already has an open CAF/)
    assert.match(text, /Stage Assessment complete/)
    assert.ok(text.includes(`Lead professional ${practitionerContact()}`), 'the lead professional’s contact details')
  })
})

describe('two people editing the same section', () => {
  const FIRST = 'Thi Linh says mornings are the hardest: Mai wakes early'
  const SECOND = 'Thi Linh would like a nursery place for Mai so she can work'
  let coordinator: Client
  /** Minh Anh's CAF, in the assessment. */
  let minhEpisode: number

  before(async () => {
    minhEpisode = (await inAssessment()).episode
    coordinator = await t.staff.signIn(t.app, 'coordinator')
  })

  test('the second save is refused with 409, shows what the first saved, and keeps what the second typed', async () => {
    const url = `/episodes/${minhEpisode}/assessment/parent-views`
    const a = await practitioner.get(url)
    const b = await coordinator.get(url)
    assert.equal(a.statusCode, 200)
    assert.equal(b.statusCode, 200)
    const version = hiddenVersion(a.body)
    assert.ok(version !== undefined)
    assert.equal(hiddenVersion(b.body), version, 'both open the same version')

    const first = await practitioner.post(url, { version: version!, views: FIRST, differences: '', 'not-recorded': '' })
    assert.equal(first.statusCode, 303)

    const second = await coordinator.post(url, { version: version!, views: SECOND, differences: '', 'not-recorded': '' })
    assert.equal(second.statusCode, 409)
    assert.match(errorSummaryText(second.body), /Someone else changed this while you were editing it/)
    assert.equal(textareaValue(second.body, 'views'), SECOND, "the coordinator's text is still in the form")
    const stored = await t.db
      .selectFrom('assessment_sections')
      .select(['data', 'version'])
      .where('episode_id', '=', minhEpisode)
      .where('section', '=', 'parent-views')
      .executeTakeFirstOrThrow()
    assert.equal((stored.data as { views: string }).views, FIRST, 'the first save is not overwritten')
    assert.notEqual(String(stored.version), version)
    assert.equal(hiddenVersion(second.body), String(stored.version), 'the form now carries the saved version')
    const text = textOf(second.body)
    assert.ok(text.includes(`What ${t.staff.users.practitioner.fullName} saved at`), 'who saved first')
    assert.ok(text.includes(FIRST), "the first practitioner's saved text is shown, to compare with")
  })

  test("submitting the re-shown form saves the second person's text", async () => {
    const url = `/episodes/${minhEpisode}/assessment/parent-views`
    // A clash of its own, so that this test does not need the one before: both open it, the practitioner saves
    // first (a text not yet saved: saving what is there already changes nothing, and clashes with nobody).
    await practitioner.get(url)
    const version = hiddenVersion((await coordinator.get(url)).body) ?? ''
    assert.equal((await practitioner.post(url, { version, views: `${FIRST} and goes to bed late`, differences: '', 'not-recorded': '' })).statusCode, 303)
    assert.equal((await coordinator.post(url, { version, views: SECOND, differences: '', 'not-recorded': '' })).statusCode, 409)
    const fields = formFields(coordinator.last, url)
    assert.equal(fields.views, SECOND)
    const res = await coordinator.post(url, fields)
    assert.equal(res.statusCode, 303, `re-submitting: ${errorSummaryText(res.body)}`)
    const stored = await t.db
      .selectFrom('assessment_sections')
      .select(['data', 'updated_by'])
      .where('episode_id', '=', minhEpisode)
      .where('section', '=', 'parent-views')
      .executeTakeFirstOrThrow()
    assert.equal((stored.data as { views: string }).views, SECOND)
    assert.equal(stored.updated_by, t.staff.users.coordinator.id)
  })
})

describe('long narratives are kept whole', () => {
  let ids: { minhAnh: number }
  /** Minh Anh's CAF, in the assessment. */
  let minhEpisode: number

  before(async () => {
    const caf = await inAssessment()
    ids = { minhAnh: caf.child }
    minhEpisode = caf.episode
  })

  test('a 20,000-character narrative saves and is shown complete on the section and check pages', async () => {
    const marker = 'END-OF-NARRATIVE-7f3a9c'
    const paragraph = 'Minh Anh is settled at school and enjoys football with his friends; his teacher says he reads well for his age.'
    // Paragraphs as a browser sends them (CRLF); 20,000 characters once stored with plain newlines.
    const paragraphs: string[] = []
    while (paragraphs.join('\n\n').length < 20_000) paragraphs.push(`${paragraphs.length + 1}. ${paragraph}`)
    const body = paragraphs
      .join('\n\n')
      .slice(0, 20_000 - marker.length - 1)
      .trimEnd()
      .padEnd(20_000 - marker.length - 1, '.')
    const stored = `${body} ${marker}`
    assert.equal(stored.length, 20_000)
    const typed = stored.replace(/\n/g, '\r\n')
    const task = `domain-child-${ids.minhAnh}`
    const res = await saveTask(practitioner, minhEpisode, task, { 'general-health-narrative': typed })
    assert.equal(res.statusCode, 303, `saving: ${errorSummaryText(res.body)}`)
    const row = await t.db
      .selectFrom('assessment_sections')
      .select('data')
      .where('episode_id', '=', minhEpisode)
      .where('section', '=', 'domain-child')
      .where('subject_id', '=', ids.minhAnh)
      .executeTakeFirstOrThrow()
    assert.equal((row.data as Record<string, string>)['general-health-narrative'], stored)

    const section = await practitioner.get(`/episodes/${minhEpisode}/assessment/${task}`)
    assert.equal(section.statusCode, 200)
    assert.equal(textareaValue(section.body, 'general-health-narrative'), stored, 'the whole narrative is in the form')

    const check = await practitioner.get(`/episodes/${minhEpisode}/assessment/check`)
    assert.equal(check.statusCode, 200)
    assert.ok(textOf(check.body).includes(textOf(stored)), 'the whole narrative, up to its marker, is on the check page')
  })

  test('one character more is refused, not cut short', async () => {
    const task = `domain-child-${ids.minhAnh}`
    const sectionsBefore = await sectionsOf(minhEpisode)
    const res = await saveTask(practitioner, minhEpisode, task, { 'general-health-narrative': 'B'.repeat(20_001) })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#general-health-narrative'])
    assert.match(errorSummaryText(res.body), /General health must be 20,000 characters or fewer/)
    assert.deepEqual(await sectionsOf(minhEpisode), sectionsBefore)
  })
})

describe('bad input on a section is refused with the typed text kept', () => {
  let ids: { minhAnh: number }
  /** Minh Anh's CAF, in the assessment, with his development section saved once (version 1). */
  let minhEpisode: number

  before(async () => {
    const caf = await inAssessment()
    ids = { minhAnh: caf.child }
    minhEpisode = caf.episode
    const saved = await saveTask(practitioner, minhEpisode, `domain-child-${ids.minhAnh}`, { 'general-health-narrative': 'Often tired in the mornings' })
    assert.equal(saved.statusCode, 303, 'the section saved once')
  })

  const TYPED = 'Minh Anh has had three ear infections since September'
  const task = () => `domain-child-${ids.minhAnh}`
  const url = () => `/episodes/${minhEpisode}/assessment/${task()}`

  async function refused(form: Record<string, string>, expectHref: string, expectText: RegExp) {
    const sectionsBefore = await sectionsOf(minhEpisode)
    const page = await practitioner.get(url())
    const version = hiddenVersion(page.body)!
    const res = await practitioner.post(url(), { version, 'physical-development-narrative': TYPED, ...form })
    assert.equal(res.statusCode, 400)
    const hrefs = errorSummaryHrefs(res.body)
    assert.ok(hrefs.includes(expectHref), `the error summary links to ${expectHref}: ${hrefs.join(' ')}`)
    assert.match(errorSummaryText(res.body), expectText)
    assert.equal(textareaValue(res.body, 'physical-development-narrative'), TYPED, 'the narrative typed is kept')
    assert.deepEqual(await sectionsOf(minhEpisode), sectionsBefore, 'nothing saved')
    return res
  }

  test('an unknown field', async () => {
    await refused({ 'shoe-size': '4' }, '#main-content', /information in it that we did not expect/)
  })

  test('a score out of range', async () => {
    await refused({ 'physical-development-practitioner': '11' }, '#physical-development-practitioner', /score must be a number from 1 to 10/)
  })

  test('a score that is not a number', async () => {
    await refused({ 'physical-development-family': 'ten' }, '#physical-development-family', /score must be a number from 1 to 10/)
  })

  test('a version that is not a number', async () => {
    await refused({ version: 'abc' }, '#main-content', /We could not read the form/)
  })

  test('after all that, the section still holds only what was saved before', async () => {
    const row = await t.db
      .selectFrom('assessment_sections')
      .select(['data', 'version'])
      .where('episode_id', '=', minhEpisode)
      .where('section', '=', 'domain-child')
      .executeTakeFirstOrThrow()
    assert.equal((row.data as Record<string, unknown>)['physical-development-narrative'], null)
    assert.equal(row.version, 1)
  })
})
