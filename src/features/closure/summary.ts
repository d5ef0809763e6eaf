import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import type { Episode } from '../episodes/repository.ts'
import { outcomeCounts } from '../plans/use-cases.ts'
import { followUpsOf, handedOver, STEP_UP_REASON } from './use-cases.ts'
import { cafSettings } from '../episodes/config.ts'
import { NOT_GOING_AHEAD } from '../episodes/intention-follow-up.ts'

/** A closed episode's ending, for its page: why, the summary, outcomes achieved, follow-ups, and whether it may reopen. */
export async function closureOf(db: Kysely<DB>, laId: number, episode: Episode) {
  const [reason, settings, followUps, outcomes, stepUp, handed] = await Promise.all([
    db
      .selectFrom('closure_reasons')
      .select('label')
      .where('la_id', '=', laId)
      .where('code', '=', episode.closed_reason ?? '')
      .executeTakeFirst(),
    cafSettings(db, laId).select(['reopen_days']).executeTakeFirstOrThrow(),
    followUpsOf(db, laId, episode.id),
    outcomeCounts(db, episode.id),
    // The step up social care accepted: the latest, as an episode closes once.
    episode.closed_reason === STEP_UP_REASON
      ? db
          .selectFrom('step_ups')
          .select(['id', 'taken_on as takenOn', 'status'])
          .where('episode_id', '=', episode.id)
          .where('la_id', '=', laId)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined,
    handedOver(db, episode.id),
  ])
  const closedOn = ukDate(episode.closed_at!)
  const reopenUntil = addDays(closedOn, settings.reopen_days)
  return {
    // A decision at the pre-assessment ends an episode too: its reason is not a closure reason.
    reasonLabel: reason?.label ?? (episode.closed_reason === NOT_GOING_AHEAD ? 'The intention to assess did not go ahead' : null),
    summary: episode.closing_summary,
    withOpenOutcomes: episode.closed_with_open_outcomes,
    outcomes,
    followUps: followUps.map((f) => ({ ...f, isDue: f.status === 'due' && f.due_on <= today() })),
    canReopen: Boolean(episode.assessment_completed_at) && today() <= reopenUntil && !handed,
    stepUp: stepUp ?? null,
    reopenUntil,
  }
}
