import { sql, type Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { DB } from '../../db/schema.ts'
import type { MailTransport } from './transport.ts'

/** Minutes a claimed message is held by one worker before another may try it (covers a crash mid-send). */
const LEASE_MINUTES = 5
const MAX_BACKOFF_SECONDS = 3600

/** 30 s, 1 min, 2 min, 4 min ... up to an hour between attempts. A message is never dropped. */
export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, 30 * 2 ** Math.max(0, attempts - 1))
}

export interface DeliveryResult {
  sent: number
  failed: number
}

/** Sends every message that is due. Safe to run on several app nodes at once (rows are leased). */
export async function deliverDueMail(db: Kysely<DB>, transport: MailTransport, from: string, batch = 20): Promise<DeliveryResult> {
  const claimed = await sql<{ id: number; to_address: string; subject: string; body_text: string; attachments: unknown; attempts: number }>`
    update mail_outbox set next_attempt_at = now() + make_interval(mins => ${LEASE_MINUTES})
    where id in (
      select id from mail_outbox
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at, id limit ${batch}
      for update skip locked)
    returning id, to_address, subject, body_text, attachments, attempts`.execute(db)
  const result: DeliveryResult = { sent: 0, failed: 0 }
  for (const row of claimed.rows) {
    try {
      const deliveredAs = await transport.deliver({
        id: row.id,
        from,
        to: row.to_address,
        subject: row.subject,
        text: row.body_text,
        attachments: Array.isArray(row.attachments) ? row.attachments : [],
      })
      await db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: sql<Date>`now()`, delivered_as: deliveredAs, attempts: row.attempts + 1, last_error: null })
        .where('id', '=', row.id)
        .execute()
      result.sent++
    } catch (error) {
      const attempts = row.attempts + 1
      await db
        .updateTable('mail_outbox')
        .set({
          attempts,
          last_error: describe(error),
          next_attempt_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds(attempts)})`,
        })
        .where('id', '=', row.id)
        .execute()
      result.failed++
    }
  }
  return result
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${typeof code === 'string' ? code + ': ' : ''}${error.message}`.slice(0, 500)
  }
  return 'unknown error'
}

/** Runs deliverDueMail every few seconds until stopped. */
export function startMailWorker(db: Kysely<DB>, transport: MailTransport, from: string, log: FastifyBaseLogger, everyMs = 5000) {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const tick = async () => {
    try {
      const r = await deliverDueMail(db, transport, from)
      if (r.sent || r.failed) log.info({ sent: r.sent, failed: r.failed }, 'mail outbox delivery')
    } catch (error) {
      log.error({ err: error }, 'mail outbox worker failed; will try again')
    }
  }
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick)
  }, everyMs)
  timer.unref()
  return {
    /** Deliver now (used after a change that queued mail, and by tests). */
    kick: () => (running = running.then(tick)),
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
      transport.close()
    },
  }
}
