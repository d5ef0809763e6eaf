import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { addDays, today } from '../../web/dates.ts'
import { saveNextReview } from '../episodes/repository.ts'

/** When a review is due without a level that says: the national default for a CAF (level 3). */
export const DEFAULT_REVIEW_DAYS = 42

/** Days between reviews for an episode's level of need (defaults: 6 weeks at level 3, 6 months at level 2). */
export async function reviewInterval(db: Kysely<DB>, laId: number, episodeId: number): Promise<number> {
  const row = await db
    .selectFrom('episodes as e')
    .leftJoin('need_levels as l', (j) => j.onRef('l.la_id', '=', 'e.la_id').onRef('l.code', '=', 'e.need_level'))
    .select('l.review_days')
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', laId)
    .executeTakeFirstOrThrow()
  return row.review_days ?? DEFAULT_REVIEW_DAYS
}

/** Sets the first review when the plan becomes active: the level's interval from today. */
export async function scheduleFirstReview(tx: Kysely<DB>, laId: number, episodeId: number): Promise<void> {
  const days = await reviewInterval(tx, laId, episodeId)
  await saveNextReview(tx, laId, episodeId, addDays(today(), days))
}
