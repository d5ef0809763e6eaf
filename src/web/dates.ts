/** Dates typed as day, month and year boxes (the GOV.UK date input). */

/** The ISO date from three boxes; null when all are empty. */
export function isoFromParts(day: string | null, month: string | null, year: string | null): string | null | 'invalid' | 'incomplete' {
  if (!day && !month && !year) return null
  if (!day || !month || !year) return 'incomplete'
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return 'invalid'
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : 'invalid'
}

/** The three boxes' values for a stored date, named prefix-day, prefix-month and prefix-year. */
export function dateParts(iso: string | null | undefined, prefix: string): Record<string, string> {
  if (!iso) return { [`${prefix}-day`]: '', [`${prefix}-month`]: '', [`${prefix}-year`]: '' }
  const [y, m, d] = iso.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The UK date of an instant (not UTC: just after midnight in summer, UTC is still the day before). */
export function ukDate(at: Date): string {
  return LONDON_DAY.format(at)
}

/** Today's date in the UK. */
export function today(): string {
  return ukDate(new Date())
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Reads a date input from a parsed form: the ISO date, or an error message in GOV.UK words. Empty is
 * an error unless optional.
 */
export function readDate(
  input: Record<string, unknown>,
  prefix: string,
  label: string,
  rule: { notAfter?: string; notBefore?: string; optional?: boolean } = {},
): { iso: string | null } | { error: string } {
  const part = (k: string) => (typeof input[`${prefix}-${k}`] === 'string' ? (input[`${prefix}-${k}`] as string) : null)
  const iso = isoFromParts(part('day'), part('month'), part('year'))
  if (iso === null) return rule.optional ? { iso: null } : { error: `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}` }
  if (iso === 'incomplete') return { error: `${label} must include a day, month and year` }
  if (iso === 'invalid') return { error: `${label} must be a real date, like 27 3 2026` }
  if (rule.notAfter && iso > rule.notAfter) return { error: `${label} must be today or in the past` }
  if (rule.notBefore && iso < rule.notBefore) return { error: `${label} must be today or in the future` }
  return { iso }
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' })

/** A moment as the pages show it, in London time: "8 Dec 2026, 10:30". */
export function ukDateTime(at: Date): string {
  return DATE_TIME.format(at)
}

/** A time typed as people write it: 14:30, 9.15, 2pm, 2:30 pm. Hours and minutes, or null. */
export function readTime(text: string): { hours: number; minutes: number } | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(text.trim())
  if (!m) return null
  let hours = Number(m[1])
  const minutes = m[2] ? Number(m[2]) : 0
  const half = m[3]?.toLowerCase()
  if (!half && !m[2]) return null
  if (half) {
    if (hours < 1 || hours > 12) return null
    hours = (hours % 12) + (half === 'pm' ? 12 : 0)
  }
  return hours <= 23 && minutes <= 59 ? { hours, minutes } : null
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** The instant of a wall-clock time in the UK on a date (GMT or BST, whichever applies that day). */
export function londonInstant(iso: string, hours: number, minutes: number): Date {
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number]
  const asUtc = Date.UTC(y, mo - 1, d, hours, minutes)
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(asUtc)).map((p) => [p.type, p.value]))
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute))
  return new Date(asUtc - (shown - asUtc))
}

/** The UK date and time of an instant, as the form's boxes show them. */
export function londonParts(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(LONDON_PARTS.formatToParts(at).map((x) => [x.type, x.value]))
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` }
}

/** The same day a number of months later (the last day of the month when that day does not exist). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d, last))
  return target.toISOString().slice(0, 10)
}

const IN_WORDS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' })

/** A date as people write it, "4 March 2015": an instant (UK time) or an ISO date. */
export function dateWords(d: Date | string): string {
  return IN_WORDS.format(typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d)
}

const TIME_WORDS = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hour12: true })

/** An instant as a sentence says it, in UK time: "8 December 2026 at 10:30am". */
export function momentWords(at: Date): string {
  return `${dateWords(at)} at ${TIME_WORDS.format(at).replace(/\s/g, '').toLowerCase()}`
}
