import type { Expression, Kysely } from 'kysely'
import type { DB, Progress, ReviewDecision } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { auditAs } from '../audit/audit-log.ts'
import { closeLocked, type CloseInput } from '../closure/use-cases.ts'
import { stepUpLocked, type StepUpInput } from '../social-care/step-ups.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { requireStage } from '../episodes/stages.ts'
import { saveNextReview } from '../episodes/repository.ts'
import { addOutcome, openOutcomes, progressActions, settleOutcome, type ActionProgress } from '../plans/use-cases.ts'

export const PROGRESS = [
  { value: 'achieved', text: 'Achieved' },
  { value: 'progressing', text: 'Progressing' },
  { value: 'no-progress', text: 'No progress' },
  { value: 'no-longer-relevant', text: 'No longer relevant' },
] as const

export const DECISIONS = [
  { value: 'continue', text: 'Continue with the plan', hint: 'Things are moving in the right direction' },
  { value: 'change-plan', text: 'Change the plan', hint: 'Add or change actions on the plan after this review' },
  { value: 'close', text: 'Close the episode', hint: 'The support is ending: the family’s needs are met, or for another reason' },
  {
    value: 'step-up',
    text: 'Step up to children’s social care',
    hint: 'The family needs more help than early help can give. Social care reads the family’s information and decides; the episode stays open until then',
  },
] as const satisfies readonly { value: ReviewDecision; text: string; hint: string }[]

/** The decisions that end the episode: only its lead professional (or the hub) may record them. */
export const ENDS_EPISODE: readonly ReviewDecision[] = ['close', 'step-up']

export interface ReviewInput {
  heldOn: string
  outcomes: Record<number, { progress: Progress; evidence: string }>
  scores: { subjectId: number; element: string; practitioner: number | null; family: number | null }[]
  actions: ActionProgress[]
  /** A desired outcome for a need the review found, which the next review goes back to. Not when the review closes. */
  newOutcome: { need: string; outcome: string } | null
  decision: ReviewDecision
  /** For a review that carries on: when the next one is. */
  nextReviewOn: string | null
  /** For a review that closes the episode: why, and the closing summary. */
  closing: CloseInput | null
  /** For a review that steps up: why the family needs social care, and the risks now. */
  stepUp: StepUpInput | null
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
 * relevant are closed, and actions moved on. Then either the next review is set, or the episode closes:
 * closing or stepping up is the lead professional's decision: closing closes it as the closure page
 * does; stepping up asks social care, as the step-up page does.
 */
export async function recordReview(db: Kysely<DB>, actor: Actor, episodeId: number, input: ReviewInput, baseUrl: string): Promise<number> {
  const ends = ENDS_EPISODE.includes(input.decision)
  if (ends === Boolean(input.nextReviewOn)) throw new Error('a review either sets the next review or ends the episode')
  if ((input.decision === 'close') !== Boolean(input.closing) || (input.decision === 'step-up') !== Boolean(input.stepUp))
    throw new Error('a closing review, and only one, closes; a step up, and only one, steps up')
  if (ends && input.newOutcome) throw new Error('a review that closes the episode sets no new outcome')
  await requireEpisode(db, actor, episodeId, ends ? 'lead' : 'work')
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'review')
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
    if (open.length) {
      await tx
        .insertInto('review_outcomes')
        .values(open.map((o) => ({ review_id: review.id, la_id: actor.laId, outcome_id: o.id, ...input.outcomes[o.id]! })))
        .execute()
    }
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
        await settleOutcome(tx, actor.laId, episodeId, o.id, progress)
      }
    }
    await progressActions(tx, actor, episodeId, input.actions, review.id)
    if (input.newOutcome) await addOutcome(tx, actor, episodeId, { ...input.newOutcome, reviewId: review.id })
    await auditAs(tx, actor, 'review.recorded', { type: 'episode', id: episodeId }, { reviewId: review.id, decision: input.decision })
    if (input.closing) {
      await closeLocked(tx, actor, episodeId, { ...input.closing, reviewId: review.id })
    } else if (input.stepUp) {
      await saveNextReview(tx, actor.laId, episodeId, null)
      await stepUpLocked(tx, actor, episodeId, input.stepUp, review.id, baseUrl)
    } else {
      await saveNextReview(tx, actor.laId, episodeId, input.nextReviewOn)
    }
    return review.id
  })
}

/** An episode's reviews, oldest first, with who recorded each. */
export function reviewsOf(db: Kysely<DB>, episodeId: number | Expression<number>) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.held_on as heldOn', 'r.decision', 'r.next_review_on as nextReviewOn', 'r.summary', 'u.full_name as by'])
    .where('r.episode_id', '=', episodeId)
    .orderBy('r.held_on')
    .orderBy('r.id')
}
