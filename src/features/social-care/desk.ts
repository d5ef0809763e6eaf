import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { waitingNotificationCount } from './notification-queries.ts'
import { stepDownLists } from './step-down-queries.ts'

/** What the hub's desk counts of the social care interface: each a link to its list on /social-care. */
export async function interfaceWaiting(db: Kysely<DB>, laId: number) {
  const [notifications, stepUps, stepDowns] = await Promise.all([
    waitingNotificationCount(db, laId),
    db
      .selectFrom('step_ups')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('la_id', '=', laId)
      .where('status', '=', 'waiting')
      .executeTakeFirstOrThrow(),
    stepDownLists(db, laId),
  ])
  return { notifications, stepUps: stepUps.n, toAllocate: stepDowns.toAllocate, atRisk: stepDowns.atRisk }
}
