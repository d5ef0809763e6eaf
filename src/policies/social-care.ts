import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { rolesAllow } from '../web/permissions.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { episodeAccess } from './episode.ts'
import { isHub } from './hub.ts'

/**
 * Who may see or act on the records between early help and children's social care: the one place the
 * rule is written. Routes declare `record: { notification | stepUp | stepDown: right }`.
 *
 * - A notification (a contact social care sends to early help): read by the hub and social care; the
 *   hub decides it.
 * - A step up (early help asks social care to take the family on): read by the hub, social care, and
 *   those who may change the episode (its lead, initiator and team); social care decides it.
 * - A step down (social care hands the family to early help): read by the hub, social care, and those
 *   who may read its episode by right; social care works on it (records its involvement as ended).
 *
 * Social care is the whole team of the council's social care workers (the role), as the front door
 * works: any of them may pick up a step up on the day.
 */
export type InterfaceKind = 'notification' | 'step-up' | 'step-down'
export type InterfaceRight = 'read' | 'decide' | 'work'
export type InterfaceBasis = 'hub' | 'social-care' | 'episode'

export interface InterfaceAccess {
  basis: InterfaceBasis | null
}

const TABLES = { notification: 'interface_notifications', 'step-up': 'step_ups', 'step-down': 'step_downs' } as const

/** Social care workers: the role that sends notifications and step downs and decides step ups. */
export function isSocialCare(actor: Pick<Actor, 'roles'>): boolean {
  return rolesAllow(actor.roles, 'social-care.work')
}

export async function interfaceAccess(db: Kysely<DB>, actor: Actor, kind: InterfaceKind, id: number): Promise<InterfaceAccess | null> {
  const row =
    kind === 'notification'
      ? await db.selectFrom('interface_notifications').select('id').where('id', '=', id).where('la_id', '=', actor.laId).executeTakeFirst()
      : await db.selectFrom(TABLES[kind]).select('episode_id').where('id', '=', id).where('la_id', '=', actor.laId).executeTakeFirst()
  if (!row) return null
  if (isHub(actor)) return { basis: 'hub' }
  if (isSocialCare(actor)) return { basis: 'social-care' }
  if (!('episode_id' in row)) return { basis: null }
  const episode = await episodeAccess(db, actor, row.episode_id)
  const byRight = kind === 'step-up' ? episode?.canChange : episode?.basis && episode.basis !== 'break-glass'
  return { basis: byRight ? 'episode' : null }
}

export function interfaceAllows(kind: InterfaceKind, access: InterfaceAccess | null, right: InterfaceRight): boolean {
  if (!access?.basis) return false
  if (right === 'read') return true
  if (kind === 'notification') return right === 'decide' && access.basis === 'hub'
  return access.basis === 'social-care' && right === (kind === 'step-up' ? 'decide' : 'work')
}

/** For a use case: the router's decision taken again. NotFound when the actor may not read it; Forbidden when they may read but not this. */
export async function requireInterface(db: Kysely<DB>, actor: Actor, kind: InterfaceKind, id: number, right: InterfaceRight): Promise<InterfaceAccess> {
  const access = await interfaceAccess(db, actor, kind, id)
  if (!interfaceAllows(kind, access, 'read')) throw new NotFound()
  if (!interfaceAllows(kind, access, right)) throw new Forbidden()
  return access!
}
