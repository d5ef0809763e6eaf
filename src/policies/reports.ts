import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../web/actor.ts'
import { rolesAllow } from '../web/permissions.ts'
import { managerSees } from './episode.ts'

/**
 * Whose episodes a report counts: the whole council for the hub and the data team, a manager's
 * agency's work (the same episodes their desk and lists show them) for a manager. Every report's
 * query asks this one rule, so no figure can count beyond what its reader may see.
 */
export type ReportScope =
  { kind: 'council'; laId: number } | { kind: 'agency'; laId: number; agencyId: number; managesLocalityId: number | null; agencyName?: string }

export function reportScope(actor: Actor): ReportScope {
  if (rolesAllow(actor.roles, 'reports.council')) return { kind: 'council', laId: actor.laId }
  return { kind: 'agency', laId: actor.laId, agencyId: actor.agencyId, managesLocalityId: actor.managesLocalityId }
}

/** The episodes, as `e`, a report in this scope counts. */
export function episodesInScope(scope: ReportScope): RawBuilder<boolean> {
  const council = sql<boolean>`e.la_id = ${scope.laId}`
  return scope.kind === 'council' ? council : sql<boolean>`(${council} and ${managerSees(scope)})`
}
