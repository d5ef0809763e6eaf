import { NotFound } from './outcome.ts'

/** A record id from the URL: digits only, else the page does not exist. */
export function idParam(value: string | undefined): number {
  if (!value || !/^\d{1,9}$/.test(value)) throw new NotFound()
  return Number(value)
}

/** A configuration record's code from the URL: letters, digits, dashes and underscores, else the page does not exist. */
export function codeParam(value: string | undefined): string {
  if (!value || !/^[A-Za-z0-9_-]{1,50}$/.test(value)) throw new NotFound()
  return value
}

/** One query-string value as a trimmed string, or '' (repeated or odd values are ignored). */
export function queryString(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}
