import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { dateWords } from '../../web/dates.ts'
import type { Episode } from '../episodes/repository.ts'
import { outcomeCounts } from '../plans/use-cases.ts'
import type { ChartPoint } from './chart.ts'

export interface Series {
  key: string
  /** e.g. "General health: John Smith", or "Basic care, safety and protection" for the family. */
  title: string
  points: (ChartPoint & { date: string; gap: number | null })[]
}

/**
 * Distance travelled: each scored element over time, from the assessment (the baseline) through every
 * review, with the family's and the practitioner's scores side by side and the gap between them.
 */
export async function distanceTravelled(
  db: Kysely<DB>,
  laId: number,
  episode: Episode,
): Promise<{ series: Series[]; outcomes: { set: number; achieved: number } }> {
  const [elements, sections, reviews, scores, outcomes] = await Promise.all([
    db
      .selectFrom('assessment_elements')
      .select(['code', 'label', 'domain_code'])
      .where('la_id', '=', laId)
      .orderBy('domain_code')
      .orderBy('sort_order')
      .execute(),
    db
      .selectFrom('assessment_sections')
      .select(['section', 'subject_id', 'data'])
      .where('episode_id', '=', episode.id)
      .where('section', 'like', 'domain-%')
      .execute(),
    db.selectFrom('reviews').select(['id', 'held_on']).where('episode_id', '=', episode.id).orderBy('held_on').orderBy('id').execute(),
    db
      .selectFrom('review_scores as s')
      .innerJoin('reviews as r', 'r.id', 's.review_id')
      .select(['s.review_id', 's.subject_id', 's.element_code', 's.practitioner', 's.family'])
      .where('r.episode_id', '=', episode.id)
      .execute(),
    outcomeCounts(db, episode.id),
  ])
  const assessed = episode.assessment_completed_at ? dateWords(episode.assessment_completed_at) : 'Not completed'
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  const subjects = new Map(episode.children.map((c) => [c.id, c.name]))
  const series: Series[] = []
  for (const section of sections) {
    const domain = section.section.slice('domain-'.length)
    for (const e of elements.filter((x) => x.domain_code === domain)) {
      const baseline = { practitioner: num(section.data[`${e.code}-practitioner`]), family: num(section.data[`${e.code}-family`]) }
      const later = reviews.map((r, i) => {
        const s = scores.find((x) => x.review_id === r.id && x.subject_id === section.subject_id && x.element_code === e.code)
        return { occasion: `Review ${i + 1}`, date: dateWords(r.held_on), practitioner: s?.practitioner ?? null, family: s?.family ?? null }
      })
      const points = [{ occasion: 'Assessment', date: assessed, ...baseline }, ...later].map((p) => ({
        ...p,
        gap: p.practitioner !== null && p.family !== null ? Math.abs(p.practitioner - p.family) : null,
      }))
      if (!points.some((p) => p.practitioner !== null || p.family !== null)) continue
      const who = section.subject_id ? subjects.get(section.subject_id) : null
      series.push({ key: `${e.code}-${section.subject_id}`, title: who ? `${e.label}: ${who}` : e.label, points })
    }
  }
  return { series, outcomes }
}
