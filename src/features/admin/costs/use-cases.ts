import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'
import type { AgencyType } from '../agencies/agency-types.ts'

/** The estimates the cost report uses: an hour of a professional's time by agency type, and the "costs avoided" scenarios. */
export async function costSettings(db: Kysely<DB>, laId: number) {
  const [hourly, avoided] = await Promise.all([
    db.selectFrom('hourly_costs').select(['agency_type as agencyType', 'pounds_per_hour as pounds']).where('la_id', '=', laId).execute(),
    db
      .selectFrom('costs_avoided')
      .select(['id', 'name', 'description', 'cost', 'source'])
      .where('la_id', '=', laId)
      .orderBy('sort_order')
      .orderBy('name')
      .execute(),
  ])
  return { hourly: new Map(hourly.map((h) => [h.agencyType, h.pounds])), avoided }
}

/** Sets the hourly cost of each agency type given (a type left out has no cost set). */
export async function setHourlyCosts(db: Kysely<DB>, actor: Actor, rates: Partial<Record<AgencyType, number | null>>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('hourly_costs').where('la_id', '=', actor.laId).execute()
    const rows = Object.entries(rates).filter((kv): kv is [AgencyType, number] => typeof kv[1] === 'number')
    if (rows.length)
      await tx
        .insertInto('hourly_costs')
        .values(rows.map(([agency_type, pounds]) => ({ la_id: actor.laId, agency_type, pounds_per_hour: pounds, updated_by: actor.userId })))
        .execute()
    await auditAs(tx, actor, 'costs.hourly-set', { type: 'hourly-costs', id: actor.laId }, { rates: Object.fromEntries(rows) })
  })
}

export class DuplicateScenario extends Error {}

export async function addScenario(
  db: Kysely<DB>,
  actor: Actor,
  input: { name: string; description: string; cost: number; source: string | null },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('costs_avoided')
      .select('id')
      .where('la_id', '=', actor.laId)
      .where(sql<boolean>`lower(name) = lower(${input.name})`)
      .executeTakeFirst()
    if (taken) throw new DuplicateScenario()
    const row = await tx
      .insertInto('costs_avoided')
      .values({ la_id: actor.laId, ...input, updated_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'costs.scenario-added', { type: 'cost-avoided', id: row.id }, { cost: input.cost })
  })
}

export async function removeScenario(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('costs_avoided').where('id', '=', id).where('la_id', '=', actor.laId).returning('id').executeTakeFirst()
    if (!gone) throw new NotFound()
    await auditAs(tx, actor, 'costs.scenario-removed', { type: 'cost-avoided', id })
  })
}
