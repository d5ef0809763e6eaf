import type { Kysely } from 'kysely'
import type { DB, PeopleTable } from '../../db/schema.ts'
import { searchKeys } from './names.ts'
import type { PersonDetails } from './person-form.ts'

/** Each field of PersonDetails and the people table's column that holds it: the one mapping both ways. */
const COLUMN_OF = {
  givenName: 'given_name',
  familyName: 'family_name',
  otherNames: 'other_names',
  sex: 'sex',
  dateOfBirth: 'date_of_birth',
  expectedDeliveryDate: 'expected_delivery_date',
  motherId: 'mother_id',
  address: 'address',
  postcode: 'postcode',
  phone: 'phone',
  firstLanguage: 'first_language',
  ethnicity: 'ethnicity',
  religion: 'religion',
  immigrationStatus: 'immigration_status',
  disability: 'disability',
  interpreterNeeded: 'interpreter_needed',
  specialRequirements: 'special_requirements',
  schoolId: 'school_agency_id',
  upn: 'upn',
  gpId: 'gp_agency_id',
  nhsNumber: 'nhs_number',
} as const satisfies Record<keyof PersonDetails, keyof PeopleTable>

type DetailColumns = { [K in keyof typeof COLUMN_OF as (typeof COLUMN_OF)[K]]: PersonDetails[K] }

export const DETAIL_FIELDS = Object.keys(COLUMN_OF) as (keyof PersonDetails)[]

/** The columns to write for a person's details, with the search keys derived from the names. */
export function toColumns(d: PersonDetails): DetailColumns & ReturnType<typeof searchKeys> {
  const columns = Object.fromEntries(DETAIL_FIELDS.map((f) => [COLUMN_OF[f], d[f]])) as DetailColumns
  return { ...columns, ...searchKeys(d.givenName, d.familyName) }
}

function toDetails(row: DetailColumns): PersonDetails {
  return Object.fromEntries(DETAIL_FIELDS.map((f) => [f, row[COLUMN_OF[f]]])) as unknown as PersonDetails
}

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
  const details = toDetails(row)
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

/** Under 18 on the day, or not yet born: a child for the one-open-episode rule. */
export function isChild(p: { date_of_birth: string | null; expected_delivery_date: string | null }, today: string): boolean {
  if (!p.date_of_birth) return Boolean(p.expected_delivery_date)
  const [y, m, d] = p.date_of_birth.split('-').map(Number) as [number, number, number]
  const eighteenth = `${String(y + 18).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  return eighteenth > today
}
