import type { Config } from './config.ts'
import type { Database } from './db/connection.ts'
import { createViewEngine } from './web/render.ts'

/**
 * Everything the app needs, built once and passed in: tests build the same with a fresh database.
 * `reporting` is the read replica reports run on (REPORTING_DATABASE_URL); without one, the database.
 */
export function createServices(database: Database, config: Config, reporting?: Database) {
  return {
    config,
    database,
    db: database.db,
    /** For reports and exports only: it may lag the database by a moment and must never be written to. */
    reportingDb: (reporting ?? database).db,
    views: createViewEngine(),
    /** Set when the outbox worker runs: lets a change that queued mail ask for it to go now. */
    mailer: null as null | { kick(): unknown },
  }
}

export type Services = ReturnType<typeof createServices>
