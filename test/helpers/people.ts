import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { Client, textOf } from './browser-client.ts'

/** A client signed in with this email and password. */
export async function signedIn(app: ConstructorParameters<typeof Client>[0], email: string, password: string): Promise<Client> {
  const client = new Client(app)
  await client.signIn(email, password)
  return client
}

export interface SearchResult {
  id: number
  name: string
  likely: boolean
  dateOfBirth: string
  locality: string
  why: string
  cells: string[]
}

/** The rows of the "Is there already a CAF?" results table, best first. */
export function searchResults(html: string): SearchResult[] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1]
  if (!body) return []
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) => {
    const cells = [...row[1]!.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => cell[1]!)
    const id = Number(/href="\/people\/(\d+)"/.exec(cells[0] ?? '')?.[1])
    const nameCell = textOf(cells[0] ?? '')
    return {
      id,
      name: nameCell.replace(/\s*Likely match$/, ''),
      likely: /Likely match/.test(nameCell),
      dateOfBirth: textOf(cells[1] ?? ''),
      locality: textOf(cells[2] ?? ''),
      why: textOf(cells[5] ?? ''),
      cells: cells.map(textOf),
    }
  })
}

/** The column headings of the first table on the page. */
export function tableHead(html: string): string[] {
  const head = /<thead class="govuk-table__head">([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? ''
  return [...head.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) => textOf(m[1]!))
}

/** A query string for GET /people. */
export function peopleQuery(params: Record<string, string>): string {
  return `/people?${new URLSearchParams(params).toString()}`
}

/** The id in a redirect to a person's page (/people/:id?...), failing on anything else. */
export function idFromLocation(location: unknown): number {
  const m = /^\/people\/(\d+)(\?|$)/.exec(String(location ?? ''))
  if (!m) throw new Error(`expected a redirect to a person's page, got ${String(location)}`)
  return Number(m[1])
}

/** The form fields of the person form, empty, to fill in what a test needs. */
export function personForm(fields: Record<string, string>): Record<string, string> {
  return { searched: '1', givenName: '', familyName: '', 'dob-day': '', 'dob-month': '', 'dob-year': '', postcode: '', nhsNumber: '', upn: '', ...fields }
}

/** Adds a person through the form as the client's user (GET the form first for its CSRF token). */
export async function addPerson(client: Client, fields: Record<string, string>): Promise<number> {
  await client.get('/people/new?searched=1')
  const res = await client.post('/people/new', personForm(fields))
  if (res.statusCode !== 303)
    throw new Error(`adding ${fields.givenName ?? ''} ${fields.familyName ?? ''} answered ${res.statusCode}: ${textOf(res.body).slice(0, 400)}`)
  return idFromLocation(res.headers.location)
}

/** Audit events after a given id, oldest first. */
export function auditSince(db: Kysely<DB>, afterId: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'action', 'actor_user_id', 'record_type', 'record_id', 'detail', 'session_id'])
    .where('id', '>', afterId)
    .orderBy('id')
    .execute()
}

export async function lastAuditId(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return Number(row?.id ?? 0)
}

/** The value of the text input with this name on the page (undefined if there is no such input). */
export function inputValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input\\b[^>]*\\bname="${name}"[^>]*>`).exec(html)?.[0]
  if (!input) return undefined
  const value = /\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''
  return value
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

function decode(s: string): string {
  return s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/**
 * What a browser would submit for the form posting to `action`: text inputs and hidden fields, the
 * checked radios, each select's chosen option and the textareas. Never the CSRF token (the Client adds it).
 */
export function formFields(html: string, action: string): Record<string, string> {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)]
  const form = forms.find((f) => new RegExp(`\\baction="${action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(f[1]!))
  if (!form) throw new Error(`no form posting to ${action}`)
  const body = form[2]!
  const out: Record<string, string> = {}
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1]
  for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name')
    if (!name || name === '_csrf') continue
    const type = attr(tag, 'type') ?? 'text'
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(tag)) continue
    out[name] = decode(attr(tag, 'value') ?? '')
  }
  for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(m[1]!, 'name')
    if (name) out[name] = decode(m[2]!.replace(/^\n/, ''))
  }
  for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(m[1]!, 'name')
    if (!name) continue
    const options = [...m[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]!)
    const chosen = options.find((o) => /\bselected\b/.test(o)) ?? options[0]
    out[name] = decode(chosen ? (attr(chosen, 'value') ?? '') : '')
  }
  return out
}
