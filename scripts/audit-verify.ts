// npm run audit:verify — recomputes every link of the audit log's hash chains and reports the first
// broken one. Uses the same database as the app (DATABASE_URL, or the embedded one in DATA_DIR).
import { loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/connection.ts'
import { migrate } from '../src/db/migrate.ts'
import { verifyAuditChain } from '../src/features/audit/verify.ts'

const config = loadConfig()
const database = await openDatabase(config)
try {
  await migrate(database.db)
  const report = await verifyAuditChain(database.db)
  if (report.broken.length === 0) {
    console.log(`Audit log intact: ${report.events} events in ${report.chains} chain(s) checked.`)
  } else {
    for (const b of report.broken) console.log(`BROKEN: chain ${b.chain} (council id ${b.chain || 'none'}), first bad event id ${b.id} ${b.reason}`)
    process.exitCode = 1
  }
} finally {
  await database.close()
}
