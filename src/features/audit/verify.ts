import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { auditAs } from './audit-log.ts'

export interface ChainReport {
  chains: number
  events: number
  /** The first event whose link or digest does not match, per chain; empty when the log is intact. */
  broken: { chain: number; id: number; occurredAt: Date; reason: string }[]
}

/**
 * Walks every chain in id order and recomputes each digest with the same SQL function the
 * trigger uses. Streams in pages so a log of any size is checked in bounded memory. `chain` checks one
 * council's chain only (its id), as its administrator may.
 */
export async function verifyAuditChain(db: Kysely<DB>, opts: { pageSize?: number; chain?: number } = {}): Promise<ChainReport> {
  const pageSize = opts.pageSize ?? 5000
  const report: ChainReport = { chains: 0, events: 0, broken: [] }
  let chainQuery = db.selectFrom('audit_events').select('chain').distinct().orderBy('chain')
  if (opts.chain !== undefined) chainQuery = chainQuery.where('chain', '=', opts.chain)
  const chains = await chainQuery.execute()
  for (const { chain } of chains) {
    report.chains++
    let expectedPrev = 'genesis'
    let afterId = 0
    for (;;) {
      const rows = await sql<{ id: number; occurred_at: Date; prev_hash: string; hash: string; recomputed: string }>`
        select e.id, e.occurred_at, e.prev_hash, e.hash, audit_event_digest(e.prev_hash, e) as recomputed
        from audit_events e where e.chain = ${chain} and e.id > ${afterId}
        order by e.id limit ${pageSize}`.execute(db)
      if (rows.rows.length === 0) break
      const firstBad = rows.rows.find((row) => {
        report.events++
        const reason =
          row.prev_hash !== expectedPrev
            ? 'does not follow on from the event before it: an event was removed, or the order was changed'
            : row.recomputed !== row.hash
              ? 'does not match its digest: its contents were altered after it was written'
              : null
        if (reason) report.broken.push({ chain, id: row.id, occurredAt: new Date(row.occurred_at), reason })
        expectedPrev = row.hash
        return reason !== null
      })
      if (firstBad) break
      afterId = rows.rows[rows.rows.length - 1]!.id
    }
  }
  return report
}

/**
 * The administrator's check of their own council's log, from the page: the chain walked, the check
 * itself audited, and what the page says.
 */
export async function checkCouncilLog(db: Kysely<DB>, actor: Actor): Promise<ChainReport & { council: string }> {
  const report = await verifyAuditChain(db, { chain: actor.laId })
  await auditAs(db, actor, 'audit.checked', { type: 'audit-log', id: actor.laId }, { events: report.events, intact: !report.broken.length })
  const council = await db.selectFrom('local_authorities').select('name').where('id', '=', actor.laId).executeTakeFirstOrThrow()
  return { ...report, council: council.name }
}
