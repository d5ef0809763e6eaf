import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { saveIfUnchanged } from '../../db/conflict.ts'
import { requirePerson, personAccess } from '../../policies/person.ts'
import { LIKELY_MATCH } from './matching.ts'
import type { PersonDetails } from './person-form.ts'
import { DETAIL_FIELDS, findPerson, isLivePerson, toColumns } from './repository.ts'
import { findPeople, type RankedPerson } from './search.ts'

export class UnknownAgencyOrPerson extends Error {
  constructor(public readonly field: 'schoolId' | 'gpId' | 'motherId') {
    super(field)
  }
}

/** The school, GP practice and mother named must be of the actor's council (and a school or GP). */
async function checkLinks(db: Kysely<DB>, actor: Actor, d: PersonDetails) {
  const agency = async (id: number | null, types: string[], field: 'schoolId' | 'gpId') => {
    if (id === null) return
    const found = await db
      .selectFrom('agencies')
      .select('id')
      .where('la_id', '=', actor.laId)
      .where('id', '=', id)
      .where('agency_type', 'in', types)
      .executeTakeFirst()
    if (!found) throw new UnknownAgencyOrPerson(field)
  }
  await agency(d.schoolId, ['primary_school', 'secondary_school', 'special_school', 'early_years', 'further_education'], 'schoolId')
  await agency(d.gpId, ['gp_practice'], 'gpId')
  if (d.motherId !== null && !(await isLivePerson(db, actor.laId, d.motherId))) throw new UnknownAgencyOrPerson('motherId')
}

/** People already on the register who look like the one about to be added. */
export async function likelyDuplicates(db: Kysely<DB>, actor: Actor, d: PersonDetails): Promise<RankedPerson[]> {
  const text = [d.givenName, d.familyName].filter(Boolean).join(' ')
  const found = await findPeople(
    db,
    actor.laId,
    { text, dob: d.dateOfBirth ?? d.expectedDeliveryDate, postcode: d.postcode, schoolId: d.schoolId, nhsNumber: d.nhsNumber, upn: d.upn },
    10,
  )
  return found.filter((p) => p.score >= LIKELY_MATCH)
}

export type CreateResult = { type: 'created'; id: number } | { type: 'duplicates'; matches: RankedPerson[] }

/**
 * Adds a person, but only after the likely duplicates have been looked at: if there are any and no
 * reason was given for why this is someone else, nothing is saved and the matches are returned.
 */
export async function createPerson(db: Kysely<DB>, actor: Actor, d: PersonDetails, duplicateReason: string | null): Promise<CreateResult> {
  await checkLinks(db, actor, d)
  const matches = await likelyDuplicates(db, actor, d)
  if (matches.length && !duplicateReason) {
    // The matches are shown to the user (search-level details only): that is recorded like a search.
    await auditAs(db, actor, 'person.duplicates-shown', null, { shown: matches.map((m) => m.id) })
    return { type: 'duplicates', matches }
  }
  const id = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('people')
      .values({ la_id: actor.laId, ...toColumns(d), created_by: actor.userId, created_by_agency: actor.agencyId })
      .returning('id')
      .executeTakeFirstOrThrow()
    const given = Object.fromEntries(DETAIL_FIELDS.filter((f) => d[f] !== null).map((f) => [f, [null, d[f]]]))
    await tx
      .insertInto('person_changes')
      .values({ la_id: actor.laId, person_id: row.id, changed_by: actor.userId, change_type: 'created', changes: JSON.stringify(given) })
      .execute()
    for (const m of matches) {
      await tx
        .insertInto('duplicate_dismissals')
        .values({ la_id: actor.laId, person_id: row.id, candidate_id: m.id, reason: duplicateReason!, dismissed_by: actor.userId })
        .execute()
    }
    await auditAs(tx, actor, 'person.created', { type: 'person', id: row.id }, { dismissedDuplicates: matches.map((m) => m.id) })
    return row.id
  })
  return { type: 'created', id }
}

/** A record the actor may read (fully or not), with how far. Throws NotFound for unknown ids and for records the actor may not read. */
export async function openPerson(db: Kysely<DB>, actor: Actor, id: number) {
  const access = await requirePerson(db, actor, id, 'read')
  const person = await findPerson(db, actor.laId, id)
  if (!person) throw new NotFound()
  return { person, access }
}

/** A record the actor may change, and not merged away. Throws NotFound or Forbidden otherwise. */
export async function openPersonForChange(db: Kysely<DB>, actor: Actor, id: number) {
  await requirePerson(db, actor, id, 'edit')
  const person = await findPerson(db, actor.laId, id)
  if (!person) throw new NotFound()
  if (person.mergedInto) throw new Forbidden()
  return person
}

/** A person the actor is about to start a CAF for: NotFound for unknown and merged-away ids, whatever the actor's access. */
export async function personToStart(db: Kysely<DB>, actor: Actor, id: number) {
  const person = await findPerson(db, actor.laId, id)
  if (!person || person.mergedInto) throw new NotFound()
  return { person, access: await personAccess(db, actor, id) }
}

export async function updatePerson(db: Kysely<DB>, actor: Actor, id: number, d: PersonDetails, version: number): Promise<void> {
  await checkLinks(db, actor, d)
  await db.transaction().execute(async (tx) => {
    const person = await openPersonForChange(tx, actor, id)
    const changed = DETAIL_FIELDS.filter((f) => person.details[f] !== d[f])
    await saveIfUnchanged(
      tx
        .updateTable('people')
        .set({ ...toColumns(d), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .where('la_id', '=', actor.laId),
      version,
      () => person.details as unknown as Record<string, unknown>,
    )
    if (!changed.length) return
    const changes = Object.fromEntries(changed.map((f) => [f, [person.details[f], d[f]]]))
    await tx
      .insertInto('person_changes')
      .values({ la_id: actor.laId, person_id: id, changed_by: actor.userId, change_type: 'updated', changes: JSON.stringify(changes) })
      .execute()
    await auditAs(tx, actor, 'person.updated', { type: 'person', id }, { changed })
  })
}

/** Who changed what on a person's record, newest first (including what came with merged records). */
export function personHistory(db: Kysely<DB>, actor: Actor, id: number) {
  return db
    .selectFrom('person_changes as c')
    .innerJoin('users as u', 'u.id', 'c.changed_by')
    .select(['c.id', 'c.changed_at as changedAt', 'c.change_type as changeType', 'c.changes', 'c.reason', 'u.full_name as userName'])
    .where('c.la_id', '=', actor.laId)
    .where('c.person_id', '=', id)
    .orderBy('c.changed_at', 'desc')
    .orderBy('c.id', 'desc')
    .execute()
}
