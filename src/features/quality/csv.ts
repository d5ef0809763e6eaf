import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { csvText } from '../../web/csv.ts'
import { ukDate } from '../../web/dates.ts'
import type { Outcome } from '../../web/outcome.ts'
import { CHECKLIST, STATE_TEXT } from './checklist.ts'
import { recentAudits, sixMonthsAgo, type RecentAudit } from './queries.ts'
import { AREAS, gradeText } from './scale.ts'

/**
 * The last six months' audits as inspectors ask for them: one row an audit, the judgements (the
 * first and any moderation), and each checklist item. It names no child: the episode number finds the
 * record for anyone entitled to open it.
 */
export function auditsCsv(audits: readonly RecentAudit[]): string {
  const head = [
    'Audit',
    'Audited on',
    'CAF episode',
    'Sample',
    'Agency',
    'Locality',
    'Auditor',
    ...AREAS.map((a) => a.text),
    ...AREAS.map((a) => `${a.text} (moderated)`),
    'Judged good or better',
    ...CHECKLIST.map((c) => c.text),
    'Feedback acknowledged on',
  ]
  const rows = audits.map((a) => [
    a.id,
    ukDate(new Date(a.auditedAt)),
    a.episodeId,
    a.sampleId,
    a.agency,
    a.locality,
    a.auditor,
    ...AREAS.map((area) => gradeText(a.scale, a.judgements[area.key])),
    ...AREAS.map((area) => (a.moderated ? gradeText(a.scale, a.moderated[area.key]) : '')),
    a.good ? 'Yes' : 'No',
    ...CHECKLIST.map((c) => STATE_TEXT[a.checklist[c.key] ?? 'not-due']),
    a.acknowledgedAt ? ukDate(new Date(a.acknowledgedAt)) : '',
  ])
  return csvText([head, ...rows])
}

/** The download of the last six months' audits: from the QA page, and in the inspection pack. */
export async function auditsDownload(db: Kysely<DB>, laId: number): Promise<Outcome> {
  const audits = await recentAudits(db, laId)
  return {
    type: 'download',
    filename: `quality-audits-since-${sixMonthsAgo()}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: auditsCsv(audits),
    auditDetail: { shown: audits.map((a) => a.episodeId) },
  }
}
