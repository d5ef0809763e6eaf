import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addMonths, today } from '../../web/dates.ts'
import { NotFound } from '../../web/outcome.ts'
import { readableBy } from '../../policies/episode.ts'
import { childNames } from '../episodes/repository.ts'
import { STAGE_LABELS } from '../episodes/stages.ts'
import { CHECKLIST } from './checklist.ts'
import { AREAS, gradeText, isGoodOrBetter } from './scale.ts'

/** Read models of quality assurance: samples, an audit, the last six months' audits and what they show. */

/** The QA page and its download cover the audits of the last six months, as inspectors ask. */
export const sixMonthsAgo = () => addMonths(today(), -6)

export function samplesOf(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('qa_samples as s')
    .innerJoin('users as u', 'u.id', 's.drawn_by')
    .select([
      's.id',
      's.drawn_at as drawnAt',
      's.period_from as from',
      's.period_to as to',
      'u.full_name as drawnBy',
      (eb) =>
        eb
          .selectFrom('qa_sample_episodes as x')
          .select((c) => c.fn.countAll<number>().as('n'))
          .whereRef('x.sample_id', '=', 's.id')
          .as('drawn'),
      (eb) =>
        eb
          .selectFrom('qa_audits as q')
          .select((c) => c.fn.countAll<number>().as('n'))
          .whereRef('q.sample_id', '=', 's.id')
          .as('audited'),
    ])
    .where('s.la_id', '=', laId)
    .orderBy('s.drawn_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(50)
    .execute()
}

export async function sampleView(db: Kysely<DB>, laId: number, id: number) {
  const sample = await db
    .selectFrom('qa_samples as s')
    .innerJoin('users as u', 'u.id', 's.drawn_by')
    .selectAll('s')
    .select('u.full_name as drawnByName')
    .where('s.id', '=', id)
    .where('s.la_id', '=', laId)
    .executeTakeFirst()
  if (!sample) throw new NotFound()
  const episodes = await db
    .selectFrom('qa_sample_episodes as x')
    .innerJoin('episodes as e', 'e.id', 'x.episode_id')
    .leftJoin('qa_audits as q', (j) => j.onRef('q.sample_id', '=', 'x.sample_id').onRef('q.episode_id', '=', 'x.episode_id'))
    .select(['x.episode_id as episodeId', 'x.stratum', 'x.position', 'e.status', childNames.as('children'), 'q.id as auditId'])
    .where('x.sample_id', '=', id)
    .orderBy('x.position')
    .execute()
  return { sample, episodes: episodes.map((e) => ({ ...e, stage: STAGE_LABELS[e.status] })) }
}

export async function auditView(db: Kysely<DB>, laId: number, auditId: number) {
  const audit = await db
    .selectFrom('qa_audits as q')
    .innerJoin('users as auditor', 'auditor.id', 'q.auditor_user_id')
    .innerJoin('users as p', 'p.id', 'q.practitioner_user_id')
    .innerJoin('agencies as a', 'a.id', 'q.agency_id')
    .leftJoin('qa_moderations as m', 'm.audit_id', 'q.id')
    .leftJoin('users as moderator', 'moderator.id', 'm.moderator_user_id')
    .selectAll('q')
    .select([
      'auditor.full_name as auditorName',
      'p.full_name as practitionerName',
      'a.name as agencyName',
      'm.judgements as moderated',
      'm.comment as moderationComment',
      'm.moderated_at as moderatedAt',
      'moderator.full_name as moderatorName',
    ])
    .where('q.id', '=', auditId)
    .where('q.la_id', '=', laId)
    .executeTakeFirst()
  if (!audit) throw new NotFound()
  const judgements = AREAS.map((area) => ({
    ...area,
    grade: gradeText(audit.scale, audit.judgements[area.key]),
    moderated: audit.moderated ? gradeText(audit.scale, audit.moderated[area.key]) : null,
  }))
  return { audit, judgements }
}

/** The last six months' audits of the council, the latest first, for the QA page and its download. */
export async function recentAudits(db: Kysely<DB>, laId: number, since = sixMonthsAgo()) {
  const rows = await db
    .selectFrom('qa_audits as q')
    .innerJoin('users as auditor', 'auditor.id', 'q.auditor_user_id')
    .innerJoin('agencies as a', 'a.id', 'q.agency_id')
    .leftJoin('localities as l', 'l.id', 'q.locality_id')
    .leftJoin('qa_moderations as m', 'm.audit_id', 'q.id')
    .select([
      'q.id',
      'q.episode_id as episodeId',
      'q.sample_id as sampleId',
      'q.audited_at as auditedAt',
      'q.scale',
      'q.checklist',
      'q.judgements',
      'q.acknowledged_at as acknowledgedAt',
      'auditor.full_name as auditor',
      'a.name as agency',
      'l.name as locality',
      'm.judgements as moderated',
    ])
    .where('q.la_id', '=', laId)
    .where('q.audited_at', '>=', new Date(`${since}T00:00:00Z`))
    .orderBy('q.audited_at', 'desc')
    .orderBy('q.id', 'desc')
    .execute()
  return rows.map((r) => {
    // The moderated judgement is the one that stands; the first is kept beside it.
    const overall = (r.moderated ?? r.judgements).overall
    return { ...r, locality: r.locality ?? 'No locality', overall: gradeText(r.scale, overall), good: isGoodOrBetter(r.scale, overall) }
  })
}
export type RecentAudit = Awaited<ReturnType<typeof recentAudits>>[number]

function shareBy(audits: readonly RecentAudit[], key: 'agency' | 'locality') {
  const groups = new Map<string, { name: string; audits: number; good: number }>()
  for (const a of audits) {
    const g = groups.get(a[key]) ?? { name: a[key], audits: 0, good: 0 }
    g.audits++
    if (a.good) g.good++
    groups.set(a[key], g)
  }
  return [...groups.values()].sort((x, y) => x.name.localeCompare(y.name)).map((g) => ({ ...g, percent: Math.round((100 * g.good) / g.audits) }))
}

/** What the QA page shows: share judged good or better by agency and locality, and the checklist items most often missing. */
export function qaSummary(audits: readonly RecentAudit[]) {
  const missing = CHECKLIST.map((item) => {
    // An item not due yet (no plan before the assessment is done) is neither present nor missing.
    const answered = audits.map((a) => a.checklist[item.key]).filter((state) => state === 'yes' || state === 'no')
    const no = answered.filter((state) => state === 'no').length
    return { text: item.text, missing: no, of: answered.length, percent: answered.length ? Math.round((100 * no) / answered.length) : 0 }
  })
    .filter((m) => m.missing > 0)
    .sort((a, b) => b.missing - a.missing || b.percent - a.percent)
  return { byAgency: shareBy(audits, 'agency'), byLocality: shareBy(audits, 'locality'), missing }
}

/** The audits whose feedback is for this practitioner, of the episodes they may still open: not yet acknowledged first. */
export function feedbackFor(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('qa_audits as q')
    .innerJoin('episodes as e', 'e.id', 'q.episode_id')
    .select(['q.id', 'q.episode_id as episodeId', 'q.audited_at as auditedAt', 'q.acknowledged_at as acknowledgedAt', childNames.as('children')])
    .where('q.practitioner_user_id', '=', actor.userId)
    .where('q.la_id', '=', actor.laId)
    .where(readableBy(actor))
    .where((w) => w.or([w('q.acknowledged_at', 'is', null), w('q.audited_at', '>=', new Date(`${sixMonthsAgo()}T00:00:00Z`))]))
    .orderBy((eb) => eb('q.acknowledged_at', 'is not', null))
    .orderBy('q.audited_at', 'desc')
    .limit(50)
    .execute()
}

/** An episode's place in a sample, with its audit if it has one; NotFound if the sample did not draw it. */
export async function sampleEntry(db: Kysely<DB>, laId: number, sampleId: number, episodeId: number) {
  const entry = await db
    .selectFrom('qa_sample_episodes as x')
    .leftJoin('qa_audits as q', (j) => j.onRef('q.sample_id', '=', 'x.sample_id').onRef('q.episode_id', '=', 'x.episode_id'))
    .select(['x.stratum', 'q.id as auditId'])
    .where('x.sample_id', '=', sampleId)
    .where('x.episode_id', '=', episodeId)
    .where('x.la_id', '=', laId)
    .executeTakeFirst()
  if (!entry) throw new NotFound()
  return entry
}
