// What the benchmarks share: percentiles, and running a compiled query as one plain SQL string.
import { sql, type CompiledQuery, type Kysely } from 'kysely'
import { performance } from 'node:perf_hooks'
import type { DB } from '../../src/db/schema.ts'

export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

/** Inlines a parameter so the raw query runs as one plain SQL string, as a hand-written query would. */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `array[${v.map(literal).join(',')}]::text[]`
  return `'${String(v).replace(/'/g, "''")}'`
}

/** Runs a compiled query as the plain SQL a person would write by hand, and how long it took (ms). */
export async function timeRaw(db: Kysely<DB>, compiled: CompiledQuery): Promise<number> {
  const text = compiled.sql.replace(/\$(\d+)/g, (_, i) => literal(compiled.parameters[Number(i) - 1]))
  const t0 = performance.now()
  await sql.raw(text).execute(db)
  return performance.now() - t0
}
