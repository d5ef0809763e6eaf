import { sql, type Kysely } from 'kysely'
import { isHub } from '../../policies/hub.ts'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'

export class CannotMerge extends Error {}

/**
 * Merges two records of the same person (a coordinator's job). The survivor keeps its details; the
 * other record's history, household memberships, relationships and links move to it, and the other
 * record is kept, marked as merged, so the merge can be explained later.
 */
export async function mergePeople(db: Kysely<DB>, actor: Actor, survivorId: number, mergedId: number, reason: string): Promise<Record<string, number>> {
  if (!isHub(actor)) throw new Forbidden()
  if (survivorId === mergedId) throw new CannotMerge('A record cannot be merged with itself')
  return db.transaction().execute(async (tx) => {
    const both = await tx
      .selectFrom('people')
      .select(['id', 'merged_into'])
      .where('la_id', '=', actor.laId)
      .where('id', 'in', [survivorId, mergedId])
      .forUpdate()
      .execute()
    if (both.length !== 2) throw new NotFound()
    if (both.some((p) => p.merged_into !== null)) throw new CannotMerge('One of these records has already been merged into another')
    const moved: Record<string, number> = {}
    const count = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows)
    moved.history = count(await tx.updateTable('person_changes').set({ person_id: survivorId }).where('person_id', '=', mergedId).executeTakeFirstOrThrow())
    // A membership or relationship the survivor already has is ended/dropped rather than duplicated.
    moved.households = count(
      await tx
        .updateTable('household_members')
        .set({ person_id: survivorId })
        .where('person_id', '=', mergedId)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('household_members as s')
                .select('s.id')
                .whereRef('s.household_id', '=', 'household_members.household_id')
                .where('s.person_id', '=', survivorId)
                .where('s.to_date', 'is', null),
            ),
          ),
        )
        .executeTakeFirstOrThrow(),
    )
    await tx
      .updateTable('household_members')
      .set({ to_date: sql<string>`greatest(from_date, current_date)` })
      .where('person_id', '=', mergedId)
      .where('to_date', 'is', null)
      .execute()
    for (const [col, other] of [
      ['person_id', 'child_id'],
      ['child_id', 'person_id'],
    ] as const) {
      moved[`relationships.${col}`] = count(
        await tx
          .updateTable('relationships')
          .set({ [col]: survivorId })
          .where(col, '=', mergedId)
          .where(other, '!=', survivorId)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('relationships as s').select('s.id').where(`s.${col}`, '=', survivorId).whereRef(`s.${other}`, '=', `relationships.${other}`),
              ),
            ),
          )
          .executeTakeFirstOrThrow(),
      )
    }
    moved.children = count(
      await tx.updateTable('people').set({ mother_id: survivorId }).where('mother_id', '=', mergedId).where('id', '!=', survivorId).executeTakeFirstOrThrow(),
    )
    await tx
      .updateTable('people')
      .set({ merged_into: survivorId, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', mergedId)
      .execute()
    await tx
      .insertInto('person_merges')
      .values({ la_id: actor.laId, survivor_id: survivorId, merged_id: mergedId, reason, moved: JSON.stringify(moved), merged_by: actor.userId })
      .execute()
    await tx
      .insertInto('person_changes')
      .values([
        {
          la_id: actor.laId,
          person_id: survivorId,
          changed_by: actor.userId,
          change_type: 'merged-in',
          changes: JSON.stringify({
            mergedRecord: [null, mergedId],
            moved: [
              null,
              Object.entries(moved)
                .map(([k, n]) => `${k} ${n}`)
                .join(', '),
            ],
          }),
          reason,
        },
        {
          la_id: actor.laId,
          person_id: mergedId,
          changed_by: actor.userId,
          change_type: 'merged-away',
          changes: JSON.stringify({ mergedInto: [null, survivorId] }),
          reason,
        },
      ])
      .execute()
    await auditAs(tx, actor, 'person.merged', { type: 'person', id: survivorId }, { mergedId, moved })
    return moved
  })
}
