import { isoFromParts, today } from '../../../web/dates.ts'
import { FORMATS, type ExportFormat } from '../exports/stream.ts'

/**
 * What an Annex A export is asked for, checked the same way from the page and the command line: the
 * date the list is for (a real date, from 2000 to today) and the format.
 */
export interface ExportRequest {
  date: string
  format: ExportFormat
}

export type RequestRead = { request: ExportRequest } | { errors: { date?: string; format?: string } }

export function checkRequest(date: string | null | 'invalid' | 'incomplete', format: unknown, now = today()): RequestRead {
  const errors: { date?: string; format?: string } = {}
  if (date === null) errors.date = 'Enter the date the list is for'
  else if (date === 'incomplete') errors.date = 'The date must include a day, month and year'
  else if (date === 'invalid') errors.date = 'The date must be a real date, like 1 12 2026'
  else if (date > now) errors.date = 'The date must be today or in the past'
  else if (date < '2000-01-01') errors.date = 'The date must be in 2000 or later'
  if (!FORMATS.includes(format as ExportFormat)) errors.format = 'Select CSV or XLSX'
  return errors.date || errors.format ? { errors } : { request: { date: date as string, format: format as ExportFormat } }
}

/** From the page's form: the date's three boxes and the format's radios. */
export function requestFromForm(query: Record<string, unknown>): RequestRead {
  const part = (k: string) => (typeof query[`date-${k}`] === 'string' ? (query[`date-${k}`] as string).trim() : null)
  return checkRequest(isoFromParts(part('day'), part('month'), part('year')), query.format)
}

/** From the command line: the date as 2026-12-01. */
export function requestFromArguments(date: string | undefined, format: string | undefined): RequestRead {
  const m = date === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const iso = date === undefined ? null : m ? isoFromParts(m[3]!, m[2]!, m[1]!) : 'invalid'
  return checkRequest(iso, format)
}
