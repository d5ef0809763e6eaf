import { sql, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'
import { addDays, today } from '../../web/dates.ts'
import { childNamesOf, isCurrentLead } from '../episodes/repository.ts'
import { ukDay } from '../desk/queues.ts'
import { displayName } from '../people/repository.ts'
import { DECISION_POINTS, handoverState, meetingNeededBy, type HandoverState } from './step-downs.ts'

export const HANDOVER_WORDS: Record<HandoverState, string> = {
  met: 'Met: the meeting was held in time',
  arranged: 'A meeting is arranged in time',
  'on-track': 'No meeting arranged yet',
  'at-risk': 'At risk: no meeting arranged in time',
  broken: 'Broken: no meeting was held in time',
}

/** How long a step down whose involvement ended stays on the lists. */
const RECENT_DAYS = 90

function stepDowns(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('step_downs as d')
    .innerJoin('episodes as e', 'e.id', 'd.episode_id')
    .innerJoin('users as s', 's.id', 'd.started_by')
    .innerJoin('agencies as pa', 'pa.id', 'd.proposed_agency_id')
    .leftJoin('lead_professionals as l', (j) => j.onRef('l.episode_id', '=', 'd.episode_id').on(isCurrentLead('l')))
    .leftJoin('users as lu', 'lu.id', 'l.user_id')
    .selectAll('d')
    .select((eb) => [
      's.full_name as startedBy',
      'pa.name as proposedAgency',
      'lu.full_name as leadName',
      sql<boolean>`exists (select 1 from lead_professionals p where p.episode_id = d.episode_id and p.accepted_at is null and p.declined_at is null)`.as(
        'leadAsked',
      ),
      jsonArrayFrom(childNamesOf(db, eb.ref('d.episode_id'))).as('children'),
      jsonArrayFrom(
        db
          .selectFrom('meetings as m')
          .select([ukDay('m.starts_at').as('day'), 'm.status', 'm.id'])
          .where('m.episode_id', '=', eb.ref('d.episode_id'))
          .where('m.status', '<>', 'cancelled')
          .orderBy('m.starts_at'),
      ).as('meetings'),
    ])
    .where('d.la_id', '=', laId)
}

type Row = Awaited<ReturnType<ReturnType<typeof stepDowns>['execute']>>[number]

function shape(r: Row, now: string) {
  // Social care may let go before the day it planned: the rule is then judged against the day it did.
  const endsOn = r.ended_on && r.ended_on < r.involvement_ends_on ? r.ended_on : r.involvement_ends_on
  const state = handoverState(endsOn, r.meetings, now)
  return {
    ...r,
    child: r.children.map(displayName).join(', '),
    decisionPointText: DECISION_POINTS.find((p) => p.value === r.decision_point)!.text,
    meetingNeededBy: meetingNeededBy(endsOn),
    // Once social care has let go, the rule is settled: what happened stays as it was.
    handover: state,
    handoverText: HANDOVER_WORDS[state],
    leadState: r.leadName ? 'accepted' : r.leadAsked ? 'asked' : 'to-allocate',
  }
}

export async function stepDownView(db: Kysely<DB>, laId: number, id: number) {
  return shape(await stepDowns(db, laId).where('d.id', '=', id).executeTakeFirstOrThrow(), today())
}

/** The step down an episode came from, if any. */
export async function stepDownOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const row = await stepDowns(db, laId).where('d.episode_id', '=', episodeId).executeTakeFirst()
  return row ? shape(row, today()) : null
}

/** Step downs still open (social care not yet let go), soonest end first, and those ended in the last 90 days. */
export async function stepDownLists(db: Kysely<DB>, laId: number) {
  const now = today()
  const rows = await stepDowns(db, laId)
    .where((w) => w.or([w('d.ended_on', 'is', null), w('d.ended_on', '>=', addDays(now, -RECENT_DAYS))]))
    .orderBy('d.involvement_ends_on')
    .orderBy('d.id')
    .limit(500)
    .execute()
  const list = rows.map((r) => shape(r, now))
  const open = list.filter((d) => !d.ended_on)
  return {
    open,
    ended: list.filter((d) => d.ended_on),
    toAllocate: open.filter((d) => d.leadState === 'to-allocate').length,
    atRisk: open.filter((d) => d.handover === 'at-risk' || d.handover === 'broken').length,
  }
}
