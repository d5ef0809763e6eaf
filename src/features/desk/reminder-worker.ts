import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { londonParts } from '../../web/dates.ts'
import { sendReminders } from './reminders.ts'

/** Reminders go from this time of the UK morning, so they are there when the working day starts. */
export const REMINDERS_FROM = '07:00'

/**
 * Checks every quarter of an hour whether today's reminders are due and queues them; the outbox
 * worker sends them. Restarting, or running several app nodes, sends nobody a second one.
 */
export function startReminderWorker(db: Kysely<DB>, baseUrl: string, log: FastifyBaseLogger, mailer: { kick(): unknown }, everyMs = 15 * 60_000) {
  let running: Promise<void> = Promise.resolve()
  const tick = async () => {
    const now = londonParts(new Date())
    if (now.time < REMINDERS_FROM) return
    try {
      const queued = await sendReminders(db, { today: now.date, baseUrl })
      if (queued) {
        log.info({ queued }, 'work queue reminders queued')
        mailer.kick()
      }
    } catch (error) {
      log.error({ err: error }, 'work queue reminders failed; will try again')
    }
  }
  const timer = setInterval(() => (running = running.then(tick)), everyMs)
  timer.unref()
  running = running.then(tick)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
