import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import pg from 'pg'
import { openPglite, openPostgres, type Database } from '../../src/db/connection.ts'
import { adminUrl, PG_TEMPLATE, TEMPLATE_DUMP } from './template-location.ts'

/** Which engine this test process runs against: PostgreSQL when the runner says so, else PGlite. */
export const engine: 'pglite' | 'postgres' = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite'

/**
 * A fresh, migrated database of its own for one test file, cloned from the run's template,
 * so that no test depends on another's data.
 */
export async function freshDatabase(): Promise<Database> {
  if (engine === 'pglite') {
    const dump = await fs.readFile(TEMPLATE_DUMP).catch(() => {
      throw new Error('No template database: run the tests with `npm test` (scripts/test.mjs prepares it)')
    })
    return openPglite({ loadDataDir: new Blob([dump]) })
  }
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL')
  const name = `caf_test_${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl(url) })
  await admin.connect()
  await admin.query(`create database ${name} template ${PG_TEMPLATE}`)
  await admin.end()
  const database = await openPostgres(adminUrl(url, name), 5)
  return {
    ...database,
    async close() {
      await database.close()
      const c = new pg.Client({ connectionString: adminUrl(url) })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
