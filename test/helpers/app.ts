import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { seedDemo } from '../../src/features/demo/seed.ts'
import { createServices } from '../../src/services.ts'
import { freshDatabase } from './database.ts'
import { buildStaff } from './staff.ts'

async function startTestApp(env: Record<string, string>) {
  const database = await freshDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'caf-test-'))
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env })
  const services = createServices(database, config)
  const app = await createApp(services, { logger: false })
  return {
    app,
    services,
    db: database.db,
    database,
    dataDir,
    async close() {
      await app.close()
      await database.close()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * The real app on a fresh database of its own, with a council of staff (one user per role, an agency
 * of each kind) and nothing else: each test builds the people and episodes it needs.
 */
export async function testApp(env: Record<string, string> = {}) {
  const t = await startTestApp(env)
  return { ...t, staff: await buildStaff(t.db) }
}
export type TestApp = Awaited<ReturnType<typeof testApp>>

/** The real app seeded with Demo Borough, as `npm start` builds it: only for tests of the demo itself. */
export async function demoApp(env: Record<string, string> = {}) {
  const t = await startTestApp({ DEMO: 'true', ...env })
  const demo = await seedDemo(t.db)
  if (!demo) throw new Error('demo seed did not run on a fresh database')
  return { ...t, demo }
}
export type DemoApp = Awaited<ReturnType<typeof demoApp>>
