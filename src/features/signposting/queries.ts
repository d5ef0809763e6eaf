import { sql, type Kysely } from 'kysely'
import type { DB, SignpostingStatus } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { isHub } from '../../policies/hub.ts'
import { cafSettings } from '../episodes/config.ts'
import { displayName } from '../people/repository.ts'
import { REFERRAL_STATUS_TEXT } from '../services/referrals.ts'

/** Read models of signposting: the hub's list (and a practitioner's own), and one request's page. */

export const SIGNPOSTING_STATUS_TEXT: Record<SignpostingStatus, string> = {
  waiting: 'Waiting for the CAF hub',
  passed: 'Passed to the service',
  declined: 'Declined by the CAF hub',
}

/** The need is met when the service finished and the family said it helped (`r`: the request's referral). */
export const MET = sql<boolean>`coalesce(r.status = 'finished' and r.helped = 'yes', false)`

/**
 * The prompt: the request `g`, passed to its service, has not met its need in `weeks`, and its child has
 * no CAF open (a CAF may start from it, as to-caf.ts says): suggest one.
 */
function suggestCaf(weeks: number) {
  return sql<boolean>`(g.requested_at < now() - make_interval(weeks => ${weeks})
    and g.status = 'passed' and g.episode_id is null and not ${MET}
    and not exists (select 1 from episode_people ep where ep.person_id = g.child_person_id and ep.role = 'child' and ep.episode_open))`
}

const promptWeeks = async (db: Kysely<DB>, laId: number) =>
  (await cafSettings(db, laId).select('signposting_prompt_weeks').executeTakeFirstOrThrow()).signposting_prompt_weeks

/** For the hub's desk: how many requests wait for it, and how many are unmet after the council's weeks. */
export async function signpostingCounts(db: Kysely<DB>, laId: number) {
  const weeks = await promptWeeks(db, laId)
  return db
    .selectFrom('signposting_requests as g')
    .leftJoin('referrals as r', 'r.signposting_id', 'g.id')
    .select([
      sql<number>`count(*) filter (where g.status = 'waiting')::int`.as('waiting'),
      sql<number>`count(*) filter (where ${suggestCaf(weeks)})::int`.as('suggestCaf'),
    ])
    .where('g.la_id', '=', laId)
    .executeTakeFirstOrThrow()
}

/**
 * The hub's list: requests waiting for it, oldest first; those whose need is still not met after the
 * council's number of weeks, with no CAF open for the child (the prompt to suggest one); and the rest,
 * newest first. A practitioner sees the requests they made.
 */
export async function signpostingList(db: Kysely<DB>, actor: Actor) {
  const weeks = await promptWeeks(db, actor.laId)
  const rows = await db
    .selectFrom('signposting_requests as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .innerJoin('people as p', 'p.id', 'g.child_person_id')
    .innerJoin('users as u', 'u.id', 'g.requested_by')
    .leftJoin('referrals as r', 'r.signposting_id', 'g.id')
    .select([
      'g.id',
      'g.status',
      'g.requested_at as requestedAt',
      'g.episode_id as episodeId',
      's.name as service',
      'u.full_name as requestedBy',
      'p.given_name',
      'p.family_name',
      'r.status as referralStatus',
      MET.as('met'),
      suggestCaf(weeks).as('suggestCaf'),
    ])
    .where('g.la_id', '=', actor.laId)
    .$if(!isHub(actor), (q) => q.where('g.requested_by', '=', actor.userId))
    .orderBy('g.requested_at', 'desc')
    .orderBy('g.id', 'desc')
    .limit(500)
    .execute()
  const list = rows.map((r) => ({
    ...r,
    child: displayName(r),
    statusText: r.referralStatus
      ? `${SIGNPOSTING_STATUS_TEXT[r.status]}: ${REFERRAL_STATUS_TEXT[r.referralStatus].toLowerCase()}`
      : SIGNPOSTING_STATUS_TEXT[r.status],
  }))
  return {
    weeks,
    waiting: list.filter((r) => r.status === 'waiting').reverse(),
    suggestCaf: list.filter((r) => r.suggestCaf),
    others: list.filter((r) => r.status !== 'waiting' && !r.suggestCaf),
  }
}

/** One request, for its page: the child, the need, the service, the consent and what became of it. */
export async function signpostingView(db: Kysely<DB>, laId: number, id: number) {
  const g = await db
    .selectFrom('signposting_requests as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
    .innerJoin('people as p', 'p.id', 'g.child_person_id')
    .innerJoin('people as giver', 'giver.id', 'g.consent_giver_person_id')
    .innerJoin('users as u', 'u.id', 'g.requested_by')
    .innerJoin('agencies as ua', 'ua.id', 'g.requested_agency_id')
    .leftJoin('users as d', 'd.id', 'g.decided_by')
    .leftJoin('referrals as r', 'r.signposting_id', 'g.id')
    .selectAll('g')
    .select([
      's.name as service',
      'a.name as provider',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth as dateOfBirth',
      'giver.given_name as giverGiven',
      'giver.family_name as giverFamily',
      'u.full_name as requestedBy',
      'u.email as requesterEmail',
      'ua.name as requesterAgency',
      'd.full_name as decidedBy',
      'r.id as referralId',
      MET.as('met'),
    ])
    .where('g.id', '=', id)
    .where('g.la_id', '=', laId)
    .executeTakeFirstOrThrow()
  return {
    ...g,
    child: displayName(g),
    giver: displayName({ given_name: g.giverGiven, family_name: g.giverFamily }),
    statusText: SIGNPOSTING_STATUS_TEXT[g.status],
  }
}
