import type { ReferralStatus } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { rolesAllow } from '../web/permissions.ts'
import type { EpisodeAccess } from './episode.ts'

/**
 * Who may move a referral on, and to what: the one place the rule is written. The provider's staff who
 * do casework answer it (accept, decline, put on the waiting list, start, finish), if they may read the
 * family's episode by right (never by breaking the glass, which is for reading); those working on the
 * episode (its lead professional and team, the hub) may withdraw it while it is open. A finished,
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

/** The statuses a referral ends in: nothing can follow them. */
export const ENDED = (Object.keys(NEXT) as ReferralStatus[]).filter((s) => NEXT[s].length === 0)

export interface ReferralFacts {
  status: ReferralStatus
  providerAgencyId: number
}

/** The statuses this actor may move the referral to now, given their access to its episode. */
export function referralMoves(actor: Actor, access: Pick<EpisodeAccess, 'basis' | 'canChange'>, r: ReferralFacts): ReferralStatus[] {
  const provider = actor.agencyId === r.providerAgencyId && rolesAllow(actor.roles, 'episode.work') && access.basis !== null && access.basis !== 'break-glass'
  return NEXT[r.status].filter((to) => (to === 'withdrawn' ? access.canChange : provider))
}
