import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import type { Episode } from '../episodes/repository.ts'
import { outcomeCounts } from '../plans/use-cases.ts'
import { followUpsOf } from './use-cases.ts'

/** A closed episode's ending, for its page: why, the summary, outcomes achieved, follow-ups, and whether it may reopen. */
export async function closureOf(db: Kysely<DB>, laId: number, episode: Episode) {
  const [reason, settings, followUps, outcomes] = await Promise.all([
    db
      .selectFrom('closure_reasons')
      .select('label')
      .where('la_id', '=', laId)
      .where('code', '=', episode.closed_reason ?? '')
      .executeTakeFirst(),
    db.selectFrom('caf_settings').select('reopen_days').where('la_id', '=', laId).executeTakeFirstOrThrow(),
    followUpsOf(db, laId, episode.id),
    outcomeCounts(db, episode.id),
  ])
  const closedOn = ukDate(episode.closed_at!)
  const reopenUntil = addDays(closedOn, settings.reopen_days)
  return {
    // A decision at the pre-assessment ends an episode too: its reason is not a closure reason.
    reasonLabel: reason?.label ?? null,
    summary: episode.closing_summary,
    outcomes,
    followUps: followUps.map((f) => ({ ...f, isDue: f.status === 'due' && f.due_on <= today() })),
    canReopen: Boolean(episode.assessment_completed_at) && today() <= reopenUntil,
    reopenUntil,
  }
}
