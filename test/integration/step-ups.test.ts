import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { buildPackage } from '../../src/features/social-care/package.ts'
import { decideStepUp, requestStepUp, StepUpRefused } from '../../src/features/social-care/step-ups.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { Forbidden, NotFound, WrongStage } from '../../src/web/outcome.ts'
import { addWorkingDays } from '../../src/web/working-days.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { queuesOf } from '../helpers/queues.ts'
import { planAction } from '../helpers/services.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * A step up: the lead professional asks social care to take a family on; the episode stays open,
 * waiting, with its information sent as a package social care reads at once; social care decides within
 * the council's working days: accepted (the episode closes as stepped up) or not (early help carries on).
 */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const lead = () => staff.actor('practitioner')
const social = () => staff.actor('socialCare')
const hub = () => staff.actor('coordinator')
const ASK = { reason: 'Neglect has grown despite the plan', risks: 'Amelia is often hungry; no heating at home' }
const URL = 'https://caf.example'

/** An episode with a plan, led by the practitioner, sharing with the school. */
async function ledEpisode() {
  const built = await buildEpisode(t.db, lead(), { consentedAgencies: [staff.agencies.school.id], lead: true })
  await planAction(t.db, lead(), built.id)
  return built
}
const stage = async (id: number) =>
  await t.db.selectFrom('episodes').select(['status', 'closed_reason', 'next_review_on']).where('id', '=', id).executeTakeFirstOrThrow()
const stepUpRow = (id: number) => t.db.selectFrom('step_ups').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const mailTo = (email: string) => t.db.selectFrom('mail_outbox').select(['subject', 'body_text']).where('to_address', '=', email).orderBy('id').execute()

describe('asking for a step up', () => {
  test('keeps the episode open, waiting for social care, with a package of its information and a decision due in one working day', async () => {
    const { id, child } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    assert.equal((await stage(id)).status, 'stepping-up')
    const row = await stepUpRow(stepUp)
    assert.equal(row.status, 'waiting')
    assert.equal(row.from_stage, 'plan-active')
    assert.equal(row.decide_by, addWorkingDays(today(), 1))
    const pkg = row.package as {
      people: { name: string; role: string }[]
      sections: { heading: string }[]
      chronology: { what: string }[]
      lead: { name: string }
    }
    assert.ok(
      pkg.people.some((p) => p.role === 'child' && p.name.includes(child.name.split(' ')[0]!)),
      'the child is in the package',
    )
    const headings = pkg.sections.map((s) => s.heading)
    for (const h of ['Why early help started', 'The plan', 'Consent', 'The Team Around the Family'])
      assert.ok(headings.includes(h), `${h} in ${headings.join(', ')}`)
    assert.ok(
      headings.some((h) => h.startsWith('Assessment: ')),
      'the assessment is in the package',
    )
    assert.ok(
      pkg.chronology.some((c) => c.what === 'Stage: Plan active'),
      'the chronology has the stages',
    )
    assert.equal(pkg.lead.name, staff.users.practitioner.fullName)

    const mail = await mailTo(staff.users.socialCare.email)
    assert.equal(mail.length, 1, 'social care is told')
    assert.match(mail[0]!.body_text, new RegExp(`/step-ups/${stepUp}`))
    assert.ok(!mail[0]!.body_text.includes(child.name.split(' ')[0]!), 'the email names no one in the family')
  })

  test('only the lead professional or the hub may ask, and only once the assessment is complete; one step up waits at a time', async () => {
    const { id } = await ledEpisode()
    const colleague = (agency: 'school' | 'gp') =>
      buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies[agency].id }).then((u) => actorOf(u, staff.agencies[agency].id))
    await assert.rejects(requestStepUp(t.db, await colleague('school'), id, ASK, URL), Forbidden, 'the consented school reads it, and does not lead')
    await assert.rejects(requestStepUp(t.db, await colleague('gp'), id, ASK, URL), NotFound, 'a practitioner with no part in it cannot see it')
    await requestStepUp(t.db, hub(), id, ASK, URL)
    await assert.rejects(requestStepUp(t.db, lead(), id, ASK, URL), WrongStage, 'one waits already')
  })

  test('social care reads the request and the package at once; the lead reads it too; a practitioner with no part in it is told there is no such page', async () => {
    const { id, child } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    const sc = await staff.signIn(t.app, 'socialCare')
    const page = textOf((await sc.get(`/step-ups/${stepUp}`)).body)
    assert.match(page, /Waiting for social care’s decision/)
    assert.match(page, /Neglect has grown despite the plan/)
    assert.match(page, /The family’s early help information/)
    assert.ok(page.includes(child.name.split(' ')[0]!), 'the package names the child')
    assert.match(page, /Does social care accept the step up\?/)
    const own = textOf((await (await staff.signIn(t.app, 'practitioner')).get(`/step-ups/${stepUp}`)).body)
    assert.doesNotMatch(own, /Does social care accept/, 'the lead reads it but does not decide')
    const stranger = await buildColleague(t.db, t.app, staff, 'gp')
    const res = await stranger.client.get(`/step-ups/${stepUp}`)
    assert.equal(res.statusCode, 404)
    assert.ok(!res.body.includes(child.name.split(' ')[0]!))
  })
})

describe('social care’s decision', () => {
  test('accepted: the episode closes as stepped up from the day social care took the family on; no follow-up calls; early help is told', async () => {
    const { id } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    await decideStepUp(t.db, social(), stepUp, { accepted: true, takenOn: today() }, URL)
    assert.deepEqual(await stage(id), { status: 'closed', closed_reason: 'stepped-up', next_review_on: null })
    const row = await stepUpRow(stepUp)
    assert.equal(row.status, 'accepted')
    assert.equal(row.taken_on, today())
    assert.equal(row.decided_by, staff.users.socialCare.id)
    assert.equal((await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', id).execute()).length, 0)
    assert.match((await mailTo(staff.users.practitioner.email)).at(-1)!.subject, /accepted/)
    await assert.rejects(decideStepUp(t.db, social(), stepUp, { accepted: false, reason: 'x', advice: null }, URL), StepUpRefused, 'decided once')
  })

  test('not accepted: the episode goes back to its plan, with the reason and advice on its page, keeping its next review', async () => {
    const { id } = await ledEpisode()
    const before = (await stage(id)).next_review_on
    assert.ok(before, 'the plan set a review')
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    await decideStepUp(
      t.db,
      social(),
      stepUp,
      { accepted: false, reason: 'Below threshold: no significant harm', advice: 'Refer to the parenting course' },
      URL,
    )
    assert.deepEqual(await stage(id), { status: 'plan-active', closed_reason: null, next_review_on: before })
    const page = textOf((await (await staff.signIn(t.app, 'practitioner')).get(`/episodes/${id}`)).body)
    assert.match(page, /Below threshold: no significant harm/)
    assert.match(page, /Advice: Refer to the parenting course/)
  })

  test('not accepted after a review stepped up (no next review set): the next review is due four weeks later', async () => {
    const { id } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    await sql`update episodes set next_review_on = null where id = ${id}`.execute(t.db)
    await decideStepUp(t.db, social(), stepUp, { accepted: false, reason: 'Below threshold', advice: null }, URL)
    assert.equal((await stage(id)).next_review_on, addDays(today(), 28))
  })

  test('only social care decides: not the hub, not the lead', async () => {
    const { id } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    await assert.rejects(decideStepUp(t.db, hub(), stepUp, { accepted: true, takenOn: today() }, URL), Forbidden)
    await assert.rejects(decideStepUp(t.db, lead(), stepUp, { accepted: true, takenOn: today() }, URL), Forbidden)
    assert.equal((await stage(id)).status, 'stepping-up')
  })

  test('is listed on the hub’s desk as overdue the day after it was due, not on the day', async () => {
    const { id } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    await sql`update step_ups set decide_by = ${today()}::date where id = ${stepUp}`.execute(t.db)
    assert.equal((await queuesOf(t.db, staff.la.id, id)).get('step-ups'), undefined, 'due today: not overdue')
    await sql`update step_ups set decide_by = ${addDays(today(), -1)}::date where id = ${stepUp}`.execute(t.db)
    assert.deepEqual((await queuesOf(t.db, staff.la.id, id)).get('step-ups'), [{ dueOn: addDays(today(), -1), itemId: stepUp, note: null }])
  })
})

describe('the forms', () => {
  test('the step-up form refuses hostile or empty answers with the error summary, keeps what was typed, and saves nothing', async () => {
    const { id } = await ledEpisode()
    const client = await staff.signIn(t.app, 'practitioner')
    const cases: [Record<string, string>, string[]][] = [
      [{ reason: '', risks: '' }, ['#reason', '#risks']],
      [{ reason: '   ', risks: 'Hungry' }, ['#reason']],
      [{ reason: 'x'.repeat(20_001), risks: 'Hungry' }, ['#reason']],
      [{ reason: 'Why', risks: 'Hungry', extra: 'field' }, ['#main-content']],
      [{ reason: 'Why\u0000', risks: 'Hungry' }, ['#reason']],
    ]
    for (const [body, hrefs] of cases) {
      await client.get(`/episodes/${id}/step-up`)
      const res = await client.post(`/episodes/${id}/step-up`, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80))
      assert.deepEqual(errorSummaryHrefs(res.body), hrefs, JSON.stringify(body).slice(0, 80))
      if (body.risks === 'Hungry') assert.match(res.body, /Hungry/)
    }
    assert.equal((await t.db.selectFrom('step_ups').select('id').where('episode_id', '=', id).execute()).length, 0)
    assert.equal((await stage(id)).status, 'plan-active')
  })

  test('the decision form refuses a missing decision, a day before the request or in the future, and "no" without a reason', async () => {
    const { id } = await ledEpisode()
    const stepUp = await requestStepUp(t.db, lead(), id, ASK, URL)
    const sc = await staff.signIn(t.app, 'socialCare')
    const day = (iso: string) => ({ 'taken-day': String(Number(iso.slice(8))), 'taken-month': String(Number(iso.slice(5, 7))), 'taken-year': iso.slice(0, 4) })
    const cases: [Record<string, string>, string][] = [
      [{}, '#decision'],
      [{ decision: 'maybe' }, '#decision'],
      [{ decision: 'accepted' }, '#taken-day'],
      [{ decision: 'accepted', ...day(addDays(today(), -1)) }, '#taken-day'],
      [{ decision: 'accepted', ...day(addDays(today(), 1)) }, '#taken-day'],
      [{ decision: 'accepted', 'taken-day': '31', 'taken-month': '2', 'taken-year': '2026' }, '#taken-day'],
      [{ decision: 'not-accepted', advice: 'Try the parenting course' }, '#notAcceptedReason'],
    ]
    for (const [body, href] of cases) {
      await sc.get(`/step-ups/${stepUp}`)
      const res = await sc.post(`/step-ups/${stepUp}/decision`, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.deepEqual(errorSummaryHrefs(res.body), [href], JSON.stringify(body))
      if (body.advice) assert.match(res.body, /Try the parenting course/)
    }
    assert.equal((await stepUpRow(stepUp)).status, 'waiting')
    assert.equal((await stage(id)).status, 'stepping-up')
  })
})

test('a package is built for the actor who sends it, naming them and the council', async () => {
  const { id } = await ledEpisode()
  const pkg = await buildPackage(t.db, lead(), id)
  assert.equal(pkg.sentBy.name, staff.users.practitioner.fullName)
  assert.equal(pkg.council.code, (await t.db.selectFrom('local_authorities').select('code').where('id', '=', staff.la.id).executeTakeFirstOrThrow()).code)
  assert.equal(pkg.episode.id, id)
})
