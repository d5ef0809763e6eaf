import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { episodeAccess, episodeAllows, type EpisodeAccess, type EpisodeRight } from './episode.ts'
import { personAccess, personAllows, type PersonAccess, type PersonRight } from './person.ts'
import { panelAccess, panelAllows, type PanelAccess, type PanelRight } from './panel.ts'
import { signpostingAccess, signpostingAllows, type SignpostingAccess, type SignpostingRight } from './signposting.ts'
import { interfaceAccess, interfaceAllows, type InterfaceAccess, type InterfaceKind, type InterfaceRight } from './social-care.ts'
import { transferAccess, transferAllows, type TransferAccess, type TransferRight } from './transfer.ts'

/**
 * What a route declares about the record in its address (`:id`) and the right it needs. The router
 * asks `decide` before the handler runs. 'break-glass' is the one route of each record that is open
 * to those who may not read it yet: the form that asks why they need to.
 */
export type RecordDeclaration =
  | { episode: EpisodeRight | 'break-glass' }
  | { person: PersonRight | 'break-glass' }
  | { signposting: SignpostingRight }
  | { panel: PanelRight }
  | { notification: InterfaceRight }
  | { stepUp: InterfaceRight }
  | { stepDown: InterfaceRight }
  | { transfer: TransferRight }
export type RecordKind = 'episode' | 'person' | 'signposting' | 'panel' | 'transfer' | InterfaceKind

export type Grant =
  | { kind: 'episode'; id: number; access: EpisodeAccess | null }
  | { kind: 'person'; id: number; access: PersonAccess | null }
  | { kind: 'signposting'; id: number; access: SignpostingAccess | null }
  | { kind: 'panel'; id: number; access: PanelAccess | null }
  | { kind: InterfaceKind; id: number; access: InterfaceAccess | null }
  | { kind: 'transfer'; id: number; access: TransferAccess | null }

/**
 * allowed: run the handler. hidden: the actor may not read the record, or there is no such record; the
 * two get the same answer, so nobody can learn which ids exist. forbidden: they may read it, not do this.
 */
export type Decision = { type: 'allowed'; grant: Grant } | { type: 'hidden'; kind: RecordKind } | { type: 'forbidden'; kind: RecordKind }

/** The social care interface's records, by the key a route declares them with. */
function interfaceOf(declaration: RecordDeclaration): { kind: InterfaceKind; right: InterfaceRight } | null {
  if ('notification' in declaration) return { kind: 'notification', right: declaration.notification }
  if ('stepUp' in declaration) return { kind: 'step-up', right: declaration.stepUp }
  if ('stepDown' in declaration) return { kind: 'step-down', right: declaration.stepDown }
  return null
}

export function declaredRight(declaration: RecordDeclaration): string {
  const social = interfaceOf(declaration)
  if (social) return social.right
  if ('signposting' in declaration) return declaration.signposting
  if ('transfer' in declaration) return declaration.transfer
  if ('panel' in declaration) return declaration.panel
  if ('episode' in declaration) return declaration.episode
  if ('person' in declaration) return declaration.person
  throw new Error('unknown record declaration')
}

export async function decide(db: Kysely<DB>, actor: Actor, declaration: RecordDeclaration, id: number): Promise<Decision> {
  const right = declaredRight(declaration)
  const social = interfaceOf(declaration)
  if (social) {
    const access = await interfaceAccess(db, actor, social.kind, id)
    if (interfaceAllows(social.kind, access, social.right)) return { type: 'allowed', grant: { kind: social.kind, id, access } }
    return { type: interfaceAllows(social.kind, access, 'read') ? 'forbidden' : 'hidden', kind: social.kind }
  }
  if ('transfer' in declaration) {
    const access = await transferAccess(db, actor, id)
    if (transferAllows(access, declaration.transfer)) return { type: 'allowed', grant: { kind: 'transfer', id, access } }
    return { type: transferAllows(access, 'read') ? 'forbidden' : 'hidden', kind: 'transfer' }
  }
  if ('panel' in declaration) {
    const access = await panelAccess(db, actor, id)
    if (panelAllows(access, declaration.panel)) return { type: 'allowed', grant: { kind: 'panel', id, access } }
    return { type: panelAllows(access, 'read') ? 'forbidden' : 'hidden', kind: 'panel' }
  }
  if ('signposting' in declaration) {
    const access = await signpostingAccess(db, actor, id)
    if (signpostingAllows(access, declaration.signposting)) return { type: 'allowed', grant: { kind: 'signposting', id, access } }
    return { type: signpostingAllows(access, 'read') ? 'forbidden' : 'hidden', kind: 'signposting' }
  }
  if ('episode' in declaration) {
    const access = await episodeAccess(db, actor, id)
    const grant: Grant = { kind: 'episode', id, access }
    if (right === 'break-glass') return { type: 'allowed', grant }
    if (episodeAllows(access, right as EpisodeRight)) return { type: 'allowed', grant }
    return { type: episodeAllows(access, 'read') ? 'forbidden' : 'hidden', kind: 'episode' }
  }
  const access = await personAccess(db, actor, id)
  const grant: Grant = { kind: 'person', id, access }
  if (right === 'break-glass') return { type: 'allowed', grant }
  if (personAllows(access, right as PersonRight)) return { type: 'allowed', grant }
  return { type: personAllows(access, 'read') ? 'forbidden' : 'hidden', kind: 'person' }
}
