import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Applies the numbered .sql files in order, each in its own transaction, recording each in
 * schema_migrations. Plain SQL so that a reviewer (or a DBA) can read exactly what runs.
 * Returns the names applied this time.
 */
export async function migrate(db: Kysely<DB>): Promise<string[]> {
  await sql`create table if not exists schema_migrations (
    name text primary key,
    applied_at timestamptz not null default now()
  )`.execute(db)
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort()
  const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((r) => r.name))
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const text = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8')
    await db.transaction().execute(async (tx) => {
      // A script without parameters goes by the simple query protocol, which takes many statements.
      await sql.raw(text).execute(tx)
      await sql`insert into schema_migrations (name) values (${file})`.execute(tx)
    })
    applied.push(file)
  }
  return applied
}
