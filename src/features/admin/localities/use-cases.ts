import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { isUniqueViolation, saveIfUnchanged } from '../../../db/conflict.ts'

export class DuplicateName extends Error {}

export function listLocalities(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('localities as l')
    .select(['l.id', 'l.name', 'l.version'])
    .select((eb) => eb.selectFrom('agencies as a').whereRef('a.locality_id', '=', 'l.id').select(eb.fn.countAll<number>().as('n')).as('agencies'))
    .where('l.la_id', '=', actor.laId)
    .orderBy('l.name')
    .execute()
}

export async function getLocality(db: Kysely<DB>, actor: Actor, id: number) {
  const row = await db.selectFrom('localities').select(['id', 'name', 'version']).where('la_id', '=', actor.laId).where('id', '=', id).executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

export async function createLocality(db: Kysely<DB>, actor: Actor, input: { name: string }): Promise<number> {
  try {
    return await db.transaction().execute(async (tx) => {
      const row = await tx.insertInto('localities').values({ la_id: actor.laId, name: input.name }).returning('id').executeTakeFirstOrThrow()
      await auditAs(tx, actor, 'locality.created', { type: 'locality', id: row.id }, { name: input.name })
      return row.id
    })
  } catch (error) {
    if (isUniqueViolation(error, 'localities_name_unique')) throw new DuplicateName()
    throw error
  }
}

export async function renameLocality(db: Kysely<DB>, actor: Actor, id: number, input: { name: string; version: number }): Promise<void> {
  try {
    await db.transaction().execute(async (tx) => {
      const before = await getLocality(tx, actor, id)
      await saveIfUnchanged(
        tx
          .updateTable('localities')
          .set({ name: input.name, updated_at: sql<Date>`now()` })
          .where('la_id', '=', actor.laId)
          .where('id', '=', id),
        input.version,
        () => before,
      )
      await auditAs(tx, actor, 'locality.renamed', { type: 'locality', id }, { from: before.name, to: input.name })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'localities_name_unique')) throw new DuplicateName()
    throw error
  }
}
