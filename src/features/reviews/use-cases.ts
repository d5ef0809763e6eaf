import { sql, type Kysely } from 'kysely'
import type { DB, Progress } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, today } from '../../web/dates.ts'
import { WrongStage } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireWorking } from '../episodes/access.ts'
import { lockEpisode } from '../episodes/repository.ts'

export const PROGRESS = [
  { value: 'achieved', text: 'Achieved' },
  { value: 'progressing', text: 'Progressing' },
  { value: 'no-progress', text: 'No progress' },
  { value: 'no-longer-relevant', text: 'No longer relevant' },
] as const

export const DECISIONS = [
  { value: 'continue', text: 'Continue with the plan', hint: 'Things are moving in the right direction' },
  { value: 'change-plan', text: 'Change the plan', hint: 'Add or change actions on the plan after this review' },
] as const

/** When a review is due without a level that says: the national default for a CAF (level 3). */
const DEFAULT_REVIEW_DAYS = 42

/** Days between reviews for an episode's level of need (defaults: 6 weeks at level 3, 6 months at level 2). */
export async function reviewInterval(db: Kysely<DB>, laId: number, episodeId: number): Promise<number> {
  const row = await db
    .selectFrom('episodes as e')
    .leftJoin('need_levels as l', (j) => j.onRef('l.la_id', '=', 'e.la_id').onRef('l.code', '=', 'e.need_level'))
    .select('l.review_days')
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', laId)
    .executeTakeFirstOrThrow()
  return row.review_days ?? DEFAULT_REVIEW_DAYS
}

/** Sets the first review when the plan becomes active: the level's interval from today. */
export async function scheduleFirstReview(tx: Kysely<DB>, laId: number, episodeId: number): Promise<void> {
  const days = await reviewInterval(tx, laId, episodeId)
  await tx
    .updateTable('episodes')
    .set({ next_review_on: addDays(today(), days) })
    .where('id', '=', episodeId)
    .execute()
}

export interface ReviewInput {
  heldOn: string
  outcomes: Record<number, { progress: Progress; evidence: string }>
  scores: { subjectId: number; element: string; practitioner: number | null; family: number | null }[]
  decision: 'continue' | 'change-plan'
  nextReviewOn: string
  summary: string | null
}

export class OutcomesMissing extends Error {
  constructor(public readonly outcomeIds: number[]) {
    super('every open outcome must be reviewed')
  }
}

/**
 * Records a review. It must look at every desired outcome still open (the seeds' complaint: reviews
 * that listed actions and never referred back to the needs assessed). Outcomes achieved or no longer
 * relevant are closed; the next review is set.
 */
export async function recordReview(db: Kysely<DB>, actor: Actor, episodeId: number, input: ReviewInput): Promise<number> {
  await requireWorking(db, actor, episodeId)
  return db.transaction().execute(async (tx) => {
    if ((await lockEpisode(tx, actor.laId, episodeId)) !== 'plan-active') throw new WrongStage()
    const open = await openOutcomes(tx, episodeId)
    const missing = open.filter((o) => !input.outcomes[o.id]).map((o) => o.id)
    if (missing.length || Object.keys(input.outcomes).some((id) => !open.some((o) => o.id === Number(id)))) throw new OutcomesMissing(missing)
    const review = await tx
      .insertInto('reviews')
      .values({
        la_id: actor.laId,
        episode_id: episodeId,
        held_on: input.heldOn,
        decision: input.decision,
        next_review_on: input.nextReviewOn,
        summary: input.summary,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('review_outcomes')
      .values(open.map((o) => ({ review_id: review.id, la_id: actor.laId, outcome_id: o.id, ...input.outcomes[o.id]! })))
      .execute()
    const scored = input.scores.filter((s) => s.practitioner !== null || s.family !== null)
    if (scored.length) {
      await tx
        .insertInto('review_scores')
        .values(
          scored.map((s) => ({
            review_id: review.id,
            la_id: actor.laId,
            subject_id: s.subjectId,
            element_code: s.element,
            practitioner: s.practitioner,
            family: s.family,
          })),
        )
        .execute()
    }
    for (const o of open) {
      const progress = input.outcomes[o.id]!.progress
      if (progress === 'achieved' || progress === 'no-longer-relevant') {
        await tx
          .updateTable('plan_outcomes')
          .set({ status: progress, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
          .where('id', '=', o.id)
          .execute()
      }
    }
    await tx
      .updateTable('episodes')
      .set({ next_review_on: input.nextReviewOn, updated_at: sql<Date>`now()` })
      .where('id', '=', episodeId)
      .execute()
    await auditAs(tx, actor, 'review.recorded', { type: 'episode', id: episodeId }, { reviewId: review.id, decision: input.decision })
    return review.id
  })
}

/** The desired outcomes a review must look at: those not yet achieved or set aside. */
export function openOutcomes(db: Kysely<DB>, episodeId: number) {
  return db
    .selectFrom('plan_outcomes')
    .select(['id', 'need', 'outcome'])
    .where('episode_id', '=', episodeId)
    .where('status', '=', 'open')
    .orderBy('sort_order')
    .execute()
}

export function reviewsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.held_on as heldOn', 'r.decision', 'r.next_review_on as nextReviewOn', 'r.summary', 'u.full_name as by'])
    .where('r.episode_id', '=', episodeId)
    .where('r.la_id', '=', laId)
    .orderBy('r.held_on')
    .orderBy('r.id')
    .execute()
}
