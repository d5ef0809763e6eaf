import { sql, type Kysely } from 'kysely'
import type { DB, TransferStatus } from '../../db/schema.ts'
import type { TransferDocument } from './document.ts'

export const TRANSFER_STATUS: Record<TransferStatus, string> = {
  waiting: 'Waiting for the receiving council',
  accepted: 'Accepted',
  declined: 'Declined',
  exported: 'Sent as a signed file',
}

/** A transfer's page: to and from whom, why, the family's consent, the decision, and what was sent. */
export async function transferView(db: Kysely<DB>, id: number) {
  const row = await db
    .selectFrom('transfers as t')
    .innerJoin('local_authorities as f', 'f.id', 't.la_id')
    .innerJoin('users as r', 'r.id', 't.requested_by')
    .leftJoin('users as d', 'd.id', 't.decided_by')
    .selectAll('t')
    .select(['f.name as fromName', 'r.full_name as requestedBy', 'd.full_name as decidedBy'])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow()
  return { ...row, statusText: TRANSFER_STATUS[row.status], document: row.package as unknown as TransferDocument }
}

/** What arrived for an episode that began with a transfer: the document, and from whom. */
export async function arrivalOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const within = await db
    .selectFrom('transfers as t')
    .innerJoin('local_authorities as f', 'f.id', 't.la_id')
    .select(['t.package as document', 'f.name as fromName', 't.decided_at as arrivedAt'])
    .where('t.new_episode_id', '=', episodeId)
    .where('t.to_la_id', '=', laId)
    .executeTakeFirst()
  const row =
    within ??
    (await db
      .selectFrom('transfer_imports')
      .select(['document', 'from_name as fromName', 'imported_at as arrivedAt'])
      .where('new_episode_id', '=', episodeId)
      .where('la_id', '=', laId)
      .executeTakeFirst())
  return row ? { ...row, document: row.document as unknown as TransferDocument } : null
}

/** The transfers an episode asked for, newest first, for its page. */
export function transfersOfEpisode(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('transfers')
    .select(['id', 'to_council as toCouncil', 'status', 'requested_at as requestedAt', 'decline_reason as declineReason'])
    .where('la_id', '=', laId)
    .where('episode_id', '=', episodeId)
    .orderBy('id', 'desc')
    .execute()
}

/** The hub's list: families moving in (waiting first), families that moved out, and files imported. */
export async function transferLists(db: Kysely<DB>, laId: number) {
  const since = sql<Date>`now() - interval '180 days'`
  const [incoming, outgoing, imported] = await Promise.all([
    db
      .selectFrom('transfers as t')
      .innerJoin('local_authorities as f', 'f.id', 't.la_id')
      .select(['t.id', 't.status', 't.requested_at as requestedAt', 't.moved_on as movedOn', 'f.name as fromName'])
      .where('t.to_la_id', '=', laId)
      .where((w) => w.or([w('t.status', '=', 'waiting'), w('t.requested_at', '>=', since)]))
      .orderBy(sql`t.status = 'waiting'`, 'desc')
      .orderBy('t.requested_at', 'desc')
      .limit(200)
      .execute(),
    db
      .selectFrom('transfers')
      .select(['id', 'status', 'requested_at as requestedAt', 'to_council as toCouncil'])
      .where('la_id', '=', laId)
      .where('requested_at', '>=', since)
      .orderBy('requested_at', 'desc')
      .limit(200)
      .execute(),
    db
      .selectFrom('transfer_imports')
      .select(['id', 'from_name as fromName', 'imported_at as importedAt', 'new_episode_id as episodeId'])
      .where('la_id', '=', laId)
      .orderBy('imported_at', 'desc')
      .limit(200)
      .execute(),
  ])
  const words = <R extends { status: TransferStatus }>(rows: R[]) => rows.map((r) => ({ ...r, statusText: TRANSFER_STATUS[r.status] }))
  return { incoming: words(incoming), outgoing: words(outgoing), imported }
}
