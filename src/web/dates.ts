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

/** Today's date in the UK (not UTC: just after midnight in summer, UTC is still yesterday). */
export function today(): string {
  return LONDON_DAY.format(new Date())
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
