import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB, EpisodeStatus, QaStratify } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden } from '../../web/outcome.ts'
import { mayAudit } from '../../policies/quality.ts'
import { auditAs } from '../audit/audit-log.ts'
import { ukDay } from '../desk/queues.ts'
import { responsibleAgency } from '../episodes/repository.ts'

/**
 * Drawing a random sample of episodes to audit. The draw is reproducible: each episode's place is the
 * MD5 of the seed and its id, so the same seed and rules draw the same episodes, whatever order the
 * database returns them in, as long as the records have not changed since (the stages are the ones the
 * episodes are at when drawn); the seed and rules are kept with the sample. Stratified draws share
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

/** The episodes the rules cover (as `e`): open at some time in the period, at one of the stages. */
const covered = (laId: number, rules: SampleRules) =>
  sql<boolean>`e.la_id = ${laId} and e.status = any(${sql.val(rules.stages)}::text[])
    and ${ukDay('e.created_at')} <= ${rules.to}::date and (e.closed_at is null or ${ukDay('e.closed_at')} >= ${rules.from}::date)`

/** What the sample is shared among, for the episode `e`: a key (ids, so two agencies of one name stay apart) and the name shown. */
function strata(by: QaStratify) {
  if (by === 'locality')
    return {
      key: sql<string>`coalesce(e.locality_id::text, '')`,
      name: sql<string>`coalesce((select l.name from localities l where l.id = e.locality_id), 'No locality')`,
    }
  if (by === 'agency')
    return { key: sql<string>`(${responsibleAgency})::text`, name: sql<string>`(select a.name from agencies a where a.id = ${responsibleAgency})` }
  return { key: sql<string>`''`, name: sql<null>`null` }
}

/** How many of `size` each stratum gets: in proportion to its share, the places left going to the largest remainders (then the larger stratum). */
export function allocate(counts: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const total = [...counts.values()].reduce((a, b) => a + b, 0)
  const take = Math.min(size, total)
  // Whole numbers throughout: a stratum's exact share is take * n / total.
  const shares = [...counts].map(([key, n]) => ({ key, n, whole: Math.floor((take * n) / total), remainder: (take * n) % total }))
  const result = new Map(shares.map((s) => [s.key, s.whole]))
  let left = take - shares.reduce((sum, s) => sum + s.whole, 0)
  for (const s of [...shares].sort((a, b) => b.remainder - a.remainder || b.n - a.n || a.key.localeCompare(b.key))) {
    if (left-- <= 0) break
    result.set(s.key, s.whole + 1)
  }
  return result
}

/**
 * The draw itself, without saving: how many episodes the rules cover, and the first of each stratum in
 * the seed's order, as many as it is allotted. The database ranks and cuts; only the chosen come back.
 */
export async function draw(db: Kysely<DB>, laId: number, rules: SampleRules, seed: string) {
  const { key, name } = strata(rules.stratifyBy)
  const { rows: counts } = await sql<{ key: string; n: number }>`select ${key} as key, count(*)::int as n from episodes e
    where ${covered(laId, rules)} group by 1`.execute(db)
  const population = counts.reduce((sum, c) => sum + Number(c.n), 0)
  const quota = [...allocate(new Map(counts.map((c) => [c.key, Number(c.n)])), rules.size)].filter(([, n]) => n > 0)
  if (!quota.length) return { population, chosen: [] }
  const place = sql`md5(${seed} || ':' || e.id::text)`
  const { rows } = await sql<{ id: number; stratum: string | null }>`select e.id, ${name} as stratum
    from (select e.id, ${key} as key, ${place} as place, row_number() over (partition by ${key} order by ${place}, e.id) as n
          from episodes e where ${covered(laId, rules)}) r
    join (values ${sql.join(quota.map(([k, n]) => sql`(${k}::text, ${n}::int)`))}) as q(key, quota) on q.key = r.key
    join episodes e on e.id = r.id
    where r.n <= q.quota
    order by r.place, r.id`.execute(db)
  return { population, chosen: rows.map((r) => ({ id: Number(r.id), stratum: r.stratum })) }
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
