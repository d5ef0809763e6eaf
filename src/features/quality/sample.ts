import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB, EpisodeStatus, QaStratify } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden } from '../../web/outcome.ts'
import { mayAudit } from '../../policies/quality.ts'
import { auditAs } from '../audit/audit-log.ts'
import { ukDay } from '../desk/queues.ts'
import { responsibleAgency } from '../desk/scope.ts'

/**
 * Drawing a random sample of episodes to audit. The draw is reproducible: each episode's place is the
 * MD5 of the seed and its id, so the same seed and rules draw the same episodes, whatever order the
 * database returns them in, and the seed and rules are kept with the sample. Stratified draws share
 * the sample among the localities (or agencies) in proportion to how many episodes each has, by the
 * largest remainder, so a small locality is not left out by chance alone.
 */
export interface SampleRules {
  from: string
  to: string
  size: number
  stages: EpisodeStatus[]
  stratifyBy: QaStratify
}

/** The stages worth auditing: there is an assessment to read. */
export const SAMPLE_STAGES: readonly EpisodeStatus[] = ['assessment', 'assessment-complete', 'plan-active', 'closed']
export const SAMPLE_MAX = 200
export const SEED_PATTERN = /^[a-z0-9-]{1,40}$/

export const STRATIFY: Record<QaStratify, string> = {
  none: 'No: draw from all of them',
  locality: 'By locality',
  agency: 'By agency (the lead professional’s, or the one that started it while nobody leads)',
}

interface Candidate {
  id: number
  stratum: string | null
}

/** The episodes the rules cover (open at some time in the period, at one of the stages), in the seed's order. */
async function candidates(db: Kysely<DB>, laId: number, rules: SampleRules, seed: string): Promise<Candidate[]> {
  const stratum =
    rules.stratifyBy === 'locality'
      ? sql<string>`coalesce((select l.name from localities l where l.id = e.locality_id), 'No locality')`
      : rules.stratifyBy === 'agency'
        ? sql<string>`(select a.name from agencies a where a.id = ${responsibleAgency})`
        : sql<null>`null`
  const rows = await sql<Candidate>`select e.id, ${stratum} as stratum from episodes e
    where e.la_id = ${laId} and e.status = any(${sql.val(rules.stages)}::text[])
      and ${ukDay('e.created_at')} <= ${rules.to}::date and (e.closed_at is null or ${ukDay('e.closed_at')} >= ${rules.from}::date)
    order by md5(${seed} || ':' || e.id::text), e.id`.execute(db)
  return rows.rows
}

/** How many of `size` each stratum gets: in proportion to its share, the remainders going to the largest fractions. */
export function allocate(counts: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const take = Math.min(size, total)
  const shares = [...counts].map(([key, n]) => ({ key, n, exact: total ? (take * n) / total : 0 }))
  const result = new Map(shares.map((s) => [s.key, Math.floor(s.exact)]))
  let left = take - [...result.values()].reduce((a, b) => a + b, 0)
  const byRemainder = [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || b.n - a.n || a.key.localeCompare(b.key))
  for (const s of byRemainder) {
    if (left === 0) break
    result.set(s.key, result.get(s.key)! + 1)
    left--
  }
  return result
}

/** The draw itself, without saving: the first of each stratum in the seed's order, as many as it is allotted. */
export async function draw(db: Kysely<DB>, laId: number, rules: SampleRules, seed: string) {
  const all = await candidates(db, laId, rules, seed)
  const counts = new Map<string, number>()
  for (const c of all) counts.set(c.stratum ?? '', (counts.get(c.stratum ?? '') ?? 0) + 1)
  const quota = allocate(counts, rules.size)
  const chosen = all.filter((c) => {
    const key = c.stratum ?? ''
    const left = quota.get(key)!
    if (left === 0) return false
    quota.set(key, left - 1)
    return true
  })
  return { population: all.length, chosen }
}

export const newSeed = () => randomBytes(4).toString('hex')

/** Draws a sample for the hub and keeps it, with its rules and seed; returns its id. */
export async function drawSample(db: Kysely<DB>, actor: Actor, rules: SampleRules, seed: string = newSeed()): Promise<number> {
  if (!mayAudit(actor)) throw new Forbidden()
  return db.transaction().execute(async (tx) => {
    const { population, chosen } = await draw(tx, actor.laId, rules, seed)
    const { id } = await tx
      .insertInto('qa_samples')
      .values({
        la_id: actor.laId,
        period_from: rules.from,
        period_to: rules.to,
        size: rules.size,
        stages: rules.stages,
        stratify_by: rules.stratifyBy,
        seed,
        population,
        drawn_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (chosen.length) {
      await tx
        .insertInto('qa_sample_episodes')
        .values(chosen.map((c, i) => ({ sample_id: id, la_id: actor.laId, episode_id: c.id, stratum: c.stratum, position: i + 1 })))
        .execute()
    }
    await auditAs(tx, actor, 'qa.sample-drawn', { type: 'qa-sample', id }, { episodes: chosen.map((c) => c.id), seed })
    return id
  })
}
