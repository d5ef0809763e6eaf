import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { readableBy } from '../../policies/episode.ts'
import { ENDED } from '../../policies/referral.ts'
import { displayName } from '../people/repository.ts'
import { REFERRAL_STATUS_TEXT } from './referrals.ts'

/** Read models of referrals: on the plan, on their own page, and the provider's list. */

/** The referrals of an episode's plan, by action. */
export async function referralsByAction(db: Kysely<DB>, episodeId: number) {
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.action_id as actionId', 'r.status', 's.name as service'])
    .where('r.episode_id', '=', episodeId)
    .execute()
  return Object.fromEntries(rows.map((r) => [r.actionId, { ...r, statusText: REFERRAL_STATUS_TEXT[r.status] }]))
}

/** A referral with its service, child and every change, for its page. */
export async function referralView(db: Kysely<DB>, laId: number, episodeId: number, referralId: number) {
  const referral = await db
    .selectFrom('referrals as r')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
    .innerJoin('people as p', 'p.id', 'r.child_person_id')
    .selectAll('r')
    .select(['s.name as service', 's.provider_agency_id as providerAgencyId', 'a.name as provider', 'p.given_name', 'p.family_name'])
    .where('r.id', '=', referralId)
    .where('r.episode_id', '=', episodeId)
    .where('r.la_id', '=', laId)
    .executeTakeFirst()
  if (!referral) throw new NotFound()
  const events = await db
    .selectFrom('referral_events as v')
    .innerJoin('users as u', 'u.id', 'v.by_user_id')
    .select(['v.status', 'v.note', 'v.at', 'u.full_name as by'])
    .where('v.referral_id', '=', referralId)
    .orderBy('v.at')
    .orderBy('v.id')
    .execute()
  return { referral: { ...referral, child: displayName(referral) }, events: events.map((e) => ({ ...e, statusText: REFERRAL_STATUS_TEXT[e.status] })) }
}

/** The referrals to the services of the actor's agency, of families they may open by right: open ones first, the newest first. */
export async function incomingReferrals(db: Kysely<DB>, actor: Actor) {
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .innerJoin('episodes as e', 'e.id', 'r.episode_id')
    .innerJoin('people as p', 'p.id', 'r.child_person_id')
    .select(['r.id', 'r.episode_id as episodeId', 'r.status', 'r.requested_on as requestedOn', 's.name as service', 'p.given_name', 'p.family_name'])
    .where('s.provider_agency_id', '=', actor.agencyId)
    .where('r.la_id', '=', actor.laId)
    .where(readableBy(actor))
    .orderBy(sql`r.status = any(${sql.val(ENDED)}::text[])`)
    .orderBy('r.requested_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({ ...r, child: displayName(r), statusText: REFERRAL_STATUS_TEXT[r.status] }))
}
