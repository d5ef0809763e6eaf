import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { episodesInScope, type ReportScope } from '../../policies/reports.ts'
import type { ReportFilters } from './filters.ts'
import type { ReportTable } from './table.ts'

/**
 * A figure: one query over a council's records and the tables made from its rows. Each report is a
 * list of figures; the page, the downloads and the benchmark (which times each query beside the same
 * SQL run by hand) all go through them.
 */

export interface FigureContext {
  scope: ReportScope
  filters: ReportFilters
  /** Today, as the reports count "now" (an episode's age, a child's age). */
  today: string
}

export interface Figure<R = Record<string, unknown>> {
  key: string
  query(ctx: FigureContext): RawBuilder<R>
  tables(rows: R[], ctx: FigureContext): ReportTable[]
}

/** A figure made from a query whose rows are used as they are: the rows' type is the query's. */
export function figure<R>(f: Figure<R>): Figure<R> {
  return f
}

/** The first moment of the period and the first moment after it, in UK time. */
export function periodBounds(filters: ReportFilters): { start: RawBuilder<Date>; end: RawBuilder<Date> } {
  return {
    start: sql<Date>`((${filters.period.from}::date)::timestamp at time zone 'Europe/London')`,
    end: sql<Date>`((${filters.period.to}::date + 1)::timestamp at time zone 'Europe/London')`,
  }
}

/** The episodes, as `e`, the figure counts: the reader's scope, and the locality chosen. */
export function counted(ctx: FigureContext): RawBuilder<boolean> {
  const scope = episodesInScope(ctx.scope)
  return ctx.filters.localityId === null ? scope : sql<boolean>`(${scope} and e.locality_id = ${ctx.filters.localityId})`
}

export async function runFigure<R>(db: Kysely<DB>, f: Figure<R>, ctx: FigureContext): Promise<ReportTable[]> {
  const { rows } = await f.query(ctx).execute(db)
  return f.tables(rows, ctx)
}
