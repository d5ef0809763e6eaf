import type { ReferralStatus } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { rolesAllow } from '../web/permissions.ts'
import type { EpisodeAccess } from './episode.ts'
import type { SignpostingAccess } from './signposting.ts'

/**
 * Who may move a referral on, and to what: the one place the rule is written. The provider's staff who
 * do casework answer it (accept, decline, put on the waiting list, start, finish), if they may read
 * what it came from by right: the family's episode (never by breaking the glass, which is for
 * reading), or the signposting request the hub passed to them. Those who made it may withdraw it while
 * it is open: the episode's lead professional and team, or the practitioner who asked for the
 * signposting; and the hub. A finished, declined or withdrawn referral is done with.
 */
export const NEXT: Record<ReferralStatus, readonly ReferralStatus[]> = {
  requested: ['accepted', 'declined', 'withdrawn'],
  accepted: ['waiting', 'started', 'declined', 'withdrawn'],
  waiting: ['started', 'withdrawn'],
  started: ['finished', 'withdrawn'],
  finished: [],
  declined: [],
  withdrawn: [],
}

/** The statuses a referral ends in: nothing can follow them. */
export const ENDED = (Object.keys(NEXT) as ReferralStatus[]).filter((s) => NEXT[s].length === 0)

export interface ReferralFacts {
  status: ReferralStatus
  providerAgencyId: number
}

/** What the actor's access to the referral's source gives: reading it by right, and working on it. */
export interface ReferralGround {
  byRight: boolean
  works: boolean
}

export function groundInEpisode(access: Pick<EpisodeAccess, 'basis' | 'canChange'>): ReferralGround {
  return { byRight: access.basis !== null && access.basis !== 'break-glass', works: access.canChange }
}

export function groundInSignposting(access: SignpostingAccess): ReferralGround {
  return { byRight: access.basis !== null, works: access.basis === 'hub' || access.basis === 'requester' }
}

/** The statuses this actor may move the referral to now, given their ground in what it came from. */
export function referralMoves(actor: Actor, ground: ReferralGround, r: ReferralFacts): ReferralStatus[] {
  const provider = actor.agencyId === r.providerAgencyId && rolesAllow(actor.roles, 'episode.work') && ground.byRight
  return NEXT[r.status].filter((to) => (to === 'withdrawn' ? ground.works : provider))
}
