import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { seedDemo } from '../../src/features/demo/seed.ts'
import { createServices } from '../../src/services.ts'
import { freshDatabase } from './database.ts'

/** The real app on a fresh database seeded with Demo Borough, as `npm start` builds it. */
export async function testApp(env: Record<string, string> = {}) {
  const database = await freshDatabase()
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'caf-test-'))
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO: 'true', ...env })
  const services = createServices(database, config)
  const app = await createApp(services, { logger: false })
  const demo = await seedDemo(database.db)
  if (!demo) throw new Error('demo seed did not run on a fresh database')
  return {
    app,
    services,
    db: database.db,
    database,
    demo,
    dataDir,
    async close() {
      await app.close()
      await database.close()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof testApp>>
