import { z } from 'zod'

/** Field name -> message, for the inline error beside each field. */
export type FieldErrors = Record<string, string>
/** Items of the GOV.UK error summary, each linking to its field. */
export interface SummaryItem {
  text: string
  href: string
}

const CONTROL_CHARS_SINGLE_LINE = /[\u0000-\u001F\u007F]/
const CONTROL_CHARS_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const UNEXPECTED_FIELDS = 'The form had information in it that we did not expect. Check your answers and submit the form again'

/**
 * One string from the form, trimmed. A missing field counts as empty; a repeated field (an array) or
 * anything else that is not a string is refused with a clear message.
 */
function cleanString(label: string, max: number, multiline: boolean) {
  const control = multiline ? CONTROL_CHARS_MULTI_LINE : CONTROL_CHARS_SINGLE_LINE
  return z.preprocess(
    (v) => (v === undefined || v === null ? '' : v),
    z
      .string({ error: `${label} must be a single answer` })
      .transform((v) => v.trim())
      .pipe(
        z
          .string()
          .max(max, `${label} must be ${max} characters or fewer`)
          .refine((v) => !control.test(v), `${label} must not contain special characters such as tabs or control codes`),
      ),
  )
}

function lowerFirst(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1)
}

/** Free text; trimmed. Optional fields give null when left empty. */
export function text(label: string, opts: { max?: number; multiline?: boolean; requiredMessage?: string } = {}) {
  const required = opts.requiredMessage ?? `Enter ${lowerFirst(label)}`
  return cleanString(label, opts.max ?? 200, opts.multiline ?? false).refine((v) => v !== '', required)
}

export function optionalText(label: string, opts: { max?: number; multiline?: boolean } = {}) {
  return cleanString(label, opts.max ?? 200, opts.multiline ?? false).transform((v) => (v === '' ? null : v))
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
/** Whether a value looks like an email address: the one check every email field uses. */
export const isEmail = (v: string) => EMAIL.test(v)

export function email(label = 'Email address', opts: { requiredMessage?: string } = {}) {
  return cleanString(label, 254, false)
    .transform((v) => v.toLowerCase())
    .refine((v) => v !== '', opts.requiredMessage ?? `Enter ${lowerFirst(label)}`)
    .refine((v) => v === '' || EMAIL.test(v), `Enter ${lowerFirst(label)} in the correct format, like name@example.gov.uk`)
}

export function optionalEmail(label = 'Email address') {
  return cleanString(label, 254, false)
    .transform((v) => v.toLowerCase())
    .refine((v) => v === '' || EMAIL.test(v), `Enter ${lowerFirst(label)} in the correct format, like name@example.gov.uk`)
    .transform((v) => (v === '' ? null : v))
}

/** One of a fixed set of values (radios, selects). */
export function choice<T extends string>(label: string, values: readonly T[], message = `Select ${label.toLowerCase()}`) {
  return z.custom<T>((v) => typeof v === 'string' && (values as readonly string[]).includes(v), { error: message })
}

/** Checkboxes: absent, one value or several; each must be one of the allowed values. */
export function checkboxes<T extends string>(label: string, values: readonly T[], opts: { min?: number; message?: string } = {}) {
  const message = opts.message ?? `Select ${label.toLowerCase()}`
  // A form sends nothing for no ticks, a string for one and an array for several.
  return z.preprocess(
    (v) => (v === undefined ? [] : typeof v === 'string' ? [v] : v),
    z
      .array(z.string(), { error: message })
      .max(values.length, `${label}: select from the options shown`)
      .refine((list) => list.every((v) => (values as readonly string[]).includes(v)), `${label}: select from the options shown`)
      .refine((list) => list.length >= (opts.min ?? 0), message)
      .transform((list) => [...new Set(list)] as T[]),
  )
}

/** A whole number typed into a text box (commas allowed, as people write them). */
export function integer(label: string, opts: { min: number; max: number; requiredMessage?: string }) {
  return cleanString(label, 20, false)
    .transform((v) => v.replace(/,/g, ''))
    .refine((v) => v !== '', opts.requiredMessage ?? `Enter ${lowerFirst(label)}`)
    .refine((v) => v === '' || /^-?\d{1,9}$/.test(v), `${label} must be a whole number, like 12345`)
    .transform(Number)
    .refine((n) => n >= opts.min, `${label} must be ${opts.min} or more`)
    .refine((n) => n <= opts.max, `${label} must be ${opts.max} or less`)
}

/**
 * A number with up to `places` decimal places (58.9, or £1,250.50 with places 2), or nothing: an
 * optional figure such as a target or a cost. A pound sign and commas are allowed, as people write them.
 */
export function optionalDecimal(label: string, opts: { min: number; max: number; places: 1 | 2; example: string }) {
  const pattern = new RegExp(`^\\d{1,9}(\\.\\d{1,${opts.places}})?$`)
  return cleanString(label, 20, false)
    .transform((v) => v.replace(/[,£]/g, ''))
    .refine(
      (v) => v === '' || pattern.test(v),
      `${label} must be a number with at most ${opts.places === 1 ? 'one decimal place' : 'two decimal places'}, like ${opts.example}`,
    )
    .transform((v) => (v === '' ? null : Number(v)))
    .refine(
      (n) => n === null || (n >= opts.min && n <= opts.max),
      `${label} must be from ${opts.min.toLocaleString('en-GB')} to ${opts.max.toLocaleString('en-GB')}`,
    )
}

/** Every POST body is a strict object: a field the form does not have is refused. */
export function formSchema<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: UNEXPECTED_FIELDS })
}

export type ValidationResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

export function validate<S extends z.ZodType>(schema: S, body: unknown): ValidationResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.code === 'unrecognized_keys' || issue.path.length === 0 ? 'form' : String(issue.path[0])
    const message = issue.code === 'unrecognized_keys' ? UNEXPECTED_FIELDS : issue.message
    errors[field] ??= message
  }
  return { ok: false, errors }
}

/** Errors in the order the fields appear on the page (GOV.UK: the summary follows the form's order). */
export function errorSummary(errors: FieldErrors, fieldOrder: readonly string[] = []): SummaryItem[] {
  const keys = Object.keys(errors).sort((a, b) => rank(a, fieldOrder) - rank(b, fieldOrder))
  return keys.map((k) => ({ text: errors[k]!, href: k === 'form' ? '#main-content' : `#${k}` }))
}

function rank(key: string, order: readonly string[]): number {
  const i = order.indexOf(key)
  return i === -1 ? (key === 'form' ? -1 : order.length) : i
}

/** What the user typed, to put back in the form: strings only, never the CSRF token or a password. */
export function keptValues(body: unknown, secretFields: readonly string[] = []): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {}
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || secretFields.includes(k)) continue
    if (typeof v === 'string') out[k] = v.slice(0, 10_000)
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').slice(0, 100)
  }
  return out
}

/** Checkboxes whose values are record numbers (people, agencies) known only at run time. */
export function idList(label: string) {
  const message = `${label}: select from the options shown`
  return z.preprocess(
    (v) => (v === undefined ? [] : typeof v === 'string' ? [v] : v),
    z
      .array(z.string().regex(/^\d{1,9}$/, message), { error: message })
      .max(200, message)
      .transform((list) => [...new Set(list.map(Number))]),
  )
}

/** A yes/no radio answer, as true or false. */
export function yesNo(label: string, requiredMessage: string) {
  return choice(label, ['yes', 'no'] as const, requiredMessage).transform((v) => v === 'yes')
}

/** The three boxes of a GOV.UK date input, named prefix-day, prefix-month and prefix-year. */
export function dateFields<P extends string>(prefix: P, label: string) {
  const part = (which: string) => optionalText(`${label} (${which})`, { max: 4 })
  return { [`${prefix}-day`]: part('day'), [`${prefix}-month`]: part('month'), [`${prefix}-year`]: part('year') } as Record<
    `${P}-${'day' | 'month' | 'year'}`,
    ReturnType<typeof optionalText>
  >
}

/** A save refused because someone else saved the same record first. */
export const CONFLICT_MESSAGE =
  'Someone else changed this while you were editing it. Their version is shown below the form; your changes are still in the form. Check them and save again'
