import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { isUniqueViolation, saveIfUnchanged } from '../../../db/conflict.ts'

export class DuplicateAgency extends Error {}
export class UnknownLocality extends Error {}

export interface AgencyInput {
  name: string
  agencyType: string
  localityId: number | null
  email: string | null
  phone: string | null
  active: boolean
}

export function listAgencies(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('agencies as a')
    .innerJoin('agency_types as t', 't.code', 'a.agency_type')
    .leftJoin('localities as l', 'l.id', 'a.locality_id')
    .select(['a.id', 'a.name', 'a.active', 't.label as typeLabel', 'l.name as localityName'])
    .where('a.la_id', '=', actor.laId)
    .orderBy('a.name')
    .execute()
}

export async function getAgency(db: Kysely<DB>, actor: Actor, id: number) {
  const row = await db
    .selectFrom('agencies')
    .select(['id', 'name', 'agency_type as agencyType', 'locality_id as localityId', 'email', 'phone', 'active', 'version'])
    .where('la_id', '=', actor.laId)
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

async function checkLocality(db: Kysely<DB>, actor: Actor, localityId: number | null) {
  if (localityId === null) return
  const found = await db.selectFrom('localities').select('id').where('la_id', '=', actor.laId).where('id', '=', localityId).executeTakeFirst()
  if (!found) throw new UnknownLocality()
}

function columns(input: AgencyInput) {
  return { name: input.name, agency_type: input.agencyType, locality_id: input.localityId, email: input.email, phone: input.phone, active: input.active }
}

export async function createAgency(db: Kysely<DB>, actor: Actor, input: AgencyInput): Promise<number> {
  return guard(() =>
    db.transaction().execute(async (tx) => {
      await checkLocality(tx, actor, input.localityId)
      const row = await tx
        .insertInto('agencies')
        .values({ la_id: actor.laId, ...columns(input) })
        .returning('id')
        .executeTakeFirstOrThrow()
      await auditAs(tx, actor, 'agency.created', { type: 'agency', id: row.id }, { ...columns(input) })
      return row.id
    }),
  )
}

export async function updateAgency(db: Kysely<DB>, actor: Actor, id: number, input: AgencyInput & { version: number }): Promise<void> {
  await guard(() =>
    db.transaction().execute(async (tx) => {
      const before = await getAgency(tx, actor, id)
      await checkLocality(tx, actor, input.localityId)
      await saveIfUnchanged(
        tx
          .updateTable('agencies')
          .set({ ...columns(input), updated_at: sql<Date>`now()` })
          .where('la_id', '=', actor.laId)
          .where('id', '=', id),
        input.version,
        () => before,
      )
      const old: Record<string, unknown> = columns(before)
      const changed = Object.entries(columns(input))
        .filter(([k, v]) => old[k] !== v)
        .map(([k]) => k)
      await auditAs(tx, actor, 'agency.updated', { type: 'agency', id }, { changed, after: columns(input) })
    }),
  )
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error, 'agencies_name_unique')) throw new DuplicateAgency()
    throw error
  }
}
