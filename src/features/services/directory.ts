import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { isUniqueViolation, saveIfUnchanged } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'

/**
 * The service directory: what services the council's agencies offer, for whom, and how to refer. The
 * administrators and the hub keep it; every practitioner searches it. Its waiting times are measured
 * from referrals (waiting.ts), never typed in.
 */
export interface ServiceInput {
  name: string
  providerAgencyId: number
  description: string
  minAge: number | null
  maxAge: number | null
  /** The needs it meets: the assessment's element codes. */
  needs: string[]
  localityIds: number[]
  howToRefer: string
  viaHub: boolean
  capacity: number | null
  /** What one referral that starts costs the council, in pounds: an estimate for the cost report. */
  unitCost: number | null
  open: boolean
}

export class DuplicateService extends Error {}
/** An agency, locality or need that is not the council's. */
export class UnknownChoice extends Error {
  constructor(public readonly field: 'providerAgencyId' | 'localityIds' | 'needs') {
    super(`unknown ${field}`)
  }
}

export interface DirectoryFilters {
  q: string | null
  need: string | null
  age: number | null
  locality: number | null
  openOnly: boolean
}

/** The council's services matching the filters, by name: a need it meets, an age it takes, a locality it serves (or all), open now. */
export function searchServices(db: Kysely<DB>, laId: number, f: DirectoryFilters) {
  return (
    db
      .selectFrom('services as s')
      .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
      .select(['s.id', 's.name', 's.description', 's.open', 's.via_hub as viaHub', 's.min_age as minAge', 's.max_age as maxAge', 'a.name as provider'])
      .where('s.la_id', '=', laId)
      .$if(f.q !== null, (q) => q.where(sql<boolean>`(s.name || ' ' || s.description) ilike ${'%' + f.q!.replace(/[\\%_]/g, '\\$&') + '%'}`))
      // A service that names no needs meets any; one with no age limit takes any age.
      .$if(f.need !== null, (q) => q.where(sql<boolean>`(cardinality(s.needs) = 0 or ${f.need} = any(s.needs))`))
      .$if(f.age !== null, (q) => q.where(sql<boolean>`(s.min_age is null or s.min_age <= ${f.age}) and (s.max_age is null or s.max_age >= ${f.age})`))
      .$if(f.locality !== null, (q) =>
        q.where(
          sql<boolean>`(not exists (select 1 from service_localities x where x.service_id = s.id) or exists (select 1 from service_localities x where x.service_id = s.id and x.locality_id = ${f.locality}))`,
        ),
      )
      .$if(f.openOnly, (q) => q.where('s.open', '=', true))
      .orderBy('s.name')
      .limit(200)
      .execute()
  )
}

/** Who a service is for, by age, in words. */
export function agesText(min: number | null, max: number | null): string {
  if (min === null && max === null) return 'Any age'
  if (min === null) return `Up to ${max}`
  if (max === null) return `From ${min}`
  return `${min} to ${max}`
}

export async function getService(db: Kysely<DB>, laId: number, id: number) {
  const service = await db
    .selectFrom('services as s')
    .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
    .selectAll('s')
    .select(['a.name as provider', 'a.email as providerEmail', 'a.phone as providerPhone'])
    .select((eb) =>
      eb
        .selectFrom('service_localities as x')
        .select(sql<number[]>`coalesce(array_agg(x.locality_id), '{}')`.as('ids'))
        .whereRef('x.service_id', '=', 's.id')
        .as('localityIds'),
    )
    .where('s.id', '=', id)
    .where('s.la_id', '=', laId)
    .executeTakeFirst()
  if (!service) throw new NotFound()
  return { ...service, localityIds: (service.localityIds ?? []).map(Number) }
}

async function checkChoices(tx: Kysely<DB>, laId: number, input: ServiceInput) {
  const [agency, localities, needs] = await Promise.all([
    tx.selectFrom('agencies').select('id').where('la_id', '=', laId).where('id', '=', input.providerAgencyId).executeTakeFirst(),
    input.localityIds.length ? tx.selectFrom('localities').select('id').where('la_id', '=', laId).where('id', 'in', input.localityIds).execute() : [],
    input.needs.length ? tx.selectFrom('assessment_elements').select('code').where('la_id', '=', laId).where('code', 'in', input.needs).execute() : [],
  ])
  if (!agency) throw new UnknownChoice('providerAgencyId')
  if (localities.length !== input.localityIds.length) throw new UnknownChoice('localityIds')
  if (needs.length !== input.needs.length) throw new UnknownChoice('needs')
}

const columns = (i: ServiceInput) => ({
  name: i.name,
  provider_agency_id: i.providerAgencyId,
  description: i.description,
  min_age: i.minAge,
  max_age: i.maxAge,
  needs: i.needs,
  how_to_refer: i.howToRefer,
  via_hub: i.viaHub,
  capacity: i.capacity,
  unit_cost: i.unitCost,
  open: i.open,
})

async function saveLocalities(tx: Kysely<DB>, laId: number, serviceId: number, ids: readonly number[]) {
  await tx.deleteFrom('service_localities').where('service_id', '=', serviceId).execute()
  if (ids.length)
    await tx
      .insertInto('service_localities')
      .values(ids.map((locality_id) => ({ service_id: serviceId, la_id: laId, locality_id })))
      .execute()
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (isUniqueViolation(error, 'services_la_id_name_key')) throw new DuplicateService()
    throw error
  }
}

export function createService(db: Kysely<DB>, actor: Actor, input: ServiceInput): Promise<number> {
  return guard(() =>
    db.transaction().execute(async (tx) => {
      await checkChoices(tx, actor.laId, input)
      const { id } = await tx
        .insertInto('services')
        .values({ la_id: actor.laId, ...columns(input), created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await saveLocalities(tx, actor.laId, id, input.localityIds)
      await auditAs(tx, actor, 'service.created', { type: 'service', id }, { name: input.name })
      return id
    }),
  )
}

export function updateService(db: Kysely<DB>, actor: Actor, id: number, input: ServiceInput & { version: number }): Promise<void> {
  return guard(() =>
    db.transaction().execute(async (tx) => {
      const before = await getService(tx, actor.laId, id)
      await checkChoices(tx, actor.laId, input)
      await saveIfUnchanged(
        tx
          .updateTable('services')
          .set({ ...columns(input), updated_at: sql<Date>`now()` })
          .where('id', '=', id)
          .where('la_id', '=', actor.laId),
        input.version,
        () => before,
      )
      await saveLocalities(tx, actor.laId, id, input.localityIds)
      await auditAs(tx, actor, 'service.updated', { type: 'service', id }, { name: input.name })
    }),
  )
}
