import { sql, type Kysely } from 'kysely'
import type { DB, NotificationDecision } from '../../db/schema.ts'
import { addDays, today } from '../../web/dates.ts'
import { displayName } from '../people/repository.ts'
import { FAMILY_AWARE, sourceText } from './referral-sources.ts'

export const DECISION_WORDS: Record<NotificationDecision, string> = {
  caf: 'Offer a CAF',
  signpost: 'Signpost to a service',
  'no-further-action': 'No further action',
}

/** How long a decided notification stays on the lists. */
const RECENT_DAYS = 90

/** Notifications waiting for the hub (soonest due first), and those decided in the last 90 days (newest first). */
export async function notificationLists(db: Kysely<DB>, laId: number) {
  const rows = await db
    .selectFrom('interface_notifications as n')
    .innerJoin('people as p', 'p.id', 'n.child_person_id')
    .innerJoin('users as u', 'u.id', 'n.sent_by')
    .select([
      'n.id',
      'n.sent_at as sentAt',
      'n.decide_by as decideBy',
      'n.decision',
      'n.decided_at as decidedAt',
      'n.episode_id as episodeId',
      'p.given_name',
      'p.family_name',
      'u.full_name as sentBy',
    ])
    .where('n.la_id', '=', laId)
    .where((w) => w.or([w('n.decision', 'is', null), w('n.decided_at', '>=', sql<Date>`${addDays(today(), -RECENT_DAYS)}::date`)]))
    .orderBy('n.decide_by')
    .orderBy('n.id')
    .limit(500)
    .execute()
  const now = today()
  const list = rows.map((r) => ({
    ...r,
    child: displayName(r),
    overdue: !r.decision && r.decideBy < now,
    decisionText: r.decision ? DECISION_WORDS[r.decision] : null,
  }))
  return { waiting: list.filter((n) => !n.decision), decided: list.filter((n) => n.decision).reverse() }
}

export async function waitingNotificationCount(db: Kysely<DB>, laId: number): Promise<number> {
  const row = await db
    .selectFrom('interface_notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('la_id', '=', laId)
    .where('decision', 'is', null)
    .executeTakeFirstOrThrow()
  return row.n
}

/** A notification's page: what social care sent, and the hub's decision. */
export async function notificationView(db: Kysely<DB>, laId: number, id: number) {
  const n = await db
    .selectFrom('interface_notifications as n')
    .innerJoin('people as p', 'p.id', 'n.child_person_id')
    .innerJoin('users as u', 'u.id', 'n.sent_by')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('users as d', 'd.id', 'n.decided_by')
    .leftJoin('services as s', 's.id', 'n.service_id')
    .selectAll('n')
    .select([
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'u.full_name as sentBy',
      'a.name as sentAgency',
      'd.full_name as decidedBy',
      's.name as service',
    ])
    .where('n.id', '=', id)
    .where('n.la_id', '=', laId)
    .executeTakeFirstOrThrow()
  return {
    ...n,
    child: displayName(n),
    sourceText: sourceText(n.source),
    awareText: FAMILY_AWARE.find((f) => f.value === n.family_aware)!.text,
    decisionText: n.decision ? DECISION_WORDS[n.decision] : null,
    overdue: !n.decision && n.decide_by < today(),
  }
}
