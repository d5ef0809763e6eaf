import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { auditAs } from '../../audit/audit-log.ts'

export function listPopulation(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('child_population')
    .select(['year', 'population', 'target_per_10000 as target', 'updated_at as updatedAt'])
    .where('la_id', '=', actor.laId)
    .orderBy('year', 'desc')
    .execute()
}

/** Records (or corrects) the number of children aged 0 to 17 living in the council's area in a year. */
export async function setPopulation(db: Kysely<DB>, actor: Actor, input: { year: number; population: number; target?: number | null }): Promise<void> {
  const target = input.target ?? null
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('child_population')
      .select(['population', 'target_per_10000 as target'])
      .where('la_id', '=', actor.laId)
      .where('year', '=', input.year)
      .executeTakeFirst()
    await tx
      .insertInto('child_population')
      .values({ la_id: actor.laId, year: input.year, population: input.population, target_per_10000: target, updated_by: actor.userId })
      .onConflict((oc) =>
        oc
          .columns(['la_id', 'year'])
          .doUpdateSet({ population: input.population, target_per_10000: target, updated_by: actor.userId, updated_at: sql<Date>`now()` }),
      )
      .execute()
    await auditAs(
      tx,
      actor,
      'population.set',
      { type: 'child-population', id: input.year },
      {
        from: before?.population ?? null,
        to: input.population,
        targetFrom: before?.target ?? null,
        targetTo: target,
      },
    )
  })
}
