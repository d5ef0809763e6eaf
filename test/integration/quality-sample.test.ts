import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { draw, drawSample, type SampleRules } from '../../src/features/quality/sample.ts'
import { addDays, dateParts, today } from '../../src/web/dates.ts'
import { Forbidden } from '../../src/web/outcome.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { tableRows } from '../helpers/html.ts'
import { backdate, startedEpisode } from '../helpers/queues.ts'
import { buildLocality, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Drawing a sample to audit: the same seed and rules draw the same episodes; a stratified draw shares
 * the sample among localities (or agencies) in proportion; only the stages and period asked for count.
 */

let t: TestApp
let staff: Staff
/** Nine completed CAFs started in the council's own locality, three in the north. */
let home: number[]
let north: number[]
let northName: string

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  const northLocality = await buildLocality(t.db, staff)
  northName = northLocality.locality.name
  home = []
  north = []
  for (let i = 0; i < 9; i++) home.push((await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })).id)
  for (let i = 0; i < 3; i++) north.push((await buildEpisode(t.db, northLocality.actor, { consentedAgencies: [northLocality.agency.id] })).id)
})
after(() => t?.close())

const hub = () => staff.actor('coordinator')
const RULES: SampleRules = { from: addDays(today(), -30), to: today(), size: 4, stages: ['assessment-complete'], stratifyBy: 'none' }
const drawnIds = async (sampleId: number) =>
  (await t.db.selectFrom('qa_sample_episodes').select('episode_id').where('sample_id', '=', sampleId).orderBy('position').execute()).map((r) => r.episode_id)

describe('a sample', () => {
  test('the same seed and rules draw the same episodes in the same order; the seed and rules are kept', async () => {
    const first = await drawSample(t.db, hub(), RULES, 'seed-one')
    const again = await drawSample(t.db, hub(), RULES, 'seed-one')
    assert.equal((await drawnIds(first)).length, 4)
    assert.deepEqual(await drawnIds(again), await drawnIds(first))
    const kept = await t.db.selectFrom('qa_samples').selectAll().where('id', '=', first).executeTakeFirstOrThrow()
    assert.deepEqual(
      [kept.seed, kept.size, kept.stages, kept.stratify_by, kept.period_from, kept.population],
      ['seed-one', 4, ['assessment-complete'], 'none', RULES.from, 12],
    )
  })

  test('a new random seed is made and kept when none is given, and drawing with it repeats the draw', async () => {
    const id = await drawSample(t.db, hub(), RULES)
    const { seed } = await t.db.selectFrom('qa_samples').select('seed').where('id', '=', id).executeTakeFirstOrThrow()
    assert.match(seed, /^[0-9a-f]{8}$/)
    assert.deepEqual(await drawnIds(await drawSample(t.db, hub(), RULES, seed)), await drawnIds(id))
  })

  test('different seeds draw differently', async () => {
    const draws = new Set<string>()
    for (const seed of ['a', 'b', 'c', 'd', 'e']) draws.add(JSON.stringify((await draw(t.db, staff.la.id, RULES, seed)).chosen.map((c) => c.id)))
    assert.ok(draws.size > 1, 'five seeds gave one and the same draw')
  })

  test('stratified by locality: the sample is shared in proportion, 3 from nine and 1 from three', async () => {
    for (const seed of ['x1', 'x2', 'x3']) {
      const { chosen } = await draw(t.db, staff.la.id, { ...RULES, stratifyBy: 'locality' }, seed)
      assert.equal(chosen.filter((c) => home.includes(c.id)).length, 3, `seed ${seed}`)
      assert.equal(chosen.filter((c) => north.includes(c.id)).length, 1, `seed ${seed}`)
      assert.deepEqual(
        chosen.filter((c) => north.includes(c.id)).map((c) => c.stratum),
        [northName],
      )
    }
  })

  test('stratified by agency: each agency its share', async () => {
    const { chosen } = await draw(t.db, staff.la.id, { ...RULES, size: 8, stratifyBy: 'agency' }, 'agency-seed')
    assert.deepEqual(
      [chosen.filter((c) => c.stratum === staff.agencies.school.name).length, chosen.filter((c) => c.stratum === `${northName} school`).length],
      [6, 2],
    )
  })

  test('only episodes at the stages asked for, open at some time in the period', async () => {
    const { id: intention } = await startedEpisode(t.db, staff.actor('practitioner'), 'intention')
    const everything = await draw(t.db, staff.la.id, { ...RULES, size: 200 }, 's')
    assert.equal(everything.population, 12, 'the intention is not at a stage asked for')
    const withIntentions = await draw(t.db, staff.la.id, { ...RULES, size: 200, stages: ['assessment-complete', 'intention'] }, 's')
    assert.ok(withIntentions.chosen.some((c) => c.id === intention))
    await backdate(t.db, { table: 'episodes', column: 'created_at' }, home[0]!, 60)
    const later = await draw(t.db, staff.la.id, { ...RULES, size: 200, from: addDays(today(), -70), to: addDays(today(), -65) }, 's')
    assert.deepEqual(
      later.chosen.map((c) => c.id),
      [],
      'nothing was open then',
    )
    const then = await draw(t.db, staff.la.id, { ...RULES, size: 200, from: addDays(today(), -60), to: addDays(today(), -59) }, 's')
    assert.deepEqual(
      then.chosen.map((c) => c.id),
      [home[0]],
    )
  })

  test('only the hub may draw', async () => {
    await assert.rejects(drawSample(t.db, staff.actor('practitioner'), RULES), Forbidden)
  })
})

describe('drawing a sample from the page', () => {
  test('the form draws it, the sample page lists the episodes with the seed and rules, and the draw is audited', async () => {
    const client = await staff.signIn(t.app, 'coordinator')
    const form = await client.get('/qa/samples/new')
    assert.equal(form.statusCode, 200)
    const res = await client.post('/qa/samples/new', {
      ...dateParts(addDays(today(), -30), 'from'),
      ...dateParts(today(), 'to'),
      size: '3',
      stages: ['assessment-complete', 'plan-active'],
      stratifyBy: 'locality',
      seed: 'Page-Seed',
    })
    assert.equal(res.statusCode, 303)
    const sampleId = Number(String(res.headers.location).split('/').pop())
    const page = await client.get(String(res.headers.location))
    const text = textOf(page.body)
    assert.match(text, /page-seed/, 'the seed, as kept (lower case)')
    assert.match(text, /3 of the 12 episodes that matched/)
    assert.match(text, /By locality/)
    const rows = tableRows(page.body)
    assert.equal(rows.length, 3)
    const ids = await drawnIds(sampleId)
    assert.deepEqual(
      rows.map((r) => r[2]),
      ids.map((id) => `CAF episode ${id}`),
    )
    assert.ok(rows.every((r) => r[5]?.startsWith('Audit it')))
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('record_type', '=', 'qa-sample')
      .where('record_id', '=', String(sampleId))
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map((e) => e.action),
      ['qa.sample-drawn', 'qa.sample-viewed'],
    )
    assert.deepEqual((events[0]!.detail as { episodes: number[] }).episodes, ids)
  })
})
