import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'

export interface AuditQuery {
  userId: number | null
  recordType: string | null
  recordId: string | null
  action: string | null
  /** Inclusive calendar dates, Europe/London. */
  from: string | null
  to: string | null
  page: number
}

export const PAGE_SIZE = 50

/** The council's audit events matching the query, newest first, one page at a time. */
export async function searchAudit(db: Kysely<DB>, actor: Actor, q: AuditQuery) {
  let query = db.selectFrom('audit_events as e').leftJoin('users as u', 'u.id', 'e.actor_user_id').where('e.la_id', '=', actor.laId)
  if (q.userId) query = query.where('e.actor_user_id', '=', q.userId)
  if (q.recordType) query = query.where('e.record_type', '=', q.recordType)
  if (q.recordId) query = query.where('e.record_id', '=', q.recordId)
  if (q.action) query = query.where('e.action', '=', q.action)
  if (q.from) query = query.where('e.occurred_at', '>=', sql<Date>`(${q.from}::date)::timestamp at time zone 'Europe/London'`)
  if (q.to) query = query.where('e.occurred_at', '<', sql<Date>`(${q.to}::date + 1)::timestamp at time zone 'Europe/London'`)
  const rows = await query
    .select([
      'e.id',
      'e.occurred_at as occurredAt',
      'e.action',
      'e.record_type as recordType',
      'e.record_id as recordId',
      'e.detail',
      'e.session_id as sessionId',
      'e.ip',
      'u.full_name as userName',
    ])
    .orderBy('e.id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((q.page - 1) * PAGE_SIZE)
    .execute()
  return { rows: rows.slice(0, PAGE_SIZE), hasNext: rows.length > PAGE_SIZE }
}
