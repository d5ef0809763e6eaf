import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { queuesOfEpisode } from '../../src/features/desk/queries.ts'
import type { QueueKey } from '../../src/features/desk/queues.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { recordPastMeeting } from '../../src/features/meetings/recording.ts'
import type { Actor } from '../../src/web/actor.ts'
import { buildPerson } from './factories.ts'

type Dated = {
  table: 'episodes' | 'lead_professionals' | 'plan_actions' | 'follow_ups' | 'step_ups' | 'episode_stage_changes' | 'referrals' | 'signposting_requests'
  column: string
}

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

/** A Team Around the Family meeting held `daysAgo` days ago, written up by the actor who chaired it, with this attendance. */
export function heldMeeting(db: Kysely<DB>, actor: Actor, episode: number, daysAgo: number, attendance: Record<number, 'attended' | 'did-not-attend'> = {}) {
  return meetingHeldAt(db, actor, episode, new Date(Date.now() - daysAgo * 86_400_000), { attendance })
}

/** A Team Around the Family meeting held at a moment, for so long, chaired and minuted by the actor. */
export function meetingHeldAt(
  db: Kysely<DB>,
  actor: Actor,
  episode: number,
  startsAt: Date,
  opts: { minutes?: number; attendance?: Record<number, 'attended' | 'did-not-attend'> } = {},
) {
  const attendance = opts.attendance ?? {}
  return recordPastMeeting(db, actor, episode, {
    startsAt,
    durationMinutes: opts.minutes ?? 60,
    place: 'School',
    chairId: actor.userId,
    minuteTakerId: actor.userId,
    attendance,
    familyPresent: true,
    familyAbsentReason: null,
    minutes: 'We met.',
    decisions: null,
  })
}

/** An episode started for a new child with no assessment yet: an intention (as its reason says) or a pre-assessment. */
export async function startedEpisode(db: Kysely<DB>, actor: Actor, start: 'intention' | 'pre-assessment', intentionReason = 'Worried about sleep') {
  const child = await buildPerson(db, actor)
  const started = await startEpisode(db, actor, {
    childId: child.id,
    kind: 'child',
    memberIds: [],
    start,
    intentionReason: start === 'intention' ? intentionReason : null,
    plannedOn: null,
    relationship: null,
  })
  if (started.type !== 'started') throw new Error('the new child already had a CAF')
  return { id: started.id, child }
}
