import { sql, type Kysely } from 'kysely'
import { childNames, isCurrentLead } from '../episodes/repository.ts'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { STAGE_LABELS } from '../episodes/stages.ts'

/**
 * "My work": what is waiting for this practitioner, each item linking to where it is done. Episodes
 * they lead or have been asked to lead, the teams they are in, the actions they own (overdue first),
 * the meetings they are invited to that are still to come, and follow-up calls due after closure.
 */
export async function myWork(db: Kysely<DB>, actor: Actor) {
  const [leading, asked, teams, actions, meetings, followUps] = await Promise.all([
    db
      .selectFrom('lead_professionals as l')
      .innerJoin('episodes as e', 'e.id', 'l.episode_id')
      .select(['e.id', 'e.status', childNames.as('children')])
      .where('l.user_id', '=', actor.userId)
      .where('l.la_id', '=', actor.laId)
      .where(isCurrentLead('l'))
      .where('e.status', '!=', 'closed')
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('lead_professionals as l')
      .innerJoin('episodes as e', 'e.id', 'l.episode_id')
      .select(['e.id', childNames.as('children'), 'l.proposed_at as proposedAt'])
      .where('l.user_id', '=', actor.userId)
      .where('l.la_id', '=', actor.laId)
      .where('l.accepted_at', 'is', null)
      .where('l.declined_at', 'is', null)
      .execute(),
    db
      .selectFrom('team_members as t')
      .innerJoin('episodes as e', 'e.id', 't.episode_id')
      .select(['e.id', 'e.status', childNames.as('children')])
      .where('t.user_id', '=', actor.userId)
      .where('t.la_id', '=', actor.laId)
      .where('t.left_at', 'is', null)
      .where('e.status', '!=', 'closed')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('lead_professionals as l')
              .select('l.id')
              .whereRef('l.episode_id', '=', 'e.id')
              .where('l.user_id', '=', actor.userId)
              .where(isCurrentLead('l')),
          ),
        ),
      )
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('plan_actions as a')
      .innerJoin('episodes as e', 'e.id', 'a.episode_id')
      .select(['a.id', 'a.episode_id as episodeId', 'a.description', 'a.due_on as dueOn', 'a.status', childNames.as('children')])
      .where('a.owner_user_id', '=', actor.userId)
      .where('a.la_id', '=', actor.laId)
      .where('a.status', 'in', ['not-started', 'in-progress'])
      .where('e.status', '!=', 'closed')
      .orderBy('a.due_on')
      .limit(200)
      .execute(),
    db
      .selectFrom('meeting_invitees as i')
      .innerJoin('meetings as m', 'm.id', 'i.meeting_id')
      .innerJoin('episodes as e', 'e.id', 'm.episode_id')
      .select(['m.id', 'm.episode_id as episodeId', 'm.starts_at as startsAt', 'm.place', 'i.response', childNames.as('children')])
      .where('i.user_id', '=', actor.userId)
      .where('i.la_id', '=', actor.laId)
      .where('m.status', '=', 'scheduled')
      .where('m.starts_at', '>=', sql<Date>`now() - interval '2 hours'`)
      .orderBy('m.starts_at')
      .limit(100)
      .execute(),
    // Calls due within a fortnight (or overdue) to families whose episode this practitioner led.
    db
      .selectFrom('follow_ups as f')
      .innerJoin('episodes as e', 'e.id', 'f.episode_id')
      .innerJoin('lead_professionals as l', (j) => j.onRef('l.episode_id', '=', 'e.id').on(isCurrentLead('l')))
      .select(['f.id', 'f.episode_id as episodeId', 'f.months', 'f.due_on as dueOn', childNames.as('children')])
      .where('l.user_id', '=', actor.userId)
      .where('f.la_id', '=', actor.laId)
      .where('f.status', '=', 'due')
      .where('f.due_on', '<=', sql<string>`current_date + 14`)
      .orderBy('f.due_on')
      .limit(100)
      .execute(),
  ])
  const now = today()
  return {
    leading: leading.map((e) => ({ ...e, statusLabel: STAGE_LABELS[e.status] })),
    asked,
    teams: teams.map((e) => ({ ...e, statusLabel: STAGE_LABELS[e.status] })),
    // Overdue first: they are already sorted by due date, so the overdue ones lead.
    actions: actions.map((a) => ({ ...a, overdue: a.dueOn < now })),
    meetings,
    followUps: followUps.map((f) => ({ ...f, overdue: f.dueOn < now })),
  }
}

/** Every episode a list shows, for the audit entry of the page. */
export function shownEpisodes(work: Awaited<ReturnType<typeof myWork>>): number[] {
  const ids = [...work.leading, ...work.asked, ...work.teams]
    .map((e) => e.id)
    .concat(
      work.actions.map((a) => a.episodeId),
      work.meetings.map((m) => m.episodeId),
    )
  return [...new Set(ids)]
}
