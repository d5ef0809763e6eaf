import type { ReferralStatus } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'

/**
 * Who may move a referral on, and to what: the one place the rule is written. The provider's staff
 * answer it (accept, decline, put on the waiting list, start, finish); those working on the episode
 * (its lead professional and team, the hub) may withdraw it while it is still open. A finished,
 * declined or withdrawn referral is done with.
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

export interface ReferralFacts {
  status: ReferralStatus
  providerAgencyId: number
  /** The actor may change the episode (the episode policy's work right). */
  actorWorksOnEpisode: boolean
}

/** The statuses this actor may move the referral to now. */
export function referralMoves(actor: Actor, r: ReferralFacts): ReferralStatus[] {
  const provider = actor.agencyId === r.providerAgencyId
  return NEXT[r.status].filter((to) => (to === 'withdrawn' ? r.actorWorksOnEpisode : provider))
}
