import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startPlan } from '../../src/features/plans/use-cases.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'

/**
 * Closing as "needs met" while desired outcomes are not achieved is not waved through: the closure
 * page lists the outcomes still open, and the lead professional must say why the needs are met all the same.
 */

let t: TestApp
let lead: Client

/** An episode with an active plan whose desired outcome (from the assessment's need) is still open, led by the practitioner. */
async function episodeWithOpenOutcome() {
  const actor = t.staff.actor('practitioner')
  const { id } = await buildEpisode(t.db, actor, { consentedAgencies: [t.staff.agencies.school.id], lead: true })
  await startPlan(t.db, actor, id)
  const outcomes = await t.db.selectFrom('plan_outcomes').select(['outcome', 'status']).where('episode_id', '=', id).execute()
  assert.ok(outcomes.length > 0 && outcomes.every((o) => o.status === 'open'))
  return { id, outcomes: outcomes.map((o) => o.outcome) }
}

const closed = (id: number) => t.db.selectFrom('episodes').select(['status', 'closed_with_open_outcomes']).where('id', '=', id).executeTakeFirstOrThrow()

before(async () => {
  t = await testApp()
  lead = await t.staff.signIn(t.app, 'practitioner')
})
after(() => t?.close())

test('the closure page lists the desired outcomes not achieved yet', async () => {
  const { id, outcomes } = await episodeWithOpenOutcome()
  const page = await lead.get(`/episodes/${id}/close`)
  assert.equal(page.statusCode, 200)
  const text = textOf(page.body)
  assert.match(text, new RegExp(`0 of ${outcomes.length} desired outcomes? achieved`))
  assert.match(text, /Desired outcomes not achieved yet/)
  for (const o of outcomes) assert.ok(text.includes(o), `the page names "${o}"`)
})

test('closing as needs met with outcomes open and no reason is refused (400), with the outcomes shown, and the episode stays open', async () => {
  const { id, outcomes } = await episodeWithOpenOutcome()
  const before = await closed(id)
  await lead.get(`/episodes/${id}/close`)
  const res = await lead.post(`/episodes/${id}/close`, { reason: 'needs-met', summary: 'Things are better at home', openOutcomesReason: '' })
  assert.equal(res.statusCode, 400)
  assert.deepEqual(errorSummaryHrefs(res.body), ['#openOutcomesReason'])
  assert.match(errorSummaryText(res.body), /You are closing as needs met with 1 desired outcome that is not achieved/)
  assert.ok(textOf(res.body).includes(outcomes[0]!))
  assert.match(res.body, /Things are better at home/, 'the summary typed is kept')
  assert.notEqual(before.status, 'closed')
  assert.deepEqual(await closed(id), before)
})

test('with a reason it closes, and the reason is on the record and shown on the closed episode', async () => {
  const { id } = await episodeWithOpenOutcome()
  await lead.get(`/episodes/${id}/close`)
  const why = 'The family now gets this help from the housing association'
  const res = await lead.post(`/episodes/${id}/close`, { reason: 'needs-met', summary: 'Things are better at home', openOutcomesReason: why })
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await closed(id), { status: 'closed', closed_with_open_outcomes: why })
  const page = textOf((await lead.get(`/episodes/${id}`)).body)
  assert.match(page, new RegExp(`Why needs are met with outcomes open ${why}`))
})

test('another reason (the family withdrew) closes without one', async () => {
  const { id } = await episodeWithOpenOutcome()
  await lead.get(`/episodes/${id}/close`)
  const res = await lead.post(`/episodes/${id}/close`, { reason: 'withdrew', summary: 'Mum asked us to stop', openOutcomesReason: '' })
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await closed(id), { status: 'closed', closed_with_open_outcomes: null })
})
