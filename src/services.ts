import type { Config } from './config.ts'
import type { Database } from './db/connection.ts'
import { createViewEngine } from './web/render.ts'

/** Everything the app needs, built once and passed in: tests build the same with a fresh database. */
export function createServices(database: Database, config: Config) {
  return {
    config,
    database,
    db: database.db,
    views: createViewEngine(),
    /** Set when the outbox worker runs: lets a change that queued mail ask for it to go now. */
    mailer: null as null | { kick(): unknown },
  }
}

export type Services = ReturnType<typeof createServices>
