import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'

export interface ChainReport {
  chains: number
  events: number
  /** The first event whose link or digest does not match, per chain; empty when the log is intact. */
  broken: { chain: number; id: number; reason: string }[]
}

/**
 * Walks every chain in id order and recomputes each digest with the same SQL function the
 * trigger uses. Streams in pages so a log of any size is checked in bounded memory.
 */
export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5000): Promise<ChainReport> {
  const report: ChainReport = { chains: 0, events: 0, broken: [] }
  const chains = await db.selectFrom('audit_events').select('chain').distinct().orderBy('chain').execute()
  for (const { chain } of chains) {
    report.chains++
    let expectedPrev = 'genesis'
    let afterId = 0
    for (;;) {
      const rows = await sql<{ id: number; prev_hash: string; hash: string; recomputed: string }>`
        select e.id, e.prev_hash, e.hash, audit_event_digest(e.prev_hash, e) as recomputed
        from audit_events e where e.chain = ${chain} and e.id > ${afterId}
        order by e.id limit ${pageSize}`.execute(db)
      if (rows.rows.length === 0) break
      const firstBad = rows.rows.find((row) => {
        report.events++
        const reason =
          row.prev_hash !== expectedPrev
            ? 'its link to the previous event does not match (an event was removed or reordered)'
            : row.recomputed !== row.hash
              ? 'its contents do not match its digest (the event was altered)'
              : null
        if (reason) report.broken.push({ chain, id: row.id, reason })
        expectedPrev = row.hash
        return reason !== null
      })
      if (firstBad) break
      afterId = rows.rows[rows.rows.length - 1]!.id
    }
  }
  return report
}
