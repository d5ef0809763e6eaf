/**
 * Prepares the migrated template database that every test file clones, once per test run:
 * - PGlite: a dump of a freshly migrated database in .test-data/ (creating one takes ~3 s; loading a dump ~0.5 s);
 * - PostgreSQL (TEST_DATABASE_URL): a database named caf_test_template, copied with CREATE DATABASE ... TEMPLATE.
 * Run by scripts/test.mjs before the suites.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { openPglite, openPostgres } from '../../src/db/connection.ts'
import { migrate } from '../../src/db/migrate.ts'
import { adminUrl, PG_TEMPLATE, TEMPLATE_DUMP } from './template-location.ts'

async function preparePglite() {
  const database = await openPglite()
  await migrate(database.db)
  const dump = await database.pglite!.dumpDataDir('gzip')
  await fs.mkdir(path.dirname(TEMPLATE_DUMP), { recursive: true })
  // Written aside and renamed, so a test file starting meanwhile never reads half a dump.
  const partial = `${TEMPLATE_DUMP}.${process.pid}.partial`
  await fs.writeFile(partial, Buffer.from(await dump.arrayBuffer()))
  await fs.rename(partial, TEMPLATE_DUMP)
  await database.close()
}

async function preparePostgres(url: string) {
  const client = new pg.Client({ connectionString: adminUrl(url) })
  await client.connect()
  const old = await client.query('select datname from pg_database where datname like $1', ['caf_test_%'])
  for (const row of old.rows as { datname: string }[]) {
    await client.query(`update pg_database set datistemplate = false where datname = '${row.datname}'`).catch(() => undefined)
    await client.query(`drop database if exists "${row.datname}" with (force)`)
  }
  await client.query(`create database ${PG_TEMPLATE}`)
  await client.end()
  const database = await openPostgres(adminUrl(url, PG_TEMPLATE), 1)
  await migrate(database.db)
  await database.close()
}

const url = process.env.TEST_DATABASE_URL
if (process.argv[2] === 'postgres') {
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  await preparePostgres(url)
} else {
  await preparePglite()
}
