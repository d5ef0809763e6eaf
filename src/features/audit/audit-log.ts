import type { Kysely } from 'kysely'
import type { Actor } from '../../web/actor.ts'
import type { DB } from '../../db/schema.ts'
import type { AuditAction } from './actions.ts'

export interface AuditEntry {
  laId: number | null
  actorUserId?: number | null
  sessionId?: string | null
  action: AuditAction
  recordType?: string | null
  recordId?: string | number | null
  /** Identifiers and field names only: never names, dates of birth, notes, passwords or tokens. */
  detail?: Record<string, unknown>
  ip?: string | null
}

/** Appends one event to the council's hash-chained audit log (the database trigger links the chain). */
export async function audit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      la_id: entry.laId,
      actor_user_id: entry.actorUserId ?? null,
      session_id: entry.sessionId ?? null,
      action: entry.action,
      record_type: entry.recordType ?? null,
      record_id: entry.recordId == null ? null : String(entry.recordId),
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
    })
    .execute()
}

/** The usual case: the acting user did something to a record. */
export function auditAs(
  db: Kysely<DB>,
  actor: Actor,
  action: AuditAction,
  record?: { type: string; id: string | number } | null,
  detail?: Record<string, unknown>,
): Promise<void> {
  return audit(db, {
    laId: actor.laId,
    actorUserId: actor.userId,
    sessionId: actor.sessionId,
    action,
    recordType: record?.type ?? null,
    recordId: record?.id ?? null,
    ...(detail ? { detail } : {}),
  })
}
