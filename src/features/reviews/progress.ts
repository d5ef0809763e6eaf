import type { Kysely } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'
import { dateWords } from '../../web/dates.ts'
import { NotFound } from '../../web/outcome.ts'
import type { SectionData } from '../assessment/fields.ts'
import { sectionsOf } from '../assessment/use-cases.ts'
import { cafConfigQuery, toCafConfig } from '../episodes/config.ts'
import { episodeQuery, toEpisode, type Episode } from '../episodes/repository.ts'
import { outcomeCountsOf } from '../plans/use-cases.ts'
import { reviewsOf } from './use-cases.ts'
import type { ChartPoint } from './chart.ts'

export interface Series {
  key: string
  /** e.g. "General health: John Smith", or "Basic care, safety and protection" for the family. */
  title: string
  points: (ChartPoint & { date: string; gap: number | null })[]
}

type Row<Q extends { execute(): Promise<unknown[]> }> = Awaited<ReturnType<Q['execute']>>[number]

/**
 * The distance-travelled page's read model, in one query: the episode, the council's scale and
 * elements, the assessment's scores (the baseline), every review with its scores, and the desired
 * outcomes achieved.
 */
export async function progressPage(db: Kysely<DB>, laId: number, episodeId: number) {
  const elements = db
    .selectFrom('assessment_elements')
    .select(['code', 'label', 'domain_code'])
    .where('la_id', '=', laId)
    .orderBy('domain_code')
    .orderBy('sort_order')
  const row = await episodeQuery(db, laId, episodeId)
    .select((eb) => {
      const id = eb.ref('e.id')
      return [
        jsonObjectFrom(cafConfigQuery(db, laId)).as('config'),
        jsonArrayFrom(elements).as('elements'),
        jsonArrayFrom(sectionsOf(db, id).where('section', 'like', 'domain-%')).as('sections'),
        jsonArrayFrom(reviewsOf(db, id)).as('reviews'),
        jsonArrayFrom(
          db
            .selectFrom('review_scores as s')
            .innerJoin('reviews as r', 'r.id', 's.review_id')
            .select(['s.review_id', 's.subject_id', 's.element_code', 's.practitioner', 's.family'])
            .where('r.episode_id', '=', id),
        ).as('scores'),
        jsonObjectFrom(outcomeCountsOf(db, id)).as('outcomes'),
      ]
    })
    .executeTakeFirst()
  if (!row) throw new NotFound()
  const { config, elements: elementRows, sections, reviews, scores, outcomes, ...rest } = row
  const episode = toEpisode(rest)
  return {
    episode,
    scale: toCafConfig(config!).scale,
    reviews,
    outcomes: outcomes!,
    series: distanceTravelled(episode, elementRows, sections as { section: string; subject_id: number; data: SectionData }[], reviews, scores),
  }
}

/**
 * Distance travelled: each scored element over time, from the assessment (the baseline) through every
 * review, with the practitioner's and the family's scores side by side and the gap between them.
 */
function distanceTravelled(
  episode: Episode,
  elements: readonly { code: string; label: string; domain_code: string }[],
  sections: readonly { section: string; subject_id: number; data: SectionData }[],
  reviews: readonly Row<ReturnType<typeof reviewsOf>>[],
  scores: readonly { review_id: number; subject_id: number; element_code: string; practitioner: number | null; family: number | null }[],
): Series[] {
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
        return { occasion: `Review ${i + 1}`, date: dateWords(r.heldOn), practitioner: s?.practitioner ?? null, family: s?.family ?? null }
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
  return series
}
