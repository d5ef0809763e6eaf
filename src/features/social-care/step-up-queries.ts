import { sql, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB, StepUpStatus } from '../../db/schema.ts'
import { childNamesOf } from '../episodes/repository.ts'
import { displayName } from '../people/repository.ts'
import { ukDate } from '../../web/dates.ts'
import type { EpisodePackage } from './package.ts'

export const STEP_UP_STATUS = { waiting: 'Waiting for social care’s decision', accepted: 'Accepted by social care', 'not-accepted': 'Not accepted' } as const

/** The step ups of an episode, newest first, for its page. */
export function stepUpsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('step_ups')
    .select([
      'id',
      'status',
      'requested_at as requestedAt',
      'decide_by as decideBy',
      'taken_on as takenOn',
      'not_accepted_reason as notAcceptedReason',
      'advice',
    ])
    .where('episode_id', '=', episodeId)
    .where('la_id', '=', laId)
    .orderBy('id', 'desc')
    .execute()
}

/** A step up's page: the request, the decision, and the package as it was sent. */
export async function stepUpView(db: Kysely<DB>, laId: number, id: number) {
  const row = await db
    .selectFrom('step_ups as s')
    .innerJoin('users as r', 'r.id', 's.requested_by')
    .innerJoin('agencies as ra', 'ra.id', 'r.agency_id')
    .leftJoin('users as d', 'd.id', 's.decided_by')
    .selectAll('s')
    .select(['r.full_name as requestedBy', 'ra.name as requestedAgency', 'r.email as requesterEmail', 'd.full_name as decidedBy'])
    .where('s.id', '=', id)
    .where('s.la_id', '=', laId)
    .executeTakeFirstOrThrow()
  return {
    ...row,
    statusText: STEP_UP_STATUS[row.status],
    requestedOn: ukDate(row.requested_at),
    overdue: row.status === 'waiting' && row.decide_by < ukDate(new Date()),
    package: row.package as unknown as EpisodePackage | null,
  }
}

function stepUpList(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('step_ups as s')
    .innerJoin('users as r', 'r.id', 's.requested_by')
    .innerJoin('agencies as a', 'a.id', 'r.agency_id')
    .select((eb) => [
      's.id',
      's.episode_id as episodeId',
      's.status',
      's.requested_at as requestedAt',
      's.decide_by as decideBy',
      's.decided_at as decidedAt',
      'r.full_name as requestedBy',
      'a.name as agency',
      jsonArrayFrom(childNamesOf(db, eb.ref('s.episode_id'))).as('children'),
    ])
    .where('s.la_id', '=', laId)
}

const shaped = <R extends { children: { given_name: string | null; family_name: string | null }[]; status: StepUpStatus; decideBy: string }>(rows: R[]) => {
  const now = ukDate(new Date())
  return rows.map((r) => ({
    ...r,
    child: r.children.map(displayName).join(', '),
    statusText: STEP_UP_STATUS[r.status],
    overdue: r.status === 'waiting' && r.decideBy < now,
  }))
}

/** Step ups waiting for social care, soonest due first: social care's home and the hub's desk. */
export async function waitingStepUps(db: Kysely<DB>, laId: number) {
  return shaped(await stepUpList(db, laId).where('s.status', '=', 'waiting').orderBy('s.decide_by').orderBy('s.id').limit(500).execute())
}

/** Step ups social care decided in the last 90 days, newest first. */
export async function decidedStepUps(db: Kysely<DB>, laId: number) {
  return shaped(
    await stepUpList(db, laId)
      .where('s.status', '<>', 'waiting')
      .where('s.decided_at', '>=', sql<Date>`now() - interval '90 days'`)
      .orderBy('s.decided_at', 'desc')
      .limit(500)
      .execute(),
  )
}
