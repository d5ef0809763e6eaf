import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { queuesOfEpisode } from '../../src/features/desk/queries.ts'
import type { QueueKey } from '../../src/features/desk/queues.ts'

type Dated = { table: 'episodes' | 'lead_professionals' | 'plan_actions' | 'follow_ups' | 'step_ups' | 'episode_stage_changes'; column: string }

/**
 * Moves a recorded moment back in time by whole days, as if it had happened then: the queues are
 * about time passing, and a test cannot wait a fortnight. Only the one row's one column changes.
 */
export async function backdate(db: Kysely<DB>, { table, column }: Dated, id: number, days: number): Promise<void> {
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sql.ref(column)} - make_interval(days => ${days}) where id = ${id}`.execute(db)
}

/** The queues an episode is in today, by key, each with its rows (due day, item and note). */
export async function queuesOf(
  db: Kysely<DB>,
  laId: number,
  episodeId: number,
): Promise<Map<QueueKey, { dueOn: string; itemId: number | null; note: string | null }[]>> {
  const map = new Map<QueueKey, { dueOn: string; itemId: number | null; note: string | null }[]>()
  for (const { key, listed, ...row } of await queuesOfEpisode(db, laId, episodeId)) {
    if (listed) map.set(key, [...(map.get(key) ?? []), row])
  }
  return map
}
