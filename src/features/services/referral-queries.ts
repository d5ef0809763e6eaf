import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { readableBy } from '../../policies/episode.ts'
import { ENDED } from '../../policies/referral.ts'
import { displayName } from '../people/repository.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { REFERRAL_STATUS_TEXT, type ReferralSource } from './referrals.ts'

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

/** A referral with its service, child and every change, for its page (or for its signposting request's page). */
export async function referralView(db: Kysely<DB>, laId: number, source: ReferralSource, referralId: number) {
  const referral = await db
    .selectFrom('referrals as r')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
    .innerJoin('people as p', 'p.id', 'r.child_person_id')
    .selectAll('r')
    .select(['s.name as service', 's.provider_agency_id as providerAgencyId', 'a.name as provider', 'p.given_name', 'p.family_name'])
    .where('r.id', '=', referralId)
    .where('episodeId' in source ? 'r.episode_id' : 'r.signposting_id', '=', 'episodeId' in source ? source.episodeId : source.signpostingId)
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

/**
 * The referrals to the services of the actor's agency: from the plans of families they may open by
 * right, and (for casework staff, as policies/signposting.ts says) those the hub passed on from
 * signposting. Open ones first, the newest first.
 */
export async function incomingReferrals(db: Kysely<DB>, actor: Actor) {
  const signposted = rolesAllow(actor.roles, 'episode.work') ? sql<boolean>`r.signposting_id is not null` : sql<boolean>`false`
  const rows = await db
    .selectFrom('referrals as r')
    .innerJoin('services as s', 's.id', 'r.service_id')
    .leftJoin('episodes as e', 'e.id', 'r.episode_id')
    .innerJoin('people as p', 'p.id', 'r.child_person_id')
    .select([
      'r.id',
      'r.episode_id as episodeId',
      'r.signposting_id as signpostingId',
      'r.status',
      'r.requested_on as requestedOn',
      's.name as service',
      'p.given_name',
      'p.family_name',
    ])
    .where('s.provider_agency_id', '=', actor.agencyId)
    .where('r.la_id', '=', actor.laId)
    .where((eb) => eb.or([signposted, eb.and([eb('r.episode_id', 'is not', null), readableBy(actor)])]))
    .orderBy(sql`r.status = any(${sql.val(ENDED)}::text[])`)
    .orderBy('r.requested_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    ...r,
    child: displayName(r),
    statusText: REFERRAL_STATUS_TEXT[r.status],
    href: r.episodeId ? `/episodes/${r.episodeId}/referrals/${r.id}` : `/signposting/${r.signpostingId}`,
  }))
}
