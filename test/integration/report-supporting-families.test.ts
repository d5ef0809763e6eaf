import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { saveSection } from '../../src/features/assessment/use-cases.ts'
import { closeEpisode, recordFollowUp } from '../../src/features/closure/use-cases.ts'
import { runFigure } from '../../src/features/reports/figure.ts'
import { supportingFamilies } from '../../src/features/reports/supporting-families-report.ts'
import { reportScope } from '../../src/policies/reports.ts'
import type { SupportingFamiliesHeadline } from '../../src/db/schema.ts'
import { today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { buildEpisode, buildPerson, householdOf } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Supporting Families: needs put under headlines in the assessment; the families that meet the
 * whole-family criteria, and whether their outcomes were sustained at the six-month call.
 */

let t: TestApp
let staff: Staff
const lead = () => staff.actor('practitioner')
const names: Record<string, string> = {}

/** The assessment's needs corrected to sit under these headlines, then the plan started from them. */
async function needsUnder(episode: number, headlines: SupportingFamiliesHeadline[]) {
  const version = (
    await t.db
      .selectFrom('assessment_sections')
      .select('version')
      .where('episode_id', '=', episode)
      .where('section', '=', 'conclusions')
      .executeTakeFirstOrThrow()
  ).version
  const needs = Object.fromEntries(
    headlines.flatMap((h, i) => [
      [`needs-${i + 1}-need`, `Need ${i + 1}`],
      [`needs-${i + 1}-term`, 'short'],
      [`needs-${i + 1}-outcome`, `Outcome ${i + 1}`],
      [`needs-${i + 1}-headline`, h],
    ]),
  )
  const saved = await saveSection(
    t.db,
    lead(),
    episode,
    'conclusions',
    { strengths: 'A loving family.', ...needs },
    { version, amendReason: 'Needs put under headlines' },
  )
  assert.notEqual(saved.type, 'invalid')
  await planAction(t.db, lead(), episode)
}

async function family(key: string, opts: { lead: boolean; headlines: SupportingFamiliesHeadline[] }) {
  const child = await buildPerson(t.db, lead(), { givenName: `Child${key}`, familyName: 'Family' })
  names[key] = `Child${key} Family`
  const { id } = await buildEpisode(t.db, lead(), {
    consentedAgencies: [staff.agencies.school.id],
    family: await householdOf(t.db, lead(), [child]),
    lead: opts.lead,
  })
  if (opts.headlines.length) await needsUnder(id, opts.headlines)
  return id
}

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  // Three headlines, with a lead: in. Called at six months, the change had lasted.
  const sustained = await family('A', { lead: true, headlines: ['education', 'housing', 'health'] })
  await closeEpisode(t.db, lead(), sustained, { reason: 'needs-met', summary: 'Better.', openOutcomesReason: 'The plan’s work is done.' })
  const call = await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', sustained).where('months', '=', 6).executeTakeFirstOrThrow()
  await sql`update follow_ups set due_on = current_date where id = ${call.id}`.execute(t.db)
  await recordFollowUp(t.db, lead(), sustained, call.id, {
    contactedOn: today(),
    stayedBetter: 'yes',
    stayedBetterWords: null,
    recommend: 'yes',
    couldBeBetter: null,
  })
  // Four needs under three headlines, not yet called: in.
  await family('B', { lead: true, headlines: ['crime', 'domestic-abuse', 'crime', 'financial-stability'] })
  // Two headlines (one twice): out.
  await family('C', { lead: true, headlines: ['education', 'education', 'housing'] })
})
after(() => t?.close())

test('families with needs under three or more headlines, a lead and a whole-family plan, and whether it lasted at six months', async () => {
  const tables = await runFigure(t.db, supportingFamilies, {
    scope: reportScope(staff.actor('coordinator')),
    filters: { period: { from: today(), to: today() }, localityId: null },
    today: today(),
  })
  const summary = tables.find((x) => x.key === 'summary')!.rows.map((r) => [r.what, r.n])
  assert.deepEqual(summary, [
    ['Meeting the whole-family criteria', 2],
    ['Called six months after closing', 1],
    ['Outcomes sustained at six months', 1],
  ])
  const families = tables.find((x) => x.key === 'families')!.rows.map((r) => [r.children, r.headlines, r.sixMonths])
  assert.deepEqual(families, [
    [names.A, 'Getting a good education; Improved mental and physical health; Secure housing', 'Sustained'],
    [names.B, 'Crime prevention and tackling crime; Safe from domestic abuse; Financial stability', 'Not called yet'],
  ])
})

test('the assessment form keeps a need’s headline, and refuses one not on the list', async () => {
  const client = await staff.signIn(t.app, 'practitioner')
  const child = await buildPerson(t.db, lead())
  const { id } = await buildEpisode(t.db, lead(), {
    consentedAgencies: [staff.agencies.school.id],
    family: await householdOf(t.db, lead(), [child]),
    lead: true,
  })
  const form = await client.get(`/episodes/${id}/assessment/conclusions`)
  assert.match(form.body, /<option value="housing">Secure housing<\/option>/)
  const version = /name="version" value="(\d+)"/.exec(form.body)![1]!
  const refused = await client.post(`/episodes/${id}/assessment/conclusions`, {
    version,
    amendReason: 'Headline',
    strengths: 'Kind',
    'needs-1-need': 'Rent arrears',
    'needs-1-term': 'short',
    'needs-1-outcome': 'Rent paid',
    'needs-1-headline': 'wealth',
  })
  assert.equal(refused.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(refused.body), ['#needs-1-headline'])
  const saved = await client.post(`/episodes/${id}/assessment/conclusions`, {
    version,
    amendReason: 'Headline',
    strengths: 'Kind',
    'needs-1-need': 'Rent arrears',
    'needs-1-term': 'short',
    'needs-1-outcome': 'Rent paid',
    'needs-1-headline': 'housing',
  })
  assert.equal(saved.statusCode, 303)
  const again = await client.get(`/episodes/${id}/assessment/conclusions`)
  assert.match(again.body, /<option value="housing" selected>Secure housing<\/option>/)
})

test('the list names children, so its page is audited; a practitioner cannot see it', async () => {
  const hub = await staff.signIn(t.app, 'coordinator')
  const page = await hub.get('/reports/supporting-families')
  assert.equal(page.statusCode, 200)
  assert.ok(tableRows(page.body, 'The families, for the council’s claim: the numbers').some((r) => r[1] === names.A))
  const audited = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('action', '=', 'reports.families-listed')
    .where('actor_user_id', '=', staff.users.coordinator.id)
    .execute()
  assert.equal(audited.length, 1)
  assert.equal((await (await staff.signIn(t.app, 'practitioner')).get('/reports/supporting-families')).statusCode, 403)
})
