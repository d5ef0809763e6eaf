import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { rolesAllow } from '../web/permissions.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { isHub } from './hub.ts'

/**
 * Who may see or act on a signposting request (one need sent to a service through the hub, without a
 * CAF): the one place the rule is written. Routes declare `record: { signposting: right }`.
 *
 * - read: the hub; the practitioner who asked; once the hub has passed it on, the casework staff of the
 *   agency that provides the service (the family's consent names that service).
 * - work (withdraw the referral, start a CAF from it): the hub and the practitioner who asked.
 * - decide (pass it to the service or decline it): the hub.
 */
export type SignpostingRight = 'read' | 'work' | 'decide'
export type SignpostingBasis = 'hub' | 'requester' | 'provider'

export interface SignpostingAccess {
  basis: SignpostingBasis | null
}

export async function signpostingAccess(db: Kysely<DB>, actor: Actor, id: number): Promise<SignpostingAccess | null> {
  const row = await db
    .selectFrom('signposting_requests as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .select(['g.requested_by', 'g.status', 's.provider_agency_id'])
    .where('g.id', '=', id)
    .where('g.la_id', '=', actor.laId)
    .executeTakeFirst()
  if (!row) return null
  if (isHub(actor)) return { basis: 'hub' }
  if (row.requested_by === actor.userId) return { basis: 'requester' }
  const provider = row.status === 'passed' && row.provider_agency_id === actor.agencyId && rolesAllow(actor.roles, 'episode.work')
  return { basis: provider ? 'provider' : null }
}

export function signpostingAllows(access: SignpostingAccess | null, right: SignpostingRight): boolean {
  if (!access?.basis) return false
  if (right === 'read') return true
  if (right === 'work') return access.basis !== 'provider'
  return access.basis === 'hub'
}

/** For a use case: the router's decision taken again. NotFound when the actor may not read it; Forbidden when they may read but not this. */
export async function requireSignposting(db: Kysely<DB>, actor: Actor, id: number, right: SignpostingRight): Promise<SignpostingAccess> {
  const access = await signpostingAccess(db, actor, id)
  if (!signpostingAllows(access, 'read')) throw new NotFound()
  if (!signpostingAllows(access, right)) throw new Forbidden()
  return access!
}
