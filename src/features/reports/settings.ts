import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { reportScope } from '../../policies/reports.ts'

/** What the reports read of the council before counting: its localities, the small-number threshold, and whose work the reader sees. */
export async function reportSetting(db: Kysely<DB>, actor: Actor) {
  const scope = reportScope(actor)
  const [localities, settings, agency] = await Promise.all([
    db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', actor.laId).orderBy('name').execute(),
    db.selectFrom('caf_settings').select('small_number_threshold').where('la_id', '=', actor.laId).executeTakeFirst(),
    scope.kind === 'agency'
      ? db.selectFrom('agencies').select('name').where('la_id', '=', actor.laId).where('id', '=', scope.agencyId).executeTakeFirst()
      : undefined,
  ])
  return {
    localities,
    threshold: settings?.small_number_threshold ?? 5,
    scopeText:
      scope.kind === 'council'
        ? 'Counting the whole council’s episodes'
        : `Counting the episodes of ${agency?.name ?? 'your agency'}: those it started or is in the team of${scope.managesLocalityId ? ', and those of the locality you manage' : ''}`,
    canExport: rolesAllow(actor.roles, 'inspection.export'),
  }
}
