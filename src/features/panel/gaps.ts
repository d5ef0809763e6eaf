import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { requirePanel } from '../../policies/panel.ts'
import { auditAs } from '../audit/audit-log.ts'
import { cafConfig } from '../episodes/config.ts'
import { PanelRefused } from './meetings.ts'

/** Gaps in local services: needs a panel could not find a service for, counted by need and locality for commissioners. */

export interface Gap {
  need: string
  localityId: number | null
  note: string
}

/** The needs a gap can be about: the assessment's elements, as the directory's services are described. */
export async function gapNeeds(db: Kysely<DB>, laId: number) {
  return (await cafConfig(db, laId)).domains.flatMap((d) => d.elements.map((e) => ({ code: e.code, label: `${d.label}: ${e.label}` })))
}

export async function recordGap(db: Kysely<DB>, actor: Actor, meetingId: number, gap: Gap): Promise<void> {
  await requirePanel(db, actor, meetingId, 'chair')
  if (!(await gapNeeds(db, actor.laId)).some((n) => n.code === gap.need)) throw new PanelRefused({ need: 'Select the need from the list' })
  if (gap.localityId !== null) {
    const locality = await db.selectFrom('localities').select('id').where('id', '=', gap.localityId).where('la_id', '=', actor.laId).executeTakeFirst()
    if (!locality) throw new PanelRefused({ localityId: 'Select the locality from the list' })
  }
  await db
    .insertInto('panel_gaps')
    .values({ la_id: actor.laId, meeting_id: meetingId, need: gap.need, locality_id: gap.localityId, note: gap.note, recorded_by: actor.userId })
    .execute()
  await auditAs(db, actor, 'panel.gap-recorded', { type: 'panel', id: meetingId }, { need: gap.need })
}

/** Every gap recorded, counted by need and locality (the most often first), with the notes. No family is named. */
export async function gapsReport(db: Kysely<DB>, laId: number) {
  const needs = await gapNeeds(db, laId)
  const rows = await db
    .selectFrom('panel_gaps as g')
    .innerJoin('panel_meetings as m', 'm.id', 'g.meeting_id')
    .leftJoin('localities as l', 'l.id', 'g.locality_id')
    .select([
      'g.need',
      'l.name as locality',
      sql<number>`count(*)::int`.as('times'),
      sql<string[]>`array_agg(g.note order by g.recorded_at desc)`.as('notes'),
      sql<string>`max(m.meets_on)::text`.as('lastOn'),
    ])
    .where('g.la_id', '=', laId)
    .groupBy(['g.need', 'l.name'])
    .orderBy('times', 'desc')
    .orderBy('g.need')
    .execute()
  return rows.map((r) => ({ ...r, needLabel: needs.find((n) => n.code === r.need)?.label ?? r.need, locality: r.locality ?? 'Across the council' }))
}
