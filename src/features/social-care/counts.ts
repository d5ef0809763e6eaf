import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { csvText } from '../../web/csv.ts'
import { today } from '../../web/dates.ts'
import { DECISION_WORDS } from './notification-queries.ts'
import { STEP_UP_STATUS } from './step-up-queries.ts'
import { DECISION_POINTS } from './step-downs.ts'

/**
 * The interface counted by month, as Kent and Birmingham report it: step downs by decision point,
 * step ups by social care's answer, notifications by the hub's decision. A month is a UK calendar month
 * of the day the step down was made, the step up asked for, the notification sent.
 */

export interface MonthRange {
  /** The first and last months, as 2026-01. */
  from: string
  to: string
}

export interface CountTable {
  title: string
  /** What is counted in each column, in order. */
  columns: { key: string; text: string }[]
  rows: { month: string; counts: number[]; total: number }[]
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const MAX_MONTHS = 36

/** The last 12 months, this one included. */
export function defaultRange(now = today()): MonthRange {
  const [y, m] = now.split('-').map(Number) as [number, number]
  const from = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7)
  return { from, to: now.slice(0, 7) }
}

export function monthsOf({ from, to }: MonthRange): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  while (`${y}-${String(m).padStart(2, '0')}` <= to) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    ;[y, m] = m === 12 ? [y + 1, 1] : [y, m + 1]
  }
  return out
}

/** The range in the address, checked: an error for the field at fault, or the range. */
export function readRange(query: Record<string, unknown>): { range: MonthRange } | { errors: Record<string, string>; values: Record<string, string> } {
  const given = { from: typeof query.from === 'string' ? query.from.trim() : '', to: typeof query.to === 'string' ? query.to.trim() : '' }
  if (!given.from && !given.to) return { range: defaultRange() }
  const errors: Record<string, string> = {}
  for (const k of ['from', 'to'] as const)
    if (!MONTH.test(given[k])) errors[k] = `Enter the ${k === 'from' ? 'first' : 'last'} month as a year and month, like 2026-04`
  if (!Object.keys(errors).length) {
    if (given.from > given.to) errors.to = 'The last month must be the same as or after the first month'
    else if (monthsOf(given).length > MAX_MONTHS) errors.to = `Choose ${MAX_MONTHS} months or fewer`
  }
  return Object.keys(errors).length ? { errors, values: given } : { range: given }
}

async function countBy(db: Kysely<DB>, table: string, at: string, key: RawBuilder<string>, laId: number, range: MonthRange) {
  const { rows } = await sql<{ month: string; key: string; n: number }>`
    select to_char(${sql.ref(at)} at time zone 'Europe/London', 'YYYY-MM') as month, ${key} as key, count(*)::int as n
    from ${sql.table(table)}
    where la_id = ${laId}
      and ${sql.ref(at)} >= (${`${range.from}-01`}::date)::timestamp at time zone 'Europe/London'
      and ${sql.ref(at)} < ((${`${range.to}-01`}::date + interval '1 month')::timestamp at time zone 'Europe/London')
    group by 1, 2`.execute(db)
  return rows
}

function table(title: string, columns: CountTable['columns'], rows: { month: string; key: string; n: number }[], months: string[]): CountTable {
  return {
    title,
    columns,
    rows: months.map((month) => {
      const counts = columns.map((c) => rows.find((r) => r.month === month && r.key === c.key)?.n ?? 0)
      return { month, counts, total: counts.reduce((a, b) => a + b, 0) }
    }),
  }
}

export async function interfaceCounts(db: Kysely<DB>, laId: number, range: MonthRange): Promise<CountTable[]> {
  const months = monthsOf(range)
  const [downs, ups, notes] = await Promise.all([
    countBy(db, 'step_downs', 'started_at', sql`decision_point`, laId, range),
    countBy(db, 'step_ups', 'requested_at', sql`status`, laId, range),
    countBy(db, 'interface_notifications', 'sent_at', sql`coalesce(decision, 'waiting')`, laId, range),
  ])
  return [
    table(
      'Step downs by decision point',
      DECISION_POINTS.map((p) => ({ key: p.value, text: p.text })),
      downs,
      months,
    ),
    table(
      'Step ups by social care’s answer',
      Object.entries(STEP_UP_STATUS).map(([key, text]) => ({ key, text })),
      ups,
      months,
    ),
    table(
      'Notifications by the hub’s decision',
      [...Object.entries(DECISION_WORDS).map(([key, text]) => ({ key, text })), { key: 'waiting', text: 'Not yet decided' }],
      notes,
      months,
    ),
  ]
}

/** The three tables, one after another, as one CSV: table, month, then each count. */
export function countsCsv(tables: readonly CountTable[]): string {
  const rows: (string | number)[][] = [['Table', 'Month', 'What', 'Count']]
  for (const t of tables) for (const r of t.rows) t.columns.forEach((c, i) => rows.push([t.title, r.month, c.text, r.counts[i]!]))
  return csvText(rows)
}
