import { sql, type Expression, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { auditAs } from '../audit/audit-log.ts'
import { changeStage, requireStage } from './stages.ts'

/**
 * Following up an intention to assess that has not become an assessment (the hub's "intentions"
 * queue). Contacted or still intended: the intention stays and the council's follow-up time starts
 * again from today. Not going ahead: the episode closes, with the reason.
 */
export const FOLLOW_UP_OUTCOMES = [
  {
    value: 'contacted',
    text: 'Contacted the practitioner, waiting to hear',
    hint: 'The intention stays open and comes back to the queue after the follow-up time.',
  },
  {
    value: 'still-intended',
    text: 'Still intended: the assessment will go ahead',
    hint: 'The intention stays open and comes back to the queue after the follow-up time.',
  },
  { value: 'not-going-ahead', text: 'Not going ahead', hint: 'The episode closes. Say why, for example the family moved away or the need was met.' },
] as const
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number]['value']
export const FOLLOW_UP_OUTCOME_VALUES = FOLLOW_UP_OUTCOMES.map((o) => o.value)
const OUTCOME_WORDS: Record<string, string> = Object.fromEntries(FOLLOW_UP_OUTCOMES.map((o) => [o.value, o.text]))

/** The code an episode closed this way carries: not a closure reason, like the pre-assessment's decisions. */
export const NOT_GOING_AHEAD = 'intention:not-going-ahead'

export async function followUpIntention(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  input: { outcome: FollowUpOutcome; note: string | null },
): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    if (input.outcome === 'not-going-ahead') {
      await changeStage(tx, actor, episodeId, 'follow-up-intention', 'closed', {
        closed_at: sql<Date>`now()`,
        closed_reason: NOT_GOING_AHEAD,
        closing_summary: input.note,
        closed_by: actor.userId,
      })
    } else {
      await requireStage(tx, actor.laId, episodeId, 'follow-up-intention')
    }
    await tx
      .insertInto('intention_follow_ups')
      .values({ la_id: actor.laId, episode_id: episodeId, outcome: input.outcome, note: input.note, recorded_by: actor.userId })
      .execute()
    await auditAs(tx, actor, 'intention.followed-up', { type: 'episode', id: episodeId }, { outcome: input.outcome })
  })
}

/** An outcome in words, for the episode page. */
export const outcomeWords = (outcome: string) => OUTCOME_WORDS[outcome] ?? outcome

/** An episode's follow-ups of its intention, the latest first: for the episode page. */
export function intentionFollowUpsOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return db
    .selectFrom('intention_follow_ups as f')
    .innerJoin('users as u', 'u.id', 'f.recorded_by')
    .select(['f.id', 'f.outcome', 'f.note', 'f.recorded_at as recordedAt', 'u.full_name as by'])
    .where('f.episode_id', '=', episodeId)
    .orderBy('f.recorded_at', 'desc')
}
