import type { Actor } from '../web/actor.ts'

/**
 * The CAF hub (the coordinator role): the council's central team, who may see every child's record
 * and every episode, merge records and review access. The one place the role is checked.
 */
export function isHub(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.includes('coordinator')
}
