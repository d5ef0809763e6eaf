// Rows gathered in memory and written to one table in a single INSERT ... SELECT FROM unnest(...):
// one round trip per table per batch, whatever the number of rows.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'

export class Rows {
  private rows: Record<string, unknown>[] = []

  /** `columns` maps each column to its PostgreSQL type (the type of the array it is sent as). */
  constructor(
    readonly table: string,
    readonly columns: Record<string, string>,
  ) {}

  add(row: Record<string, unknown>): void {
    this.rows.push(row)
  }

  get size(): number {
    return this.rows.length
  }

  async flush(db: Kysely<DB>): Promise<void> {
    if (!this.rows.length) return
    const names = Object.keys(this.columns)
    const arrays = names.map((n) => sql`${this.rows.map((r) => r[n] ?? null)}::${sql.raw(this.columns[n]!)}[]`)
    await sql`insert into ${sql.table(this.table)} (${sql.join(names.map((n) => sql.ref(n)))}) select * from unnest(${sql.join(arrays)})`.execute(db)
    this.rows = []
  }
}

/** Takes `n` ids from a sequence in one step, so rows can refer to each other before they are written. */
export async function reserveIds(db: Kysely<DB>, sequence: string, n: number): Promise<number> {
  const { rows } = await sql<{ first: string }>`select setval(${sequence}, nextval(${sequence}) + ${n} - 1) - ${n} + 1 as first`.execute(db)
  return Number(rows[0]!.first)
}
