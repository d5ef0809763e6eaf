import type { FieldErrors } from '../../web/forms.ts'
import { dateWords, isoFromParts, today } from '../../web/dates.ts'
import type { SupportingFamiliesHeadline } from '../../db/schema.ts'
import { isHeadline } from './headlines.ts'

/**
 * The assessment form is described as data: each task is a list of fields, and one validator, one
 * template and one "check your answers" renderer serve them all. Councils' forms differ; this keeps a
 * new question a line of data rather than a new page.
 */
export interface Option {
  value: string
  text: string
}

export type Field =
  | { kind: 'text'; name: string; label: string; hint?: string }
  | { kind: 'textarea'; name: string; label: string; hint?: string }
  | { kind: 'radios'; name: string; label: string; hint?: string; options: Option[] }
  | { kind: 'checkboxes'; name: string; label: string; hint?: string; options: Option[] }
  | { kind: 'date'; name: string; label: string; hint?: string }
  /** A domain element: narrative, "not applicable", and a score from the practitioner and from the family. */
  | { kind: 'element'; name: string; label: string }
  /** Needs with when they should be met and the desired outcome (a change for the family, not a service). */
  | { kind: 'needs'; name: string; rows: number; shown?: number }
  /** A person's details from the register, shown (not asked again) above their questions. */
  | { kind: 'person'; personId: number; label: string }

export type SectionData = Record<string, unknown>

export interface Need {
  need: string
  term: string | null
  outcome: string | null
  /** The Supporting Families headline it is under, if the practitioner chose one (absent on older assessments). */
  headline?: SupportingFamiliesHeadline | null
}

export const NEED_TERMS: Option[] = [
  { value: 'short', text: 'Short term (the next few weeks)' },
  { value: 'medium', text: 'Medium term (the next few months)' },
  { value: 'long', text: 'Longer term (a year or more)' },
]

export interface Scale {
  min: number
  max: number
}

const SINGLE_LINE_MAX = 500
/** Narratives are never cut short: the seeds tell of IT that truncated them. 20,000 characters is about 8 pages. */
export const NARRATIVE_MAX = 20_000
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

/** The names a field sends: a submission with any other name is refused. */
export function submittedNames(field: Field): string[] {
  switch (field.kind) {
    case 'person':
      return []
    case 'date':
      return [`${field.name}-day`, `${field.name}-month`, `${field.name}-year`]
    case 'element':
      return [`${field.name}-narrative`, `${field.name}-na`, `${field.name}-practitioner`, `${field.name}-family`]
    case 'needs':
      return Array.from({ length: field.rows }, (_, i) => [
        `${field.name}-${i + 1}-need`,
        `${field.name}-${i + 1}-term`,
        `${field.name}-${i + 1}-outcome`,
        `${field.name}-${i + 1}-headline`,
      ]).flat()
    default:
      return [field.name]
  }
}

/** Where the error summary should send the user for a field. */
export function firstInputId(field: Field): string {
  return submittedNames(field)[0] ?? ''
}

type Reader = (name: string) => string | null

function textOf(raw: unknown): string | null | 'not-text' {
  if (raw === undefined || raw === null) return null
  if (typeof raw !== 'string') return 'not-text'
  const v = raw.replace(/\r\n/g, '\n').trim()
  return v === '' ? null : v
}

/**
 * Checks a task's submission against its fields and turns it into what is stored. Nothing is required
 * at this point: a task can be saved half done and finished later. Only what is typed must make sense.
 */
export function readSection(fields: readonly Field[], body: Record<string, unknown>, scale: Scale): { data: SectionData } | { errors: FieldErrors } {
  const allowed = new Set(fields.flatMap(submittedNames))
  const errors: FieldErrors = {}
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) errors.form = 'The form had information in it that we did not expect. Check your answers and submit the form again'
  }
  const get: Reader = (name) => {
    const v = textOf(body[name])
    if (v === 'not-text') {
      errors[name] ??= 'This question must have a single answer'
      return null
    }
    return v
  }
  const limit = (name: string, label: string, v: string | null, max: number, multiline: boolean) => {
    if (v === null) return null
    if (v.length > max) errors[name] ??= `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`
    else if ((multiline ? CONTROL : /[\u0000-\u001F\u007F]/).test(v))
      errors[name] ??= `${label} must not contain special characters such as tabs or control codes`
    return v
  }
  const data: SectionData = {}
  for (const field of fields) {
    switch (field.kind) {
      case 'person':
        break
      case 'text':
        data[field.name] = limit(field.name, field.label, get(field.name), SINGLE_LINE_MAX, false)
        break
      case 'textarea':
        data[field.name] = limit(field.name, field.label, get(field.name), NARRATIVE_MAX, true)
        break
      case 'radios': {
        const v = get(field.name)
        if (v !== null && !field.options.some((o) => o.value === v)) errors[field.name] ??= `${field.label}: select one of the options shown`
        data[field.name] = v
        break
      }
      case 'checkboxes': {
        const raw = body[field.name]
        const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
        if (!list.every((v) => typeof v === 'string' && field.options.some((o) => o.value === v)))
          errors[field.name] ??= `${field.label}: select from the options shown`
        data[field.name] = [...new Set(list.filter((v): v is string => typeof v === 'string'))]
        break
      }
      case 'date': {
        const iso = isoFromParts(get(`${field.name}-day`), get(`${field.name}-month`), get(`${field.name}-year`))
        if (iso === 'incomplete') errors[`${field.name}-day`] ??= `${field.label} must include a day, month and year`
        else if (iso === 'invalid') errors[`${field.name}-day`] ??= `${field.label} must be a real date, like 27 3 2026`
        else if (iso && iso > today()) errors[`${field.name}-day`] ??= `${field.label} must be today or in the past`
        else if (iso && iso < '2000-01-01') errors[`${field.name}-day`] ??= `${field.label} must be in 2000 or later`
        data[field.name] = iso === 'incomplete' || iso === 'invalid' ? null : iso
        break
      }
      case 'element':
        Object.assign(data, readElement(field, get, limit, errors, scale))
        break
      case 'needs':
        data[field.name] = readNeeds(field, get, limit, errors)
        break
    }
  }
  return Object.keys(errors).length ? { errors } : { data }
}

function readElement(
  field: { name: string; label: string },
  get: Reader,
  limit: (name: string, label: string, v: string | null, max: number, multiline: boolean) => string | null,
  errors: FieldErrors,
  scale: Scale,
): SectionData {
  const n = field.name
  const na = get(`${n}-na`)
  if (na !== null && na !== 'yes') errors[`${n}-na`] ??= `${field.label}: "not applicable" can only be ticked or not`
  const score = (who: 'practitioner' | 'family', whose: string) => {
    const v = get(`${n}-${who}`)
    if (v === null) return null
    const num = Number(v)
    if (!/^\d{1,3}$/.test(v) || num < scale.min || num > scale.max) {
      errors[`${n}-${who}`] ??= `${field.label}: ${whose} score must be a number from ${scale.min} to ${scale.max}`
      return null
    }
    return num
  }
  return {
    [`${n}-narrative`]: limit(`${n}-narrative`, field.label, get(`${n}-narrative`), NARRATIVE_MAX, true),
    [`${n}-na`]: na === 'yes',
    [`${n}-practitioner`]: score('practitioner', "the practitioner's"),
    [`${n}-family`]: score('family', "the family's"),
  }
}

function readNeeds(
  field: { name: string; rows: number },
  get: Reader,
  limit: (name: string, label: string, v: string | null, max: number, multiline: boolean) => string | null,
  errors: FieldErrors,
): Need[] {
  const needs: Need[] = []
  for (let i = 1; i <= field.rows; i++) {
    const base = `${field.name}-${i}`
    const need = limit(`${base}-need`, `Need ${i}`, get(`${base}-need`), 2000, true)
    const term = get(`${base}-term`)
    const outcome = limit(`${base}-outcome`, `Desired outcome ${i}`, get(`${base}-outcome`), 2000, true)
    const headline = get(`${base}-headline`)
    if (term !== null && !NEED_TERMS.some((t) => t.value === term)) errors[`${base}-term`] ??= `Need ${i}: select when it should be met from the options shown`
    if (headline !== null && !isHeadline(headline)) errors[`${base}-headline`] ??= `Need ${i}: select a Supporting Families headline from the options shown`
    if (need === null && (outcome !== null || term !== null || headline !== null))
      errors[`${base}-need`] ??= `Need ${i}: describe the need, or clear its other answers`
    if (need !== null) needs.push({ need, term, outcome, headline: isHeadline(headline) ? headline : null })
  }
  return needs
}

/** The form's values for stored data (the boxes to fill in again). */
export function formValuesOf(fields: readonly Field[], data: SectionData): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.kind === 'date') {
      const iso = typeof data[field.name] === 'string' ? (data[field.name] as string) : null
      const [y, m, d] = iso ? iso.split('-') : ['', '', '']
      Object.assign(values, {
        [`${field.name}-day`]: d ? String(Number(d)) : '',
        [`${field.name}-month`]: m ? String(Number(m)) : '',
        [`${field.name}-year`]: y,
      })
    } else if (field.kind === 'needs') {
      const needs = (data[field.name] as Need[] | undefined) ?? []
      needs.forEach((n, i) => {
        values[`${field.name}-${i + 1}-need`] = n.need
        values[`${field.name}-${i + 1}-term`] = n.term ?? ''
        values[`${field.name}-${i + 1}-outcome`] = n.outcome ?? ''
        values[`${field.name}-${i + 1}-headline`] = n.headline ?? ''
      })
    } else if (field.kind === 'element') {
      const n = field.name
      values[`${n}-narrative`] = data[`${n}-narrative`] ?? ''
      values[`${n}-na`] = data[`${n}-na`] ? 'yes' : ''
      values[`${n}-practitioner`] = data[`${n}-practitioner`] == null ? '' : String(data[`${n}-practitioner`])
      values[`${n}-family`] = data[`${n}-family`] == null ? '' : String(data[`${n}-family`])
    } else if (field.kind !== 'person') {
      values[field.name] = data[field.name] ?? (field.kind === 'checkboxes' ? [] : '')
    }
  }
  return values
}

/** One answer in words, for "check your answers", the amendment history and the family's copy. */
export function answerText(field: Field, data: SectionData): string | null {
  switch (field.kind) {
    case 'person':
    case 'needs':
    case 'element':
      return null
    case 'radios':
      return field.options.find((o) => o.value === data[field.name])?.text ?? null
    case 'checkboxes': {
      const list = (data[field.name] as string[] | undefined) ?? []
      return list.length ? list.map((v) => field.options.find((o) => o.value === v)?.text ?? v).join(', ') : null
    }
    case 'date':
      return typeof data[field.name] === 'string' ? dateWords(data[field.name] as string) : null
    default:
      return typeof data[field.name] === 'string' ? (data[field.name] as string) : null
  }
}

export interface ElementAnswer {
  narrative: string | null
  notApplicable: boolean
  practitioner: number | null
  family: number | null
}

export function elementAnswer(name: string, data: SectionData): ElementAnswer {
  return {
    narrative: (data[`${name}-narrative`] as string | null | undefined) ?? null,
    notApplicable: data[`${name}-na`] === true,
    practitioner: (data[`${name}-practitioner`] as number | null | undefined) ?? null,
    family: (data[`${name}-family`] as number | null | undefined) ?? null,
  }
}

/** How many need rows the form shows: those written so far and three empty ones, at least six, at most the field's rows. */
export function needRowsShown(field: { name: string; rows: number }, values: Record<string, unknown>): number {
  let last = 0
  for (let i = 1; i <= field.rows; i++) if (['need', 'term', 'outcome'].some((k) => values[`${field.name}-${i}-${k}`])) last = i
  return Math.min(field.rows, Math.max(6, last + 3))
}
