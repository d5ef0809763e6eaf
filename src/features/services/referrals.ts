import { sql, type Kysely } from 'kysely'
import type { DB, ReferralStatus } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { groundInEpisode, groundInSignposting, referralMoves } from '../../policies/referral.ts'
import { requireSignposting } from '../../policies/signposting.ts'
import { auditAs } from '../audit/audit-log.ts'
import { consentOf } from '../episodes/consent.ts'
import { responsibleProfessional } from '../episodes/repository.ts'
import { requireStage } from '../episodes/stages.ts'
import { queueMail } from '../mail/outbox.ts'

/**
 * Referrals to services from the plan: a plan action becomes a referral carrying what the service needs
 * (the need, the desired outcome, the child), if the family's consent names the provider's agency. The
 * provider answers it and says when it started and finished; the dates make the waiting times.
 */

export const REFERRAL_STATUS_TEXT: Record<ReferralStatus, string> = {
  requested: 'Asked for',
  accepted: 'Accepted',
  declined: 'Declined',
  waiting: 'On the waiting list',
  started: 'Started',
  finished: 'Finished',
  withdrawn: 'Withdrawn',
}

/** The moves that end a referral and need a reason. */
const ENDED_WITH_REASON: readonly ReferralStatus[] = ['declined', 'withdrawn']

/** The family's consent does not name the agency that provides the service: nothing may be shared with it. */
export class ConsentDoesNotName extends Error {}
/** What a change needs and was not given, field to message. */
export class ReferralRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('referral refused')
  }
}

export async function referFromAction(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  actionId: number,
  input: { serviceId: number; childId: number },
): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'plan')
    const [action, service, child, consent] = await Promise.all([
      tx
        .selectFrom('plan_actions as a')
        .innerJoin('plan_outcomes as o', 'o.id', 'a.outcome_id')
        .select([
          'a.id',
          'o.need',
          'o.outcome',
          (eb) => eb.exists(eb.selectFrom('referrals as r').select('r.id').whereRef('r.action_id', '=', 'a.id')).as('referred'),
        ])
        .where('a.id', '=', actionId)
        .where('a.episode_id', '=', episodeId)
        .executeTakeFirst(),
      tx
        .selectFrom('services')
        .select(['id', 'provider_agency_id', 'open'])
        .where('id', '=', input.serviceId)
        .where('la_id', '=', actor.laId)
        .executeTakeFirst(),
      tx
        .selectFrom('episode_people')
        .select('person_id')
        .where('episode_id', '=', episodeId)
        .where('person_id', '=', input.childId)
        .where('role', '=', 'child')
        .executeTakeFirst(),
      consentOf(tx, actor.laId, episodeId),
    ])
    if (!action) throw new NotFound()
    if (!service) throw new ReferralRefused({ serviceId: 'Select a service from the list' })
    if (!child) throw new ReferralRefused({ childId: 'Select the child from the list' })
    if (action.referred) throw new ReferralRefused({ serviceId: 'This action is already a referral' })
    if (!service.open) throw new ReferralRefused({ serviceId: 'This service is not taking new referrals' })
    if (!consent.inForce || !consent.current.some((a) => a.agencyId === service.provider_agency_id)) throw new ConsentDoesNotName()
    const { id } = await tx
      .insertInto('referrals')
      .values({
        la_id: actor.laId,
        episode_id: episodeId,
        action_id: actionId,
        service_id: service.id,
        child_person_id: input.childId,
        need: action.need,
        outcome: action.outcome,
        requested_on: today(),
        requested_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tx.insertInto('referral_events').values({ la_id: actor.laId, referral_id: id, status: 'requested', note: null, by_user_id: actor.userId }).execute()
    await auditAs(tx, actor, 'referral.requested', { type: 'episode', id: episodeId }, { referral: id, service: service.id })
    return id
  })
}

export interface ReferralChange {
  to: ReferralStatus
  startedOn: string | null
  helped: 'yes' | 'partly' | 'no' | null
  reason: string | null
}

/** What a move needs: a start date (not before the referral, not in the future), whether it helped, or a reason. */
function changeErrors(change: ReferralChange, requestedOn: string): Record<string, string> {
  if (change.to === 'started' && change.startedOn === null) return { 'started-day': 'Enter the date the service started' }
  if (change.to === 'started' && change.startedOn! < requestedOn) return { 'started-day': 'The date it started must be on or after the day it was asked for' }
  if (change.to === 'started' && change.startedOn! > today()) return { 'started-day': 'The date it started must be today or in the past' }
  if (change.to === 'finished' && change.helped === null) return { helped: 'Select whether it helped' }
  if (ENDED_WITH_REASON.includes(change.to) && change.reason === null)
    return { reason: change.to === 'declined' ? 'Enter why it was declined' : 'Enter why it was withdrawn' }
  return {}
}

/** Where a referral came from: a plan action of an episode, or a signposting request. */
export type ReferralSource = { episodeId: number } | { signpostingId: number }

/** The actor's ground in the source (refusing one who may not read it), who hears of a change, and where they see it. */
async function sourceOf(db: Kysely<DB>, actor: Actor, source: ReferralSource, referralId: number, baseUrl: string) {
  if ('episodeId' in source) {
    const ground = groundInEpisode(await requireEpisode(db, actor, source.episodeId, 'read'))
    const told = async (tx: Kysely<DB>) => ({
      ...(await responsibleProfessional(tx, actor.laId, source.episodeId)),
      about: `a family in CAF episode ${source.episodeId}`,
    })
    return { ground, told, url: `${baseUrl}/episodes/${source.episodeId}/referrals/${referralId}`, record: { type: 'episode', id: source.episodeId } }
  }
  const ground = groundInSignposting(await requireSignposting(db, actor, source.signpostingId, 'read'))
  const told = async (tx: Kysely<DB>) => {
    const u = await tx
      .selectFrom('signposting_requests as g')
      .innerJoin('users as u', 'u.id', 'g.requested_by')
      .select(['u.id', 'u.full_name as name', 'u.email'])
      .where('g.id', '=', source.signpostingId)
      .executeTakeFirstOrThrow()
    return { ...u, about: `signposting request ${source.signpostingId}` }
  }
  return { ground, told, url: `${baseUrl}/signposting/${source.signpostingId}`, record: { type: 'signposting', id: source.signpostingId } }
}

/** Moves a referral on, if the actor may; whoever made it is emailed (no child's name) unless it was them. */
export async function changeReferral(
  db: Kysely<DB>,
  actor: Actor,
  source: ReferralSource,
  referralId: number,
  change: ReferralChange,
  baseUrl: string,
): Promise<void> {
  const { ground, told, url, record } = await sourceOf(db, actor, source, referralId, baseUrl)
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .selectFrom('referrals as r')
      .innerJoin('services as s', 's.id', 'r.service_id')
      .select(['r.status', 'r.requested_on', 's.provider_agency_id', 's.name as service'])
      .where('r.id', '=', referralId)
      .where('episodeId' in source ? 'r.episode_id' : 'r.signposting_id', '=', 'episodeId' in source ? source.episodeId : source.signpostingId)
      .where('r.la_id', '=', actor.laId)
      .forUpdate('r')
      .executeTakeFirst()
    if (!r) throw new NotFound()
    const moves = referralMoves(actor, ground, { status: r.status, providerAgencyId: r.provider_agency_id })
    if (!moves.length) throw new Forbidden()
    // Someone else moved it on while the form was open, or a move that was never offered.
    if (!moves.includes(change.to))
      throw new ReferralRefused({ to: 'This referral cannot move to that now. It may have changed since you opened it: choose again' })
    const errors = changeErrors(change, r.requested_on)
    if (Object.keys(errors).length) throw new ReferralRefused(errors)
    await tx
      .updateTable('referrals')
      .set({
        status: change.to,
        ...(change.to === 'started' ? { started_on: change.startedOn } : {}),
        ...(change.to === 'finished' ? { helped: change.helped } : {}),
        ...(ENDED_WITH_REASON.includes(change.to) ? { reason: change.reason } : {}),
        version: sql<number>`version + 1`,
      })
      .where('id', '=', referralId)
      .execute()
    await tx
      .insertInto('referral_events')
      .values({
        la_id: actor.laId,
        referral_id: referralId,
        status: change.to,
        note: ENDED_WITH_REASON.includes(change.to) ? change.reason : null,
        by_user_id: actor.userId,
      })
      .execute()
    const lead = await told(tx)
    if (lead.id !== actor.userId) {
      await queueMail(tx, {
        laId: actor.laId,
        to: lead.email,
        subject: `A referral to ${r.service}: ${REFERRAL_STATUS_TEXT[change.to].toLowerCase()}`,
        text: [
          `Hello ${lead.name},`,
          '',
          `A referral to ${r.service} for ${lead.about} is now: ${REFERRAL_STATUS_TEXT[change.to]}.`,
          '',
          `See it here: ${url}`,
          '',
          'This email does not name the family, to keep their information safe.',
        ].join('\n'),
      })
    }
    await auditAs(tx, actor, 'referral.changed', record, { referral: referralId, to: change.to })
  })
}
