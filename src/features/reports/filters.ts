import { dateParts, readDate, today } from '../../web/dates.ts'

/**
 * A report's filters, all in the address so a report can be bookmarked and sent on: the period (any
 * two dates, with shortcuts for months, financial quarters and financial years) and a locality.
 */

export interface Period {
  /** The first and last days counted, both included, as 2026-04-01. */
  from: string
  to: string
}

export interface ReportFilters {
  period: Period
  localityId: number | null
}

/** The longest period a report counts: six years, as long as the records are kept after closure. */
const MAX_DAYS = 6 * 366

const iso = (d: Date) => d.toISOString().slice(0, 10)
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d))

/** The financial year (from 1 April) a day is in, by the year it starts. */
export function financialYearOf(day: string): number {
  const [y, m] = day.split('-').map(Number) as [number, number]
  return m >= 4 ? y : y - 1
}

export function financialYear(startYear: number): Period {
  return { from: `${startYear}-04-01`, to: `${startYear + 1}-03-31` }
}

/** The shortcuts offered above the dates: this and last month, quarter and financial year. */
export function shortcuts(now = today()): { text: string; period: Period }[] {
  const [y, m] = now.split('-').map(Number) as [number, number]
  const month = (offset: number): Period => ({ from: iso(utc(y, m - 1 + offset, 1)), to: iso(utc(y, m + offset, 0)) })
  // Financial quarters: April to June is the first.
  const q = Math.floor(((m - 4 + 12) % 12) / 3)
  const qStart = (offset: number) => utc(financialYearOf(now), 3 + (q + offset) * 3, 1)
  const quarter = (offset: number): Period => {
    const start = qStart(offset)
    return { from: iso(start), to: iso(utc(start.getUTCFullYear(), start.getUTCMonth() + 3, 0)) }
  }
  const fy = financialYearOf(now)
  return [
    { text: 'This month', period: month(0) },
    { text: 'Last month', period: month(-1) },
    { text: 'This quarter', period: quarter(0) },
    { text: 'Last quarter', period: quarter(-1) },
    { text: `This financial year (${fy} to ${fy + 1})`, period: financialYear(fy) },
    { text: `Last financial year (${fy - 1} to ${fy})`, period: financialYear(fy - 1) },
  ]
}

export type FilterRead = { filters: ReportFilters } | { errors: Record<string, string>; values: Record<string, unknown> }

/**
 * The filters in the address, checked: with none, this financial year; otherwise both dates, the
 * second not before the first, at most six years apart, and a locality of the council.
 */
export function readFilters(query: Record<string, unknown>, localityIds: readonly number[], now = today()): FilterRead {
  const given = ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'].some((k) => typeof query[k] === 'string' && query[k] !== '')
  const errors: Record<string, string> = {}
  let period = financialYear(financialYearOf(now))
  if (given) {
    const from = readDate(query, 'from', 'The first day')
    const to = readDate(query, 'to', 'The last day')
    if ('error' in from) errors['from-day'] = from.error
    if ('error' in to) errors['to-day'] = to.error
    if ('iso' in from && 'iso' in to && from.iso && to.iso) {
      if (to.iso < from.iso) errors['to-day'] = 'The last day must be the same as or after the first day'
      else if ((Date.parse(to.iso) - Date.parse(from.iso)) / 86_400_000 > MAX_DAYS) errors['to-day'] = 'Choose a period of six years or less'
      else period = { from: from.iso, to: to.iso }
    }
  }
  let localityId: number | null = null
  const locality = typeof query.locality === 'string' ? query.locality : ''
  if (locality !== '') {
    const id = /^\d{1,9}$/.test(locality) ? Number(locality) : NaN
    if (localityIds.includes(id)) localityId = id
    else errors['locality'] = 'Select a locality from the list'
  }
  return Object.keys(errors).length ? { errors, values: query } : { filters: { period, localityId } }
}

/** The filters as an address's query string, as the form would send them. */
export function filterQuery(filters: ReportFilters, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    ...dateParts(filters.period.from, 'from'),
    ...dateParts(filters.period.to, 'to'),
    ...(filters.localityId ? { locality: String(filters.localityId) } : {}),
    ...extra,
  }).toString()
}

/** The date parts the form shows for a period (kept as typed when the filters were refused). */
export function formValues(filters: ReportFilters): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(filterQuery(filters)))
}
