import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { drawSample } from '../../src/features/quality/sample.ts'
import type { Actor } from '../../src/web/actor.ts'
import { addDays, today } from '../../src/web/dates.ts'
import type { Client } from './browser-client.ts'

/** Judgements on the default scale (good / satisfactory / poor), overall good. */
export const GRADES = { detail: 'good', needs: 'good', strengths: 'satisfactory', risks: 'poor', outcomes: 'good', overall: 'good' }

/** A sample of every completed or active CAF of the last month: it holds any episode a test has just built. */
export function sampleOfEverything(db: Kysely<DB>, hub: Actor) {
  return drawSample(
    db,
    hub,
    { from: addDays(today(), -30), to: today(), size: 200, stages: ['assessment-complete', 'plan-active', 'closed'], stratifyBy: 'none' },
    'everything',
  )
}

/** The hub audits the episode from the sample over HTTP; returns the audit's id. */
export async function auditOverHttp(client: Client, episode: number, sample: number, form: Record<string, string> = {}) {
  const url = `/episodes/${episode}/samples/${sample}/audit`
  assert.equal((await client.get(url)).statusCode, 200, 'the audit form opens')
  const res = await client.post(url, { ...GRADES, feedback: 'The needs are clear. Say more about the risks.', ...form })
  assert.equal(res.statusCode, 303, 'the audit is saved')
  const match = String(res.headers.location).match(new RegExp(`^/episodes/${episode}/audits/(\\d+)\\?done=audited$`))
  assert.ok(match, `went to ${res.headers.location}`)
  return Number(match[1])
}
