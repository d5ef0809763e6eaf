import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { panelCasesOf, meetingsFor } from '../../src/features/panel/queries.ts'
import { signpostingList } from '../../src/features/signposting/queries.ts'
import { waitingTimes } from '../../src/features/services/waiting.ts'
import type { Actor } from '../../src/web/actor.ts'
import { demoApp, type DemoApp } from '../helpers/app.ts'

/**
 * What issue 12 promises of the demo: services whose waiting times are measured from demo referrals,
 * a signposting request waiting for the hub (and one past the council's weeks), and a panel meeting
 * that heard a case and decided it.
 */

let t: DemoApp
let hub: Actor
before(async () => {
  t = await demoApp()
  const u = await t.db.selectFrom('users').selectAll().where('email', '=', 'coordinator@demo-borough.example').executeTakeFirstOrThrow()
  hub = {
    userId: u.id,
    laId: u.la_id,
    agencyId: u.agency_id,
    fullName: u.full_name,
    email: u.email,
    roles: ['coordinator'],
    managesLocalityId: null,
    sessionId: 'test',
  }
})
after(() => t?.close())

test('family support shows a waiting time measured from five demo referrals: median 14 days, 90th percentile 25', async () => {
  const service = await t.db.selectFrom('services').select('id').where('name', '=', 'Families Together family support').executeTakeFirstOrThrow()
  const waiting = (await waitingTimes(t.db, hub.laId, [service.id])).get(service.id)!
  assert.deepEqual([waiting.enough, waiting.referrals, waiting.medianDays, waiting.p90Days], [true, 5, 14, 25])
})

test('Amelia Smith’s signposting waits for the hub; John Smith’s, unmet after nine weeks, prompts a CAF', async () => {
  const list = await signpostingList(t.db, hub)
  assert.deepEqual(
    list.waiting.map((r) => r.child),
    ['Amelia Smith'],
  )
  assert.deepEqual(
    list.suggestCaf.map((r) => [r.child, r.statusText]),
    [['John Smith', 'Passed to the service: on the waiting list']],
  )
})

test('the panel heard the Okafors a week ago and decided; the next panel is arranged', async () => {
  const { upcoming, past } = await meetingsFor(t.db, hub)
  assert.equal(upcoming.length, 1)
  assert.deepEqual(
    past.map((m) => m.cases),
    [1],
  )
  const okafors = await t.db.selectFrom('panel_requests').select('episode_id').executeTakeFirstOrThrow()
  const [decided] = await panelCasesOf(t.db, okafors.episode_id)
  assert.equal(decided!.statusText, 'Decided')
  assert.deepEqual(
    decided!.resources.map((r) => r.text),
    ['6 hours of Families Together family support (Families Together (charity))'],
  )
  assert.deepEqual(
    decided!.actions.map((a) => a.description),
    ['Weekly home visits from a Families Together worker'],
  )
})
