import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { dateWords } from '../../web/dates.ts'
import { ETHNICITIES } from './ethnicity.ts'
import { displayName } from './repository.ts'
import type { personHistory } from './use-cases.ts'

/** The history table's words for each recorded field. */
const FIELD_LABELS: Record<string, string> = {
  givenName: 'Given name',
  familyName: 'Family name',
  otherNames: 'Other names',
  sex: 'Sex',
  dateOfBirth: 'Date of birth',
  expectedDeliveryDate: 'Expected date of delivery',
  motherId: 'Mother',
  address: 'Address',
  postcode: 'Postcode',
  phone: 'Phone number',
  firstLanguage: 'First language',
  ethnicity: 'Ethnicity',
  religion: 'Religion',
  immigrationStatus: 'Immigration status',
  disability: 'Disability',
  interpreterNeeded: 'Interpreter or signer needed',
  specialRequirements: 'Special requirements',
  schoolId: 'School or setting',
  upn: 'Unique pupil number',
  gpId: 'GP practice',
  nhsNumber: 'NHS number',
  householdMember: 'Added to the household',
  relationship: 'Relationship',
  parentalResponsibility: 'Parental responsibility',
  leftHousehold: 'Left the household',
  mergedRecord: 'Record merged into this one',
  mergedInto: 'Merged into',
  moved: 'Links moved',
}

const CHANGE_TYPES: Record<string, string> = {
  created: 'Record added',
  updated: 'Details changed',
  'merged-in': 'Another record merged into this one',
  'merged-away': 'Merged into another record',
  household: 'Household changed',
}

const AGENCY_FIELDS = ['schoolId', 'gpId']
const PERSON_FIELDS = ['motherId', 'householdMember', 'mergedRecord', 'mergedInto']
const DATE_FIELDS = ['dateOfBirth', 'expectedDeliveryDate']

type History = Awaited<ReturnType<typeof personHistory>>

/**
 * A person's history in words: what each change was, each field by its name, and the people and
 * agencies a change points to by their names rather than their record numbers.
 */
export async function historyInWords(db: Kysely<DB>, laId: number, history: History) {
  const changes = history.map((h) => Object.entries(h.changes as Record<string, [unknown, unknown]>))
  const ids = (fields: string[]) => [
    ...new Set(changes.flat().flatMap(([f, v]) => (fields.includes(f) ? v.filter((x): x is number => typeof x === 'number') : []))),
  ]
  const [agencyIds, personIds] = [ids(AGENCY_FIELDS), ids(PERSON_FIELDS)]
  const [agencies, people] = await Promise.all([
    agencyIds.length ? db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', laId).where('id', 'in', agencyIds).execute() : [],
    personIds.length
      ? db.selectFrom('people').select(['id', 'given_name', 'family_name']).where('la_id', '=', laId).where('id', 'in', personIds).execute()
      : [],
  ])
  const words = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '(empty)'
    if (AGENCY_FIELDS.includes(field)) return agencies.find((a) => a.id === value)?.name ?? 'an agency no longer listed'
    if (PERSON_FIELDS.includes(field)) {
      const p = people.find((x) => x.id === value)
      return p ? `${displayName(p)} (record ${p.id})` : `record ${String(value)}`
    }
    if (DATE_FIELDS.includes(field) && typeof value === 'string') return dateWords(value)
    if (field === 'leftHousehold' && Array.isArray(value)) return `on ${dateWords(String(value[1]))}`
    if (field === 'ethnicity') return ETHNICITIES.find((e) => e.code === value)?.label ?? String(value)
    if (typeof value === 'boolean') return value ? 'Yes' : 'No'
    if (field === 'sex' && typeof value === 'string') return value === 'not-known' ? 'Not known' : value.charAt(0).toUpperCase() + value.slice(1)
    return String(value)
  }
  return history.map((h, i) => ({
    ...h,
    what: CHANGE_TYPES[h.changeType] ?? h.changeType,
    changes: changes[i]!.map(([field, [from, to]]) => ({ field: FIELD_LABELS[field] ?? field, from: words(field, from), to: words(field, to) })),
  }))
}
