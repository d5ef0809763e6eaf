import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { searchKeys } from './names.ts'
import type { PersonDetails } from './person-form.ts'

/** PersonDetails <-> the people table's columns. */
export function toColumns(d: PersonDetails) {
  return {
    given_name: d.givenName,
    family_name: d.familyName,
    other_names: d.otherNames,
    sex: d.sex,
    date_of_birth: d.dateOfBirth,
    expected_delivery_date: d.expectedDeliveryDate,
    mother_id: d.motherId,
    address: d.address,
    postcode: d.postcode,
    phone: d.phone,
    first_language: d.firstLanguage,
    ethnicity: d.ethnicity,
    religion: d.religion,
    immigration_status: d.immigrationStatus,
    disability: d.disability,
    interpreter_needed: d.interpreterNeeded,
    special_requirements: d.specialRequirements,
    school_agency_id: d.schoolId,
    upn: d.upn,
    gp_agency_id: d.gpId,
    nhs_number: d.nhsNumber,
    ...searchKeys(d.givenName, d.familyName),
  }
}

export const DETAIL_FIELDS: (keyof PersonDetails)[] = [
  'givenName',
  'familyName',
  'otherNames',
  'sex',
  'dateOfBirth',
  'expectedDeliveryDate',
  'motherId',
  'address',
  'postcode',
  'phone',
  'firstLanguage',
  'ethnicity',
  'religion',
  'immigrationStatus',
  'disability',
  'interpreterNeeded',
  'specialRequirements',
  'schoolId',
  'upn',
  'gpId',
  'nhsNumber',
]

/** A person of the actor's council (not merged away), with the names of the school and GP practice. */
export async function findPerson(db: Kysely<DB>, laId: number, id: number) {
  const row = await db
    .selectFrom('people as p')
    .leftJoin('agencies as s', 's.id', 'p.school_agency_id')
    .leftJoin('agencies as g', 'g.id', 'p.gp_agency_id')
    .leftJoin('agencies as c', 'c.id', 'p.created_by_agency')
    .leftJoin('localities as l', 'l.id', 's.locality_id')
    .leftJoin('people as m', 'm.id', 'p.mother_id')
    .selectAll('p')
    .select([
      's.name as school_name',
      'g.name as gp_name',
      'c.name as created_by_agency_name',
      'l.name as locality_name',
      'm.given_name as mother_given',
      'm.family_name as mother_family',
    ])
    .where('p.la_id', '=', laId)
    .where('p.id', '=', id)
    .executeTakeFirst()
  if (!row) return null
  const details: PersonDetails = {
    givenName: row.given_name,
    familyName: row.family_name,
    otherNames: row.other_names,
    sex: row.sex,
    dateOfBirth: row.date_of_birth,
    expectedDeliveryDate: row.expected_delivery_date,
    motherId: row.mother_id,
    address: row.address,
    postcode: row.postcode,
    phone: row.phone,
    firstLanguage: row.first_language,
    ethnicity: row.ethnicity,
    religion: row.religion,
    immigrationStatus: row.immigration_status,
    disability: row.disability,
    interpreterNeeded: row.interpreter_needed,
    specialRequirements: row.special_requirements,
    schoolId: row.school_agency_id,
    upn: row.upn,
    gpId: row.gp_agency_id,
    nhsNumber: row.nhs_number,
  }
  return { id: row.id, row, details, version: row.version, mergedInto: row.merged_into, createdByAgency: row.created_by_agency }
}

/** Whether a person of this council exists and has not been merged into another record. */
export async function isLivePerson(db: Kysely<DB>, laId: number, id: number): Promise<boolean> {
  const row = await db.selectFrom('people').select('id').where('la_id', '=', laId).where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst()
  return Boolean(row)
}

export function displayName(p: { given_name: string | null; family_name: string | null }): string {
  return [p.given_name, p.family_name].filter(Boolean).join(' ')
}
