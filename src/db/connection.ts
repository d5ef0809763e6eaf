import fs from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { Kysely, PostgresDialect, type LogConfig } from 'kysely'
import pg from 'pg'
import type { DB } from './schema.ts'

// One place where the two engines are made to return the same JavaScript values.
// int8 (ids, counts) as numbers: no id or count here comes near 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
// numeric (rates, pounds) as numbers too: reports add and divide them, and none needs more than 15 digits.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))
// Dates of birth and other calendar dates stay 'YYYY-MM-DD' strings, never shifted by a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export interface Database {
  db: Kysely<DB>
  kind: 'pglite' | 'postgres'
  /** The PGlite instance when embedded, for dumping a template database in tests. */
  pglite?: PGlite
  close(): Promise<void>
}

export const pgliteExtensions = { pg_trgm, fuzzystrmatch }

/** Thrown when another process has the embedded database open: two at once would corrupt it. */
export class DatabaseInUse extends Error {}

/**
 * Claims an embedded database's folder for this process with a lock file holding its pid. A lock
 * left by a process that has ended is taken over; one held by a running process is refused.
 */
async function claim(dataDir: string): Promise<() => Promise<void>> {
  const lock = `${dataDir}.lock`
  try {
    await fs.writeFile(lock, String(process.pid), { flag: 'wx' })
  } catch {
    const holder = Number(await fs.readFile(lock, 'utf8').catch(() => ''))
    if (holder && holder !== process.pid && running(holder))
      throw new DatabaseInUse(`The embedded database in ${dataDir} is in use by another CAF Hub process (pid ${holder}). Stop it first, or set DATABASE_URL.`)
    await fs.writeFile(lock, String(process.pid))
  }
  return () => fs.rm(lock, { force: true })
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Embedded PostgreSQL (PGlite). dataDir undefined = in memory; loadDataDir = start from a dump. */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob; log?: LogConfig } = {}): Promise<Database> {
  if (options.dataDir) await fs.mkdir(options.dataDir, { recursive: true })
  const release = options.dataDir ? await claim(options.dataDir) : async () => undefined
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: pgliteExtensions,
  })
  // PGlite's node-postgres adapter: the same pg Pool and Kysely dialect as a server, one connection.
  const pool = new pg.Pool(createPgConfig(pglite) as pg.PoolConfig)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(options.log ? { log: options.log } : {}) })
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      await db.destroy()
      await pglite.close()
      await release()
    },
  }
}

export async function openPostgres(url: string, poolSize = 10, log?: LogConfig): Promise<Database> {
  // JIT compilation off: CAF Hub's queries are short, and compiling one the planner thinks costly (a
  // work queue applying the access rule to each episode) took longer than running it (0.5 s against 50 ms).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' })
  // An idle connection the server closes (a restart, a failover, an administrator) is dropped from the
  // pool and replaced on the next query; without this listener its 'error' event would stop the process.
  pool.on('error', () => undefined)
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) })
  return { db, kind: 'postgres', close: () => db.destroy() }
}

/** `log` sees every query with its duration: for benchmarks, never for the app (queries carry personal data). */
export function openDatabase(config: { databaseUrl?: string | undefined; dataDir: string }, log?: LogConfig): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, 10, log) : openPglite({ dataDir: `${config.dataDir}/pglite`, ...(log ? { log } : {}) })
}
