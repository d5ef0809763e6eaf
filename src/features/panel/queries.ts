import { sql, type Expression, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { isHub } from '../../policies/hub.ts'
import { sitsOn } from '../../policies/panel.ts'
import { displayName } from '../people/repository.ts'
import { UNITS } from './cases.ts'

/** Read models of the panel: the meetings a user may see, one meeting with its agenda, and an episode's cases at panel. */

/** The meetings the actor chairs or sits on (the hub: all), the next first, then the past. */
export async function meetingsFor(db: Kysely<DB>, actor: Actor) {
  const rows = await db
    .selectFrom('panel_meetings as pm')
    .innerJoin('users as c', 'c.id', 'pm.chair_user_id')
    .select([
      'pm.id',
      'pm.starts_at as startsAt',
      'pm.place',
      'pm.published_at as publishedAt',
      'c.full_name as chair',
      sql<boolean>`pm.meets_on >= (now() at time zone 'Europe/London')::date`.as('upcoming'),
      (eb) =>
        eb
          .selectFrom('panel_requests as r')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('r.meeting_id', '=', 'pm.id')
          .as('cases'),
    ])
    .where('pm.la_id', '=', actor.laId)
    .$if(!isHub(actor), (q) => q.where(sitsOn(actor)))
    .orderBy('pm.starts_at', 'desc')
    .limit(200)
    .execute()
  return { upcoming: rows.filter((r) => r.upcoming).reverse(), past: rows.filter((r) => !r.upcoming) }
}

/** How many cases wait for a panel, for the hub's desk. */
export async function waitingCount(db: Kysely<DB>, laId: number): Promise<number> {
  const row = await db
    .selectFrom('panel_requests')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('la_id', '=', laId)
    .where('meeting_id', 'is', null)
    .executeTakeFirstOrThrow()
  return row.n
}

/** The cases asked for and on no agenda yet, the oldest first: for the hub and chairs to place. */
export async function waitingRequests(db: Kysely<DB>, laId: number) {
  const rows = await db
    .selectFrom('panel_requests as r')
    .innerJoin('users as u', 'u.id', 'r.requested_by')
    .select(['r.id', 'r.episode_id as episodeId', 'r.requested_at as requestedAt', 'r.asked', 'u.full_name as requestedBy'])
    .where('r.la_id', '=', laId)
    .where('r.meeting_id', 'is', null)
    .orderBy('r.requested_at')
    .limit(200)
    .execute()
  return rows
}

/** The children of each episode, by name, for an agenda. */
function childrenOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return jsonArrayFrom(
    db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.given_name', 'p.family_name'])
      .where('ep.episode_id', '=', episodeId)
      .where('ep.role', '=', 'child')
      .orderBy('ep.sort_order'),
  )
}

/** One meeting: its chair, members with their attendance, and its agenda with each case's decision. */
export async function meetingView(db: Kysely<DB>, laId: number, meetingId: number) {
  const meeting = await db
    .selectFrom('panel_meetings as pm')
    .innerJoin('users as c', 'c.id', 'pm.chair_user_id')
    .select([
      'pm.id',
      'pm.starts_at as startsAt',
      'pm.duration_minutes as durationMinutes',
      'pm.place',
      'pm.published_at as publishedAt',
      'pm.meets_on as meetsOn',
      'pm.chair_user_id as chairId',
      'c.full_name as chair',
    ])
    .where('pm.id', '=', meetingId)
    .where('pm.la_id', '=', laId)
    .executeTakeFirst()
  if (!meeting) throw new NotFound()
  const [members, agenda] = await Promise.all([
    db
      .selectFrom('panel_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .innerJoin('agencies as a', 'a.id', 'm.agency_id')
      .select(['u.id', 'u.full_name as name', 'a.name as agency', 'm.attendance'])
      .where('m.meeting_id', '=', meetingId)
      .orderBy('u.full_name')
      .execute(),
    db
      .selectFrom('panel_requests as r')
      .innerJoin('users as u', 'u.id', 'r.requested_by')
      .select([
        'r.id',
        'r.episode_id as episodeId',
        'r.stuck',
        'r.tried',
        'r.asked',
        'r.advice',
        'r.review_on as reviewOn',
        'u.full_name as requestedBy',
        childrenOf(db, sql<number>`r.episode_id`).as('children'),
      ])
      .where('r.meeting_id', '=', meetingId)
      .orderBy('r.id')
      .execute(),
  ])
  return { meeting, members, agenda: agenda.map((c) => ({ ...c, childNames: c.children.map(displayName).join(', ') })) }
}

/** An episode's cases at panel, the newest first: what was asked, the meeting, and the decision with its resources and actions. */
export async function panelCasesOf(db: Kysely<DB>, episodeId: number) {
  const rows = await db
    .selectFrom('panel_requests as r')
    .innerJoin('users as u', 'u.id', 'r.requested_by')
    .leftJoin('panel_meetings as pm', 'pm.id', 'r.meeting_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .select((eb) => [
      'r.id',
      'r.stuck',
      'r.tried',
      'r.asked',
      'r.requested_at as requestedAt',
      'r.advice',
      'r.review_on as reviewOn',
      'r.decided_at as decidedAt',
      'u.full_name as requestedBy',
      'd.full_name as decidedBy',
      'pm.starts_at as meetingAt',
      jsonArrayFrom(
        eb
          .selectFrom('panel_resources as pr')
          .innerJoin('agencies as a', 'a.id', 'pr.agency_id')
          .leftJoin('services as s', 's.id', 'pr.service_id')
          .select(['pr.amount', 'pr.unit', 'a.name as agency', 's.name as service'])
          .whereRef('pr.request_id', '=', 'r.id')
          .orderBy('pr.id'),
      ).as('resources'),
      jsonArrayFrom(
        eb.selectFrom('plan_actions as a').select(['a.id', 'a.description', 'a.due_on as dueOn']).whereRef('a.panel_request_id', '=', 'r.id').orderBy('a.id'),
      ).as('actions'),
    ])
    .where('r.episode_id', '=', episodeId)
    .orderBy('r.requested_at', 'desc')
    .execute()
  return rows.map((r) => ({
    ...r,
    resources: r.resources.map((x) => ({ ...x, text: resourceText(x) })),
    statusText: r.decidedAt ? 'Decided' : r.meetingAt ? 'On a panel’s agenda' : 'Waiting for a panel',
  }))
}

/** "12 hours of Family Support Service (Demo Borough Family Support)", "£250 from Housing". */
export function resourceText(r: { amount: string | number; unit: string; agency: string; service: string | null }): string {
  const amount = Number(r.amount)
  const what =
    r.unit === 'money'
      ? `£${amount.toLocaleString('en-GB', { minimumFractionDigits: amount % 1 ? 2 : 0 })}`
      : `${amount} ${UNITS.find((u) => u.value === r.unit)!.text.toLowerCase()}`
  return r.service ? `${what} of ${r.service} (${r.agency})` : `${what} from ${r.agency}`
}
