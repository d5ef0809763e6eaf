import { sql, type RawBuilder } from 'kysely'
import type { Writable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import { ETHNICITY_CODES } from '../../people/ethnicity.ts'
import { exportDay as ukDay, writeList, type Cell, type ExportFormat } from '../exports/stream.ts'

/**
 * Ofsted Annex A, list 2 (early help): one row per early help assessment started in the six months
 * before the date chosen, and one per assessment of an episode still open on that date, with the
 * columns, codes and dd/mm/yyyy dates of Ofsted's schema (schemas/annex-a/Annex_A_schema.yml, list_2).
 */

export const LIST_2_COLUMNS = [
  'Child Unique ID',
  'Gender',
  'Ethnicity',
  'Date of Birth',
  'Age of Child (Years)',
  'Assessment start date',
  'Assessment completion date',
  'Organisation completing assessment',
] as const

/** The row as the database gives it, before it is written in Ofsted's codes. */
export interface List2Record {
  child_id: number
  sex: string | null
  ethnicity: string | null
  date_of_birth: string | null
  age: number | null
  started: string
  completed: string | null
  organisation: string
}

const GENDER: Record<string, string> = { male: 'a) Male', female: 'b) Female', indeterminate: 'd) Neither' }

/** Ofsted's ethnicity codes are the national ones in order, lettered: a) WBRI to t) NOBT. */
export function ethnicityCode(code: string | null): string {
  const i = ETHNICITY_CODES.indexOf((code ?? 'NOBT') as (typeof ETHNICITY_CODES)[number])
  const at = i < 0 ? ETHNICITY_CODES.length - 1 : i
  return `${String.fromCharCode(97 + at)}) ${ETHNICITY_CODES[at]}`
}

export function list2Row(r: List2Record): Cell[] {
  return [
    String(r.child_id),
    GENDER[r.sex ?? ''] ?? 'c) Not stated/recorded',
    ethnicityCode(r.ethnicity),
    ukDay(r.date_of_birth),
    r.age,
    ukDay(r.started),
    ukDay(r.completed),
    r.organisation,
  ]
}

/**
 * The rows for a council on a date. The Child Unique ID is the council's own id for the child on the
 * register (the surviving record, when two were merged), never the NHS number. The organisation is
 * the agency of whoever completed the assessment, or while it is open the agency doing it (the one
 * that started the episode). A child assessed twice on one day (an episode closed and another begun)
 * has one row, the later episode's, as Ofsted's rows are unique on the child and the start date.
 */
export function list2Query(laId: number, onDate: string): RawBuilder<List2Record> {
  const day = (at: string) => sql<string>`(${sql.ref(at)} at time zone 'Europe/London')::date`
  return sql<List2Record>`
    select distinct on (started, s.id) s.id as child_id, s.sex, s.ethnicity, s.date_of_birth,
      case when s.date_of_birth <= ${onDate}::date then extract(year from age(${onDate}::date, s.date_of_birth))::int end as age,
      to_char(${day('e.assessment_started_at')}, 'YYYY-MM-DD') as started,
      case when ${day('e.assessment_completed_at')} <= ${onDate}::date then to_char(${day('e.assessment_completed_at')}, 'YYYY-MM-DD') end as completed,
      coalesce(case when ${day('e.assessment_completed_at')} <= ${onDate}::date then ca.name end, ia.name) as organisation
    from episodes e
    join episode_people ep on ep.episode_id = e.id and ep.role = 'child'
    join people p on p.id = ep.person_id
    join people s on s.id = coalesce(p.merged_into, p.id)
    join agencies ia on ia.id = e.initiator_agency_id
    left join users cu on cu.id = e.assessment_completed_by
    left join agencies ca on ca.id = cu.agency_id
    where e.la_id = ${laId} and e.assessment_started_at is not null
      and ${day('e.assessment_started_at')} <= ${onDate}::date
      and (${day('e.assessment_started_at')} > ${onDate}::date - interval '6 months'
        or e.closed_at is null or ${day('e.closed_at')} > ${onDate}::date)
    order by started, s.id, e.id desc`
}

/** Writes the council's list 2 for the date to `out`, as CSV or a workbook with one sheet, "List 2"; says how many rows. */
export function writeList2(db: Kysely<DB>, laId: number, onDate: string, format: ExportFormat, out: Writable): Promise<number> {
  return writeList(db, { columns: LIST_2_COLUMNS, sheet: 'List 2', query: list2Query(laId, onDate), row: list2Row }, format, out)
}
