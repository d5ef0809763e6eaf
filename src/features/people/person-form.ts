import { addMonths, isoFromParts, today as ukToday } from '../../web/dates.ts'
import { z } from 'zod'
import { choice, optionalText, type FieldErrors } from '../../web/forms.ts'
import { ETHNICITY_CODES } from './ethnicity.ts'
import { normaliseNhsNumber, normalisePostcode, normaliseUpn } from './identifiers.ts'

const idOrEmpty = (label: string) =>
  z
    .preprocess(
      (v) => (v === undefined ? '' : v),
      z.string({ error: `${label} must be a single answer` }).regex(/^\d{0,9}$/, `Select ${label.toLowerCase()} from the list`),
    )
    .transform((v) => (v === '' ? null : Number(v)))

const optionalChoice = <T extends string>(label: string, values: readonly T[]) =>
  z.preprocess((v) => (v === undefined || v === '' ? null : v), z.union([z.null(), choice(label, values, `Select ${label.toLowerCase()} from the list`)]))

const datePart = (label: string) => optionalText(label, { max: 4 })

/** The fields of the person form (create and edit). Cross-field rules are in checkPerson. */
export const personFields = {
  givenName: optionalText('Given name', { max: 100 }),
  familyName: optionalText('Family name', { max: 100 }),
  otherNames: optionalText('Other or previous names', { max: 300 }),
  sex: optionalChoice('Sex', ['female', 'male', 'indeterminate', 'not-known'] as const),
  unborn: optionalChoice('Whether the baby is unborn', ['yes', 'no'] as const),
  'dob-day': datePart('Day of birth'),
  'dob-month': datePart('Month of birth'),
  'dob-year': datePart('Year of birth'),
  'edd-day': datePart('Day of the expected date of delivery'),
  'edd-month': datePart('Month of the expected date of delivery'),
  'edd-year': datePart('Year of the expected date of delivery'),
  motherId: idOrEmpty('Mother'),
  address: optionalText('Address', { max: 500, multiline: true }),
  postcode: optionalText('Postcode', { max: 10 }).refine((v) => v === null || normalisePostcode(v) !== null, 'Enter a real postcode, like SW1A 1AA'),
  phone: optionalText('Phone number', { max: 30 }).refine(
    (v) => v === null || /^[0-9 +()-]{6,30}$/.test(v),
    'Enter a phone number, like 01632 960 001 or +44 7700 900 982',
  ),
  firstLanguage: optionalText('First language', { max: 100 }),
  ethnicity: optionalChoice('Ethnicity', ETHNICITY_CODES),
  religion: optionalText('Religion', { max: 100 }),
  immigrationStatus: optionalText('Immigration status', { max: 200 }),
  disability: optionalText('Disability', { max: 1000, multiline: true }),
  interpreterNeeded: optionalChoice('Whether an interpreter or signer is needed', ['yes', 'no'] as const),
  specialRequirements: optionalText('Special requirements', { max: 1000, multiline: true }),
  schoolId: idOrEmpty('School or setting'),
  upn: optionalText('Unique pupil number', { max: 20 }).refine(
    (v) => v === null || normaliseUpn(v) !== null,
    'Enter a unique pupil number (UPN) in the right format: a letter then 12 numbers (or 11 numbers and a letter), like A123456789012, with the right check letter',
  ),
  gpId: idOrEmpty('GP practice'),
  nhsNumber: optionalText('NHS number', { max: 14 }).refine(
    (v) => v === null || normaliseNhsNumber(v) !== null,
    'Enter a valid 10-digit NHS number, like 943 476 5919',
  ),
}

export type PersonFormInput = z.infer<z.ZodObject<typeof personFields>>

export const PERSON_FIELD_ORDER = [
  'givenName',
  'familyName',
  'otherNames',
  'sex',
  'unborn',
  'dob-day',
  'edd-day',
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
  'duplicateReason',
]

/** What a person record holds, as the use cases take it. */
export interface PersonDetails {
  givenName: string | null
  familyName: string | null
  otherNames: string | null
  sex: string | null
  dateOfBirth: string | null
  expectedDeliveryDate: string | null
  motherId: number | null
  address: string | null
  postcode: string | null
  phone: string | null
  firstLanguage: string | null
  ethnicity: string | null
  religion: string | null
  immigrationStatus: string | null
  disability: string | null
  interpreterNeeded: boolean | null
  specialRequirements: string | null
  schoolId: number | null
  upn: string | null
  gpId: number | null
  nhsNumber: string | null
}

/** The rules across fields: a name, real dates, no birth in the future, an expected date only for an unborn baby. */
export function checkPerson(input: PersonFormInput, today = ukToday()): { errors: FieldErrors } | { details: PersonDetails } {
  const errors: FieldErrors = {}
  if (!input.givenName && !input.familyName) errors.givenName = 'Enter a given name or a family name (people with one name: enter it in either)'
  const dob = isoFromParts(input['dob-day'], input['dob-month'], input['dob-year'])
  const edd = isoFromParts(input['edd-day'], input['edd-month'], input['edd-year'])
  const unborn = input.unborn === 'yes'
  if (unborn) {
    if (dob) errors['dob-day'] = 'An unborn baby has no date of birth yet: leave it empty and enter the expected date of delivery'
    if (edd === null) errors['edd-day'] = 'Enter the expected date of delivery'
    else if (edd === 'incomplete' || edd === 'invalid') errors['edd-day'] = 'Expected date of delivery must be a real date, like 27 3 2027'
    else if (edd < addMonths(today, -1) || edd > addMonths(today, 10)) errors['edd-day'] = 'Expected date of delivery must be within the next 10 months'
  } else {
    if (edd) errors['edd-day'] = 'Only enter an expected date of delivery for an unborn baby'
    if (dob === 'incomplete') errors['dob-day'] = 'Date of birth must include a day, month and year'
    else if (dob === 'invalid') errors['dob-day'] = 'Date of birth must be a real date, like 27 3 2015'
    else if (dob && dob > today) errors['dob-day'] = 'Date of birth must be today or in the past'
    else if (dob && dob < '1900-01-01') errors['dob-day'] = 'Date of birth must be after 1900'
  }
  if (Object.keys(errors).length) return { errors }
  return {
    details: {
      givenName: input.givenName,
      familyName: input.familyName,
      otherNames: input.otherNames,
      sex: input.sex,
      dateOfBirth: unborn ? null : (dob as string | null),
      expectedDeliveryDate: unborn ? (edd as string) : null,
      motherId: input.motherId,
      address: input.address,
      postcode: input.postcode ? normalisePostcode(input.postcode) : null,
      phone: input.phone,
      firstLanguage: input.firstLanguage,
      ethnicity: input.ethnicity,
      religion: input.religion,
      immigrationStatus: input.immigrationStatus,
      disability: input.disability,
      interpreterNeeded: input.interpreterNeeded === null ? null : input.interpreterNeeded === 'yes',
      specialRequirements: input.specialRequirements,
      schoolId: input.schoolId,
      upn: input.upn ? normaliseUpn(input.upn) : null,
      gpId: input.gpId,
      nhsNumber: input.nhsNumber ? normaliseNhsNumber(input.nhsNumber) : null,
    },
  }
}

/** The form's values from a stored record, for the edit form. */
export function formValues(p: PersonDetails): Record<string, string> {
  const parts = (iso: string | null, prefix: string) => {
    if (!iso) return {}
    const [y, m, d] = iso.split('-')
    return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
  }
  const s = (v: string | number | null) => (v === null ? '' : String(v))
  return {
    givenName: s(p.givenName),
    familyName: s(p.familyName),
    otherNames: s(p.otherNames),
    sex: s(p.sex),
    unborn: p.expectedDeliveryDate ? 'yes' : 'no',
    ...parts(p.dateOfBirth, 'dob'),
    ...parts(p.expectedDeliveryDate, 'edd'),
    motherId: s(p.motherId),
    address: s(p.address),
    postcode: s(p.postcode),
    phone: s(p.phone),
    firstLanguage: s(p.firstLanguage),
    ethnicity: s(p.ethnicity),
    religion: s(p.religion),
    immigrationStatus: s(p.immigrationStatus),
    disability: s(p.disability),
    interpreterNeeded: p.interpreterNeeded === null ? '' : p.interpreterNeeded ? 'yes' : 'no',
    specialRequirements: s(p.specialRequirements),
    schoolId: s(p.schoolId),
    upn: s(p.upn),
    gpId: s(p.gpId),
    nhsNumber: s(p.nhsNumber),
  }
}
