import { today as ukToday } from '../../web/dates.ts'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { canonicalGivenNames, normaliseName } from './names.ts'
import { compareDates, scoreCandidate, type Query } from './matching.ts'

export interface SearchInput {
  /** What was typed in the one search box: names, and perhaps a date like 3/4/2015. */
  text: string
  dob: string | null
  postcode: string | null
  schoolId: number | null
  nhsNumber: string | null
  upn: string | null
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?'

/**
 * The ways people in the UK write a date of birth (day first), each as [pattern, its day, month, year]:
 * 3/4/2015, 03-04-15, 3.4.15; 4 March 2015, 4th Mar 15, 04-Mar-2015; and 2015-03-04.
 */
const DATE_FORMS: [RegExp, (m: RegExpExecArray) => [string, string, string]][] = [
  [/(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/, (m) => [m[3]!, m[2]!, m[1]!]],
  [/(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)/, (m) => [m[1]!, m[2]!, m[3]!]],
  [new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+${MONTH}[\\s,-]+(\\d{4}|\\d{2})(?!\\d)`), (m) => [m[1]!, String(MONTHS.indexOf(m[2]!) + 1), m[3]!]],
]

/** The ISO date for a day, month and year as typed (a two-digit year is the most recent such year), or null if no such day. */
function isoDate(day: string, month: string, year: string): string | null {
  const y = year.length === 2 ? 2000 + Number(year) - (2000 + Number(year) > new Date().getUTCFullYear() ? 100 : 0) : Number(year)
  const iso = `${y}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : null
}

/**
 * What was typed in the one search box, as names and a date of birth: "Jon Smyth 3/4/2015", "Rosie, born
 * 27 October 2018", "2015-03-04 Mason". A date that is no real day is dropped rather than read as a name.
 */
export function splitSearchText(text: string): { names: string[]; date: string | null } {
  let rest = ` ${text.toLowerCase()} `
  let date: string | null = null
  for (const [pattern, parts] of DATE_FORMS) {
    const m = pattern.exec(rest)
    if (!m) continue
    date = isoDate(...parts(m))
    rest = rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length)
    break
  }
  const names = rest
    .replace(/\b(born|dob|d\.o\.b\.?)(?=\s|$)/g, ' ')
    .split(/[\s,]+/)
    .map(normaliseName)
    .filter(Boolean)
  return { names, date }
}

/** Dates a mistyped date of birth may really be: the date, day and month swapped, and every one-digit slip. */
export function dateVariants(iso: string): string[] {
  const out = new Set<string>([iso])
  const [y, m, d] = iso.split('-')
  out.add(`${y}-${d}-${m}`)
  const digits = `${y}${m}${d}`
  for (let i = 0; i < digits.length; i++) {
    for (let v = 0; v <= 9; v++) {
      const s = digits.slice(0, i) + v + digits.slice(i + 1)
      out.add(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`)
    }
  }
  const today = ukToday()
  // The date itself always (an expected date of delivery is in the future); slips only if plausible.
  const slips = [...out].filter((s) => {
    const date = new Date(`${s}T00:00:00Z`)
    return s !== iso && s >= '1900-01-01' && s <= today && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(s)
  })
  return [iso, ...slips]
}

export interface CandidateRow {
  id: number
  given_name: string | null
  family_name: string | null
  search_given: string
  search_family: string
  given_canon: string
  given_dm: string
  family_dm: string
  date_of_birth: string | null
  expected_delivery_date: string | null
  postcode: string | null
  nhs_number: string | null
  upn: string | null
  school_agency_id: number | null
  q_given_dm: string
  q_family_dm: string
}

/** The candidates scored, at most: the most alike first (born that day, names that sound alike, spelt alike), so that none of those is cut. */
const CANDIDATE_LIMIT = 300

/**
 * The SQL behind a search: people of the council who share a (possibly mistyped) date of birth and
 * something of the name, or whose names sound alike (either way round), or who share an identifier.
 * Each branch of the union uses its own index; the date-of-birth branch answers from the covering
 * index alone, so only the few people it keeps are read from the table. Exported for the benchmark.
 */
export function candidateQuery(
  laId: number,
  q: { given: string; family: string; canon: string[]; dates: string[]; postcode: string | null; nhsNumber: string | null; upn: string | null },
) {
  const name = `${q.given} ${q.family}`.trim()
  const hasName = name.length > 0
  const live = sql`p.la_id = ${laId} and p.merged_into is null`
  const branches = []
  if (q.dates.length) {
    const nameFilter = hasName
      ? sql`and (p.family_dm in (q.fdm, q.gdm) or p.given_dm in (q.gdm, q.fdm) or p.given_canon = any(${q.canon}::text[]) or similarity(p.search_name, ${name}) > 0.25)`
      : sql``
    branches.push(sql`select p.id from people p, q where ${live} and p.date_of_birth = any(${q.dates}::date[]) ${nameFilter}`)
    // One word and a date: everyone born that very day, so a one-word typo ("Smtih") is still scored.
    if (hasName && !q.family) branches.push(sql`select p.id from people p where ${live} and p.date_of_birth = ${q.dates[0]}::date`)
    branches.push(sql`select p.id from people p where ${live} and p.expected_delivery_date = any(${q.dates}::date[])`)
  }
  if (hasName && q.family) {
    branches.push(sql`select p.id from people p, q where ${live} and p.family_dm = q.fdm and p.given_dm = q.gdm`)
    branches.push(sql`select p.id from people p, q where ${live} and p.given_canon = any(${q.canon}::text[]) and p.family_dm = q.fdm`)
    branches.push(sql`select p.id from people p, q where ${live} and p.family_dm = q.gdm and p.given_dm = q.fdm`)
  }
  if (hasName && !q.family) {
    branches.push(sql`select p.id from people p, q where ${live} and p.family_dm = q.gdm limit 200`)
    branches.push(sql`select p.id from people p where ${live} and p.given_canon = any(${q.canon}::text[]) limit 200`)
  }
  if (hasName && !q.dates.length) branches.push(sql`select p.id from people p where ${live} and p.search_name % ${name} limit 200`)
  if (q.nhsNumber) branches.push(sql`select p.id from people p where p.la_id = ${laId} and p.nhs_number = ${q.nhsNumber}`)
  if (q.upn) branches.push(sql`select p.id from people p where p.la_id = ${laId} and p.upn = ${q.upn}`)
  if (q.postcode && !hasName) branches.push(sql`select p.id from people p where ${live} and p.postcode = ${q.postcode} limit 200`)
  if (!branches.length) branches.push(sql`select null::bigint as id where false`)
  return sql<CandidateRow>`
    with q as (select dmetaphone(${q.given}) as gdm, dmetaphone(${q.family}) as fdm),
    ids as (${sql.join(
      branches.map((b) => sql`(${b})`),
      sql` union `,
    )})
    select p.id, p.given_name, p.family_name, p.search_given, p.search_family, p.given_canon, p.given_dm, p.family_dm,
           p.date_of_birth, p.expected_delivery_date, p.postcode, p.nhs_number, p.upn, p.school_agency_id,
           q.gdm as q_given_dm, q.fdm as q_family_dm
    from ids join people p on p.id = ids.id cross join q
    where p.merged_into is null
    order by (p.date_of_birth = ${q.dates[0] ?? null}::date or p.expected_delivery_date = ${q.dates[0] ?? null}::date) is true desc,
             (p.given_dm in (q.gdm, q.fdm) or p.family_dm in (q.gdm, q.fdm)) is true desc,
             similarity(p.search_name, ${name}) desc, p.id
    limit ${CANDIDATE_LIMIT}`
}

export interface RankedPerson extends CandidateRow {
  score: number
  reasons: string[]
}

/** Finds people matching a search, best first, each with its score and reasons. At most `limit` results. */
/**
 * What a search looks for, from the box and the date boxes: the given name (or the one word typed), the
 * family name, the given name's other forms, and the date of birth with the dates it may really be.
 */
export function searchTerms(text: string, dobBoxes: string | null = null) {
  const { names, date } = splitSearchText(text)
  const dob = dobBoxes ?? date
  const given = names.length > 1 ? names.slice(0, -1).join(' ') : (names[0] ?? '')
  const family = names.length > 1 ? names[names.length - 1]! : ''
  const canon = given ? [...new Set([...canonicalGivenNames(given), given.split(' ')[0]!])] : []
  return { names, dob, given, family, canon, dates: dob ? dateVariants(dob) : [] }
}

/** How alike a candidate row is to what was searched for: its score out of 100 and the reasons. */
export function scoreRow(input: SearchInput, terms: { given: string; family: string; dob: string | null }, r: CandidateRow) {
  const query: Query = {
    given: { text: terms.given, dm: r.q_given_dm ?? '' },
    family: { text: terms.family, dm: r.q_family_dm ?? '' },
    dob: terms.dob,
    postcode: input.postcode,
    nhsNumber: input.nhsNumber,
    upn: input.upn,
    schoolId: input.schoolId,
  }
  return scoreCandidate(query, {
    given: { text: r.search_given, dm: r.given_dm ?? '' },
    family: { text: r.search_family, dm: r.family_dm ?? '' },
    givenCanon: r.given_canon,
    dob: r.date_of_birth ?? r.expected_delivery_date,
    postcode: r.postcode,
    nhsNumber: r.nhs_number,
    upn: r.upn,
    schoolId: r.school_agency_id,
  })
}

export async function findPeople(db: Kysely<DB>, laId: number, input: SearchInput, limit = 20): Promise<RankedPerson[]> {
  const terms = searchTerms(input.text, input.dob)
  const { names, dob, given, family, canon, dates } = terms
  const rows = await candidateQuery(laId, { given, family, canon, dates, postcode: input.postcode, nhsNumber: input.nhsNumber, upn: input.upn }).execute(db)
  return rows.rows
    .map((r) => ({ ...r, ...scoreRow(input, terms, r) }))
    .filter((r) => r.score > 0 && (names.length === 0 || r.reasons.some((w) => /name|NHS|pupil/.test(w)) || compareDates(dob, r.date_of_birth) === 'same'))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit)
}
