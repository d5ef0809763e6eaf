import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../web/actor.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { isHub } from '../../policies/hub.ts'
import { managerSees, readableBy } from '../../policies/episode.ts'
import { responsibleAgency } from '../episodes/repository.ts'

/**
 * Whose work a queue shows:
 * - council: every episode of the council (the hub);
 * - agency: a manager's agency's episodes, and their locality's if they manage one;
 * - mine: the episodes the user is responsible for — they lead it, or started it and nobody leads it yet.
 * Every scope is also cut to the episodes the user may read by right (the episode policy), so nobody
 * sees an episode they cannot open, not even as a count.
 */
export const SCOPES = ['council', 'agency', 'mine'] as const
export type Scope = (typeof SCOPES)[number]

export const SCOPE_NAMES: Record<Scope, string> = { council: 'The whole council', agency: 'My agency', mine: 'Mine' }

/** The scopes a user may choose, the widest first (the first is where their desk opens). */
export function scopesFor(actor: Actor): Scope[] {
  const scopes: Scope[] = []
  if (isHub(actor)) scopes.push('council')
  if (actor.roles.includes('manager')) scopes.push('agency')
  if (rolesAllow(actor.roles, 'episode.work')) scopes.push('mine')
  return scopes
}

export { responsibleAgency }

/** The episodes (as `e`) a scope holds for the actor, as SQL. The caller has checked the scope is one of `scopesFor`. */
export function scopeSql(actor: Actor, scope: Scope): RawBuilder<boolean> {
  if (scope === 'council') return readableBy(actor)
  const own =
    scope === 'agency'
      ? managerSees(actor)
      : sql<boolean>`(e.lead_user_id = ${actor.userId} or (e.initiator_user_id = ${actor.userId} and e.lead_user_id is null))`
  return sql<boolean>`(${own} and ${readableBy(actor)})`
}
