import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { closeEpisode } from '../../src/features/closure/use-cases.ts'
import { withdrawConsent } from '../../src/features/episodes/consent.ts'
import { runFigure, type FigureContext } from '../../src/features/reports/figure.ts'
import { closureReasons, consentTypes, flow, rate } from '../../src/features/reports/episodes-report.ts'
import { reportScope } from '../../src/policies/reports.ts'
import type { Actor } from '../../src/web/actor.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { inputValue } from '../helpers/people.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The episodes report's figures, from episodes made through the use cases and moved to known days
 * around a period (1 April to 30 June 2026): the first and last days, and just outside them.
 */

let t: TestApp
let staff: Staff
let otherLocality: number
let housingWorker: Actor
const PERIOD = { from: '2026-04-01', to: '2026-06-30' }

/** Sets an episode's moments, each at a UK time on a day ("2026-06-30 23:30"). */
async function move(id: number, at: { created?: string; assessed?: string; closed?: string }) {
  const ts = (s: string) => sql`(${s}::timestamp at time zone 'Europe/London')`
  if (at.created) await sql`update episodes set created_at = ${ts(at.created)} where id = ${id}`.execute(t.db)
  if (at.assessed) await sql`update episodes set assessment_started_at = ${ts(at.assessed)} where id = ${id}`.execute(t.db)
  if (at.closed) await sql`update episodes set closed_at = ${ts(at.closed)} where id = ${id}`.execute(t.db)
}

async function episode(by: Actor, at: { created: string; assessed: string; closed?: string }, opts: { lead?: boolean } = {}) {
  const { id } = await buildEpisode(t.db, by, { consentedAgencies: [staff.agencies.school.id], lead: opts.lead ?? false })
  if (at.closed) {
    if (!opts.lead) throw new Error('only a lead closes an episode')
    await closeEpisode(t.db, by, id, { reason: 'needs-met', summary: 'Things are better.', openOutcomesReason: 'Done' })
  }
  await move(id, at)
  return id
}

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  otherLocality = (await t.db.insertInto('localities').values({ la_id: staff.la.id, name: 'Northside' }).returning('id').executeTakeFirstOrThrow()).id
  const housing = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.housing.id })
  housingWorker = actorOf(housing, staff.agencies.housing.id)
  const school = staff.actor('practitioner')

  // Assessed on the first day; started before the period; open at its end.
  await episode(school, { created: '2026-03-20 10:00', assessed: '2026-04-01 00:10' }, { lead: true })
  // Started and assessed in the period, closed on its last evening (British Summer Time).
  await episode(school, { created: '2026-05-10 09:00', assessed: '2026-05-11 09:00', closed: '2026-06-30 23:30' }, { lead: true })
  // Started at the end of the period, closed just after midnight: open at the end.
  const late = await episode(school, { created: '2026-06-15 09:00', assessed: '2026-06-16 09:00', closed: '2026-07-01 00:30' }, { lead: true })
  // After the period, and before it: not counted.
  await episode(school, { created: '2026-07-01 00:05', assessed: '2026-07-02 09:00' })
  await episode(school, { created: '2026-01-10 09:00', assessed: '2026-01-12 09:00', closed: '2026-03-31 23:59' }, { lead: true })
  // Housing's, in another locality.
  const northside = await episode(housingWorker, { created: '2026-05-01 09:00', assessed: '2026-05-02 09:00' })
  await sql`update episodes set locality_id = ${otherLocality} where id = ${northside}`.execute(t.db)

  // Consent recorded in the period, one since withdrawn; the rest was recorded today, outside it.
  await sql`update consents set given_on = '2026-05-11' where episode_id in (${late}, ${northside})`.execute(t.db)
  await withdrawConsent(t.db, housingWorker, northside, '2026-06-01', 'The family moved on')

  await t.db.insertInto('child_population').values({ la_id: staff.la.id, year: 2026, population: 30_000, target_per_10000: 58.9 }).execute()
})
after(() => t?.close())

const ctx = (actor: Actor, localityId: number | null = null): FigureContext => ({
  scope: reportScope(actor),
  filters: { period: PERIOD, localityId },
  today: '2026-12-01',
})
const table = async (f: Parameters<typeof runFigure>[1], c: FigureContext, key: string) => {
  const found = (await runFigure(t.db, f, c)).find((x) => x.key === key)
  assert.ok(found, `the figure should make the table ${key}`)
  return found
}
const summary = async (c: FigureContext) => Object.fromEntries((await table(flow, c, 'summary')).rows.map((r) => [r.what, r.n]))

describe('episodes started, open and closed', () => {
  test('the council: boundaries of the period in UK time, the last evening and the first minutes after it', async () => {
    assert.deepEqual(await summary(ctx(staff.actor('coordinator'))), {
      'Episodes started': 2 + 1,
      'Assessments started': 3 + 1,
      'Open at the end': 2 + 1,
      Closed: 1,
    })
  })

  test('by locality, by the initiating agency’s type and by the lead professional’s', async () => {
    const hub = ctx(staff.actor('coordinator'))
    const byLocality = (await table(flow, hub, 'by-locality')).rows.map((r) => [r.label, r.started, r.assessed, r.open, r.closed])
    assert.deepEqual(byLocality, [
      [staff.locality.name, 2, 3, 2, 1],
      ['Northside', 1, 1, 1, 0],
    ])
    const byInitiator = (await table(flow, hub, 'by-initiator')).rows.map((r) => [r.label, r.assessed])
    assert.deepEqual(byInitiator, [
      ['Primary school', 3],
      ['Housing', 1],
    ])
    const byLead = Object.fromEntries((await table(flow, hub, 'by-lead')).rows.map((r) => [r.label, r.assessed]))
    assert.deepEqual(byLead, { 'Primary school': 3, 'No lead professional yet': 1 })
  })

  test('a locality chosen counts only its episodes', async () => {
    assert.deepEqual(await summary(ctx(staff.actor('coordinator'), otherLocality)), {
      'Episodes started': 1,
      'Assessments started': 1,
      'Open at the end': 1,
      Closed: 0,
    })
  })

  test('a manager counts only their agency’s work', async () => {
    const manager = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.housing.id, roles: ['manager'] })
    assert.deepEqual(await summary(ctx(actorOf(manager, staff.agencies.housing.id, ['manager']))), {
      'Episodes started': 1,
      'Assessments started': 1,
      'Open at the end': 1,
      Closed: 0,
    })
    const elsewhere = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.police.id, roles: ['manager'] })
    const none = await summary(ctx(actorOf(elsewhere, staff.agencies.police.id, ['manager'])))
    assert.deepEqual(Object.values(none), [0, 0, 0, 0], 'a manager of an agency with no part in any episode counts none')
  })
})

test('assessments started per 10,000 children, against the year’s target and the period’s share of it', async () => {
  const [row] = (await table(rate, ctx(staff.actor('coordinator')), 'rate')).rows
  assert.equal(row!.assessed, 4)
  assert.equal(row!.population, 30_000)
  assert.equal((row!.rate as number).toFixed(3), ((4 / 30_000) * 10_000).toFixed(3))
  assert.equal(row!.target, 58.9)
  assert.equal((row!.prorata as number).toFixed(2), ((58.9 * 91) / 365).toFixed(2), '91 days of 365')

  const forManager = await table(rate, ctx(staff.actor('manager')), 'rate')
  assert.deepEqual(forManager.rows, [], 'a rate for the whole council is not a manager’s agency’s figure')
})

test('consent recorded in the period, by who gave it and how, and those since withdrawn', async () => {
  const rows = (await table(consentTypes, ctx(staff.actor('coordinator')), 'consent')).rows
  assert.deepEqual(rows, [{ type: 'Given in writing by a parent or carer with parental responsibility', n: 2, withdrawn: 1 }])
})

test('why episodes closed, in the period only', async () => {
  const rows = (await table(closureReasons, ctx(staff.actor('coordinator')), 'closure')).rows
  assert.deepEqual(rows, [{ reason: 'Needs met', n: 1 }])
})

describe('the page and its downloads', () => {
  const query = 'from-day=1&from-month=4&from-year=2026&to-day=30&to-month=6&to-year=2026'

  test('the hub reads the figures for the period in the address', async () => {
    const client = await staff.signIn(t.app, 'coordinator')
    const res = await client.get(`/reports/episodes?${query}`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['cache-control'], 'no-store')
    assert.deepEqual(tableRows(res.body, 'Episodes in the period: the numbers'), [
      ['Episodes started', '3'],
      ['Assessments started', '4'],
      ['Open at the end', '3'],
      ['Closed', '1'],
    ])
    assert.match(res.body, /<svg class="app-chart app-chart--bars"[^>]*role="img"/, 'each chart is an image with a title and description')
  })

  test('a download shows small counts as "fewer than 5", and the share worked from one is hidden with it', async () => {
    const client = await staff.signIn(t.app, 'coordinator')
    const csv = await client.get(`/reports/episodes.csv?${query}&table=summary`)
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="episodes-summary-2026-04-01-to-2026-06-30.csv"/)
    assert.equal(
      csv.body,
      '"What","Number"\r\n"Episodes started","fewer than 5"\r\n"Assessments started","fewer than 5"\r\n"Open at the end","fewer than 5"\r\n"Closed","fewer than 5"\r\n',
    )
    const rateCsv = await client.get(`/reports/episodes.csv?${query}&table=rate`)
    assert.match(rateCsv.body, /"fewer than 5","30000","not shown \(fewer than 5\)","58.9"/)

    await t.db.updateTable('caf_settings').set({ small_number_threshold: 3 }).where('la_id', '=', staff.la.id).execute()
    const lower = await client.get(`/reports/episodes.csv?${query}&table=summary`)
    assert.match(lower.body, /"Assessments started","4"/, 'at a threshold of 3, four is shown')
    assert.match(lower.body, /"Closed","fewer than 3"/)
    await t.db.updateTable('caf_settings').set({ small_number_threshold: 5 }).where('la_id', '=', staff.la.id).execute()
  })

  test('the whole report downloads as a workbook', async () => {
    const client = await staff.signIn(t.app, 'coordinator')
    const res = await client.get(`/reports/episodes.xlsx?${query}`)
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    assert.equal(res.rawPayload.subarray(0, 2).toString(), 'PK', 'an XLSX file is a zip')
  })

  for (const [bad, field] of [
    ['from-day=31&from-month=2&from-year=2026&to-day=1&to-month=3&to-year=2026', '#from-day'],
    ['from-day=1&from-month=5&from-year=2026&to-day=1&to-month=4&to-year=2026', '#to-day'],
    ['from-day=1&from-month=1&from-year=2010&to-day=1&to-month=1&to-year=2026', '#to-day'],
    [`${query}&locality=999999`, '#locality'],
    [`${query}&locality=%27%3B+drop+table+episodes`, '#locality'],
  ] as const) {
    test(`a bad filter (${bad}) is a 400 with the error summary, the input kept`, async () => {
      const client = await staff.signIn(t.app, 'coordinator')
      for (const path of ['/reports/episodes', '/reports/episodes.csv', '/reports/episodes.xlsx']) {
        const res = await client.get(`${path}?${bad}&table=summary`)
        assert.equal(res.statusCode, 400, path)
        assert.deepEqual(errorSummaryHrefs(res.body), [field])
        const typed = new URLSearchParams(bad)
        assert.equal(inputValue(res.body, 'from-year'), typed.get('from-year'), 'what was typed is kept')
      }
    })
  }

  test('only the hub, managers and the data team see reports; an unknown table is not found', async () => {
    const practitioner = await staff.signIn(t.app, 'practitioner')
    assert.equal((await practitioner.get('/reports/episodes')).statusCode, 403)
    const hub = await staff.signIn(t.app, 'coordinator')
    assert.equal((await hub.get(`/reports/episodes.csv?${query}&table=nothing`)).statusCode, 404)
  })
})
