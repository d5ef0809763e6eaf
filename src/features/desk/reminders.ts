import { sql, type Kysely } from 'kysely'
import type { DB, ReminderFrequency } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { rolesWith, isRole } from '../../web/permissions.ts'
import { queueMail } from '../mail/outbox.ts'
import { NO_FILTERS } from './filters.ts'
import { deskCounts } from './queries.ts'
import { QUEUE_KEYS, QUEUES } from './queues.ts'
import { scopesFor, type Scope } from './scope.ts'

/**
 * Reminders: an email to each practitioner and manager with what has slipped in their work queues —
 * counts and links only, never a child's or a family's name, so an email read over a shoulder or
 * forwarded by mistake tells nobody anything about a family. Weekly on the council's day, unless the
 * user chooses every working day or none. Nothing to say, no email.
 */
export const REMINDER_FREQUENCIES: readonly ReminderFrequency[] = ['weekly', 'daily', 'none']
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** 1 (Monday) to 7 (Sunday) for a UK date written 2026-12-07. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay() || 7
}

/** The scope a reminder reports: a manager's agency, otherwise their own families (the hub's whole council is its desk, not an email). */
function reminderScope(actor: Actor): Scope | null {
  return scopesFor(actor).find((s) => s !== 'council') ?? null
}

export interface ReminderRun {
  /** The UK date it is. */
  today: string
  baseUrl: string
}

/**
 * Queues today's reminders in the outbox for everyone due one, and returns how many were queued.
 * Each user is claimed (last_reminded_on set) in the same transaction as their email, so two app
 * nodes running this at once send one reminder, and a second run the same day sends none.
 */
export async function sendReminders(db: Kysely<DB>, run: ReminderRun): Promise<number> {
  const weekday = isoWeekday(run.today)
  const due = await db
    .selectFrom('users as u')
    .innerJoin('caf_settings as s', 's.la_id', 'u.la_id')
    .select(['u.id', 'u.la_id', 'u.agency_id', 'u.full_name', 'u.email', 'u.roles', 'u.manages_locality_id', 'u.reminders', 's.reminder_weekday'])
    .where('u.disabled_at', 'is', null)
    .where(sql<boolean>`u.roles && ${sql.val(rolesWith('queues.view'))}::text[]`)
    .where((w) => w.or([w('u.last_reminded_on', 'is', null), w('u.last_reminded_on', '<', run.today)]))
    .where((w) =>
      w.or([w.and([w('u.reminders', '=', 'weekly'), w('s.reminder_weekday', '=', weekday)]), w.and([w('u.reminders', '=', 'daily'), w.lit(weekday <= 5)])]),
    )
    .orderBy('u.id')
    .execute()
  let queued = 0
  for (const user of due) {
    const actor: Actor = {
      userId: user.id,
      laId: user.la_id,
      agencyId: user.agency_id,
      fullName: user.full_name,
      email: user.email,
      roles: user.roles.filter(isRole),
      managesLocalityId: user.manages_locality_id,
      // No session: the reminder acts for the user, and breaking the glass never counts in a list.
      sessionId: '',
    }
    const scope = reminderScope(actor)
    if (!scope) continue
    const sent = await db.transaction().execute(async (tx) => {
      const claimed = await tx
        .updateTable('users')
        .set({ last_reminded_on: run.today })
        .where('id', '=', user.id)
        .where((w) => w.or([w('last_reminded_on', 'is', null), w('last_reminded_on', '<', run.today)]))
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) return false
      const { counts } = await deskCounts(tx, actor, { ...NO_FILTERS, scope })
      const lines = QUEUE_KEYS.filter((key) => counts[key] > 0).map((key) => ({ key, count: counts[key] }))
      if (!lines.length) return false
      await queueMail(tx, { laId: actor.laId, to: actor.email, ...reminderEmail(lines, scope, user.reminders, user.reminder_weekday, run.baseUrl) })
      return true
    })
    if (sent) queued++
  }
  return queued
}

function reminderEmail(
  lines: { key: (typeof QUEUE_KEYS)[number]; count: number }[],
  scope: Scope,
  frequency: ReminderFrequency,
  weekday: number,
  baseUrl: string,
) {
  const total = lines.reduce((n, l) => n + l.count, 0)
  const whose = scope === 'agency' ? 'your agency’s families' : 'the families you are responsible for'
  const when = frequency === 'daily' ? 'every working day' : `every ${WEEKDAYS[weekday - 1]}`
  return {
    subject: `CAF Hub: ${total} ${total === 1 ? 'thing needs' : 'things need'} doing`,
    text: [
      `These are overdue or due soon in ${whose} in CAF Hub:`,
      '',
      ...lines.flatMap((l) => [`${QUEUES[l.key].title}: ${l.count}`, `${baseUrl}/desk/${l.key}?for=${scope}`, '']),
      'Sign in to see the families and act. This email names no child or family, to keep their information safe.',
      '',
      `You get this email ${when} when something needs doing. To change how often, or to stop it: ${baseUrl}/account/reminders`,
    ].join('\n'),
  }
}
