import { sql, type Kysely, type RawBuilder } from 'kysely'
import { z } from 'zod'
import type { DB } from '../../db/schema.ts'
import { validate, type FieldErrors } from '../../web/forms.ts'
import { responsibleAgency, SCOPES, type Scope } from './scope.ts'

/**
 * The desk's filters, read from the address so a filtered desk can be bookmarked: locality, the
 * responsible agency (the lead professional's, or the one that started the episode), level of need,
 * and the age of a child in the episode, in the bands the children in need census uses.
 */
export const AGE_BANDS = [
  { value: 'unborn', text: 'Unborn' },
  { value: 'under-5', text: 'Under 5' },
  { value: '5-9', text: '5 to 9' },
  { value: '10-15', text: '10 to 15' },
  { value: '16-plus', text: '16 or over' },
] as const
export type AgeBand = (typeof AGE_BANDS)[number]['value']

export interface DeskFilters {
  scope: Scope | null
  locality: number | null
  agency: number | null
  level: string | null
  age: AgeBand | null
  page: number
}

/** No filter: everything in the scope. */
export const NO_FILTERS: DeskFilters = { scope: null, locality: null, agency: null, level: null, age: null, page: 1 }

const optional = <T>(label: string, pattern: RegExp, parse: (v: string) => T) =>
  z
    .preprocess((v) => (v === undefined ? '' : v), z.string({ error: `${label} must be a single value` }).trim())
    .refine((v) => v === '' || pattern.test(v), `${label} must be chosen from the list`)
    .transform((v) => (v === '' ? null : parse(v)))

const schema = z.object({
  for: optional('Whose work', new RegExp(`^(${SCOPES.join('|')})$`), (v) => v as Scope),
  locality: optional('Locality', /^\d{1,9}$/, Number),
  agency: optional('Agency', /^\d{1,9}$/, Number),
  level: optional('Level of need', /^[A-Za-z0-9_-]{1,50}$/, String),
  age: optional('Age', new RegExp(`^(${AGE_BANDS.map((b) => b.value).join('|')})$`), (v) => v as AgeBand),
  page: optional('Page', /^\d{1,5}$/, (v) => Math.max(1, Number(v))),
})
export const FILTER_FIELDS = ['for', 'locality', 'agency', 'level', 'age'] as const

/** The filters from a query string: the filters, or the errors to show (a 400 with the error summary). */
export function readFilters(
  query: Record<string, unknown>,
): { ok: true; filters: DeskFilters; raw: Record<string, unknown> } | { ok: false; errors: FieldErrors; raw: Record<string, unknown> } {
  const raw = Object.fromEntries(Object.entries(query).filter(([k]) => k in schema.shape))
  const parsed = validate(schema, raw)
  if (!parsed.ok) return { ok: false, errors: parsed.errors, raw }
  const { for: scope, page, ...rest } = parsed.data
  return { ok: true, filters: { scope, page: page ?? 1, ...rest }, raw }
}

/** The query string of a set of filters (without the page), for links that keep them. */
export function filterQuery(f: DeskFilters): string {
  const pairs: [string, string | number | null][] = [
    ['for', f.scope],
    ['locality', f.locality],
    ['agency', f.agency],
    ['level', f.level],
    ['age', f.age],
  ]
  const params = new URLSearchParams(pairs.filter((p): p is [string, string | number] => p[1] !== null).map(([k, v]) => [k, String(v)]))
  return params.size ? `?${params}` : ''
}

const AGE_SQL: Record<AgeBand, (today: string) => RawBuilder<boolean>> = {
  unborn: () => sql<boolean>`p.date_of_birth is null and p.expected_delivery_date is not null`,
  'under-5': (t) => sql<boolean>`p.date_of_birth > ${t}::date - interval '5 years'`,
  '5-9': (t) => sql<boolean>`p.date_of_birth <= ${t}::date - interval '5 years' and p.date_of_birth > ${t}::date - interval '10 years'`,
  '10-15': (t) => sql<boolean>`p.date_of_birth <= ${t}::date - interval '10 years' and p.date_of_birth > ${t}::date - interval '16 years'`,
  '16-plus': (t) => sql<boolean>`p.date_of_birth <= ${t}::date - interval '16 years'`,
}

/** The filters as SQL on the episode `e`. */
export function filterSql(f: DeskFilters, today: string): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`]
  if (f.locality !== null) parts.push(sql<boolean>`e.locality_id = ${f.locality}`)
  if (f.agency !== null) parts.push(sql<boolean>`${responsibleAgency} = ${f.agency}`)
  if (f.level !== null) parts.push(sql<boolean>`e.need_level = ${f.level}`)
  if (f.age !== null) {
    parts.push(sql<boolean>`exists (select 1 from episode_people ep join people p on p.id = ep.person_id
      where ep.episode_id = e.id and ep.role = 'child' and ${AGE_SQL[f.age](today)})`)
  }
  return sql<boolean>`(${sql.join(parts, sql` and `)})`
}

/** What each filter offers: the council's localities, agencies and levels of need. */
export async function filterChoices(db: Kysely<DB>, laId: number) {
  const [localities, agencies, levels] = await Promise.all([
    db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', laId).orderBy('name').execute(),
    db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', laId).where('active', '=', true).orderBy('name').execute(),
    db.selectFrom('need_levels').select(['code', 'label']).where('la_id', '=', laId).orderBy('sort_order').execute(),
  ])
  return { localities, agencies, levels, ageBands: AGE_BANDS }
}
