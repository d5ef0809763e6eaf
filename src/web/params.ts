import { NotFound } from './outcome.ts'

/** A record id from the URL: digits only, else the page does not exist. */
export function idParam(value: string | undefined): number {
  if (!value || !/^\d{1,9}$/.test(value)) throw new NotFound()
  return Number(value)
}

/** One query-string value as a trimmed string, or '' (repeated or odd values are ignored). */
export function queryString(value: unknown, max = 200): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : ''
}
