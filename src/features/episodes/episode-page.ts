import type { Kysely } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'
import { NotFound } from '../../web/outcome.ts'
import type { SectionData } from '../assessment/fields.ts'
import { assessmentProgress, sectionsOf } from '../assessment/use-cases.ts'
import { closureOf } from '../closure/summary.ts'
import { queuesOfEpisode } from '../desk/queries.ts'
import type { QueueKey } from '../desk/queues.ts'
import { meetingsOf, statusWordsOf } from '../meetings/repository.ts'
import { actionStates, isOverdue } from '../plans/use-cases.ts'
import { cafConfigQuery, levelLabelOf, toCafConfig } from './config.ts'
import { consentInForce, consentSummaryOf } from './consent.ts'
import { episodeQuery, teamOf, toEpisode } from './repository.ts'
import { intentionFollowUpsOf, outcomeWords } from './intention-follow-up.ts'
import { notesOf } from './notes.ts'

/**
 * The episode page's read model: everything the page shows, in one query. Each feature owns the part
 * of the query about its own tables (meetings, the plan, the assessment, consent, the team, the
 * council's settings); this module only nests them under the episode and shapes the answer. A closed
 * episode adds its ending (`closureOf`).
 */
export async function episodePage(db: Kysely<DB>, laId: number, episodeId: number) {
  const [row, queues] = await Promise.all([
    episodeQuery(db, laId, episodeId)
      .select((eb) => {
        const id = eb.ref('e.id')
        const consent = consentSummaryOf(db, id)
        return [
          levelLabelOf(db, laId, eb.ref('e.need_level')).as('level'),
          jsonObjectFrom(cafConfigQuery(db, laId)).as('config'),
          jsonArrayFrom(meetingsOf(db, id)).as('meetingRows'),
          jsonArrayFrom(actionStates(db, id)).as('actions'),
          jsonArrayFrom(sectionsOf(db, id)).as('sections'),
          jsonArrayFrom(teamOf(db, id)).as('team'),
          jsonArrayFrom(notesOf(db, id)).as('notes'),
          jsonArrayFrom(intentionFollowUpsOf(db, id)).as('intentionFollowUps'),
          jsonObjectFrom(consent.latest).as('latestConsent'),
          consent.agencies.as('consentAgencies'),
        ]
      })
      .executeTakeFirst(),
    queuesOfEpisode(db, laId, episodeId),
  ])
  if (!row) throw new NotFound()
  const { level, config: settings, meetingRows, actions, sections, team, notes, intentionFollowUps, latestConsent, consentAgencies, ...rest } = row
  const episode = toEpisode(rest)
  const config = toCafConfig(settings!)
  const meetings = meetingRows.map((m) => ({ ...m, startsAt: new Date(m.startsAt), statusText: statusWordsOf(m) }))
  const agencies = consentAgencies ?? 0
  const consent = { latest: latestConsent, agencies, inForce: consentInForce(latestConsent, agencies) }
  const listedIn = (key: QueueKey) => queues.filter((q) => q.key === key && q.listed)
  const firstMeeting = queues.find((q) => q.key === 'first-meeting')
  return {
    episode,
    level,
    team,
    notes: notes.map((n) => ({ ...n, writtenAt: new Date(n.writtenAt) })),
    intentionFollowUps: intentionFollowUps.map((f) => ({ ...f, outcome: outcomeWords(f.outcome), recordedAt: new Date(f.recordedAt) })),
    meetings,
    missedMeetings: listedIn('non-attendance').map((q) => q.note),
    firstMeeting: firstMeeting && { due: firstMeeting.dueOn, days: settings!.first_taf_days, overdue: firstMeeting.listed },
    overdueActions: actions.filter((a) => isOverdue(a)).length,
    consent,
    progress: assessmentProgress(episode.people, config, sections as { section: string; subject_id: number; data: SectionData }[], consent),
    reviewOverdue: listedIn('reviews-overdue').length > 0,
    closure: episode.closed_at ? await closureOf(db, laId, episode) : null,
  }
}
export type EpisodePage = Awaited<ReturnType<typeof episodePage>>
