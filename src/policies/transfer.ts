import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { episodeAccess } from './episode.ts'
import { isHub } from './hub.ts'

/**
 * Who may see or decide a transfer (a family moving to another council): the one place the rule is
 * written. A transfer belongs to two councils. Routes declare `record: { transfer: right }`.
 *
 * - read: on the sending side, those who may change the episode (its lead, initiator and team) and the
 *   hub; on the receiving side (a council of this installation), its hub.
 * - decide (accept, allocating a lead, or decline): the receiving council's hub, while it waits.
 */
export type TransferRight = 'read' | 'decide'
export type TransferBasis = 'sending' | 'receiving-hub'

export interface TransferAccess {
  basis: TransferBasis | null
}

export async function transferAccess(db: Kysely<DB>, actor: Actor, id: number): Promise<TransferAccess | null> {
  const row = await db.selectFrom('transfers').select(['la_id', 'to_la_id', 'episode_id']).where('id', '=', id).executeTakeFirst()
  if (!row || (row.la_id !== actor.laId && row.to_la_id !== actor.laId)) return null
  if (row.to_la_id === actor.laId) return { basis: isHub(actor) ? 'receiving-hub' : null }
  const episode = await episodeAccess(db, actor, row.episode_id)
  return { basis: episode?.canChange ? 'sending' : null }
}

export function transferAllows(access: TransferAccess | null, right: TransferRight): boolean {
  if (!access?.basis) return false
  return right === 'read' || access.basis === 'receiving-hub'
}

/** For a use case: the router's decision taken again. NotFound when the actor may not read it; Forbidden when they may read but not this. */
export async function requireTransfer(db: Kysely<DB>, actor: Actor, id: number, right: TransferRight): Promise<TransferAccess> {
  const access = await transferAccess(db, actor, id)
  if (!transferAllows(access, 'read')) throw new NotFound()
  if (!transferAllows(access, right)) throw new Forbidden()
  return access!
}
