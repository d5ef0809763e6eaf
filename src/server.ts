import { performance } from 'node:perf_hooks'
import { createApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { openDatabase, openPostgres } from './db/connection.ts'
import { migrate } from './db/migrate.ts'
import { seedDemo } from './features/demo/seed.ts'
import { fileTransport, smtpTransport } from './features/mail/transport.ts'
import { startMailWorker } from './features/mail/worker.ts'
import { startReminderWorker } from './features/desk/reminder-worker.ts'
import { createServices } from './services.ts'

async function main() {
  const started = performance.now()
  const config = loadConfig()
  const database = await openDatabase(config)
  const applied = await migrate(database.db)
  const reporting = config.reportingDatabaseUrl ? await openPostgres(config.reportingDatabaseUrl, 4) : undefined
  const services = createServices(database, config, reporting)
  const app = await createApp(services)
  if (applied.length) app.log.info({ applied }, 'database migrated')

  if (config.demo) {
    const credentials = await seedDemo(database.db)
    if (credentials) printCredentials(credentials)
  }

  const transport = config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.outboxDir)
  const mailer = startMailWorker(database.db, transport, config.mailFrom, app.log)
  services.mailer = mailer
  const reminders = startReminderWorker(database.db, config.baseUrl, app.log, mailer)

  await app.listen({ port: config.port, host: config.host })
  app.log.info(
    { engine: database.kind, mail: config.smtpUrl ? 'smtp' : 'files', demo: config.demo, readyMs: Math.round(performance.now() - started) },
    `CAF Hub is ready on ${config.baseUrl}`,
  )

  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping')
    await app.close()
    await reminders.stop()
    await mailer.stop()
    await reporting?.close()
    await database.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop('SIGINT'))
  process.once('SIGTERM', () => void stop('SIGTERM'))
}

function printCredentials(c: { password: string; accounts: { role: string; email: string }[] }) {
  // Printed once, at the first start, for the made-up demo accounts only.
  const lines = ['', 'Demo Borough is ready. Sign in with any of these demo accounts:', '']
  for (const a of c.accounts) lines.push(`  ${a.role.padEnd(28)} ${a.email}`)
  lines.push('', `  Password for every demo account: ${c.password}`, '', 'They are also shown on the sign-in page while DEMO is on.', '')
  process.stdout.write(lines.join('\n') + '\n')
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`)
  } else {
    process.stderr.write(`CAF Hub could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  }
  process.exit(1)
})
