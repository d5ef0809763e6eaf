import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, addMonths, today, ukDate } from '../../web/dates.ts'
import { Forbidden, NotFound, WrongStage } from '../../web/outcome.ts'
import { isUniqueViolation } from '../admin/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireWorking } from '../episodes/access.ts'
import { lockEpisode } from '../episodes/repository.ts'

/** Closure reasons the council offers (hidden ones left out). */
export function closureReasons(db: Kysely<DB>, laId: number) {
  return db.selectFrom('closure_reasons').select(['code', 'label']).where('la_id', '=', laId).where('hidden', '=', false).orderBy('sort_order').execute()
}

/** Only the lead professional closes or reopens an episode, or the hub (for a family with no lead). */
async function requireLeadOrHub(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireWorking(db, actor, episodeId)
  if (actor.roles.includes('coordinator')) return
  const lead = await db
    .selectFrom('lead_professionals')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('user_id', '=', actor.userId)
    .where('accepted_at', 'is not', null)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  if (!lead) throw new Forbidden()
}

export interface CloseInput {
  reason: string
  summary: string
}

/**
 * Closes the episode with a reason and a closing summary, and schedules the follow-up contacts (at
 * 3, 6 and 12 months by default) that ask the family whether things stayed better. A step up to social
 * care is a closure reason here; the social-care interface picks such closures up when it exists.
 */
export async function closeEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, input: CloseInput): Promise<void> {
  await requireLeadOrHub(db, actor, episodeId)
  const reasons = await closureReasons(db, actor.laId)
  if (!reasons.some((r) => r.code === input.reason)) throw new NotFound()
  await db.transaction().execute(async (tx) => {
    const stage = await lockEpisode(tx, actor.laId, episodeId)
    if (stage !== 'assessment-complete' && stage !== 'plan-active') throw new WrongStage()
    const settings = await tx.selectFrom('caf_settings').select('follow_up_months').where('la_id', '=', actor.laId).executeTakeFirstOrThrow()
    await tx
      .updateTable('episodes')
      .set({
        status: 'closed',
        closed_at: sql<Date>`now()`,
        closed_reason: input.reason,
        closing_summary: input.summary,
        closed_by: actor.userId,
        next_review_on: null,
        version: sql<number>`version + 1`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', episodeId)
      .execute()
    const closedOn = today()
    if (settings.follow_up_months.length) {
      await tx
        .insertInto('follow_ups')
        .values(settings.follow_up_months.map((months) => ({ la_id: actor.laId, episode_id: episodeId, months, due_on: addMonths(closedOn, months) })))
        .execute()
    }
    await auditAs(tx, actor, 'episode.closed', { type: 'episode', id: episodeId }, { reason: input.reason })
  })
}

export type ReopenResult = 'reopened' | 'too-late' | 'child-has-open-episode'

/**
 * Reopens a closed episode within the council's time (3 months by default), with a reason: the same
 * episode, plan and team carry on. Later than that, a new episode is needed. Follow-ups not yet made lapse.
 */
export async function reopenEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, reason: string): Promise<ReopenResult> {
  await requireLeadOrHub(db, actor, episodeId)
  try {
    return await db.transaction().execute(async (tx) => {
      if ((await lockEpisode(tx, actor.laId, episodeId)) !== 'closed') throw new WrongStage()
      const [episode, settings, plan] = await Promise.all([
        tx.selectFrom('episodes').select(['closed_at', 'closed_reason', 'assessment_completed_at']).where('id', '=', episodeId).executeTakeFirstOrThrow(),
        tx.selectFrom('caf_settings').select('reopen_days').where('la_id', '=', actor.laId).executeTakeFirstOrThrow(),
        tx.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episodeId).executeTakeFirst(),
      ])
      // Only an episode that got as far as a completed assessment can carry on.
      if (!episode.assessment_completed_at) throw new WrongStage()
      const closedOn = ukDate(episode.closed_at!)
      if (today() > addDays(closedOn, settings.reopen_days)) return 'too-late'
      await tx
        .insertInto('episode_reopenings')
        .values({
          la_id: actor.laId,
          episode_id: episodeId,
          closed_at: episode.closed_at!,
          closed_reason: episode.closed_reason,
          reason,
          reopened_by: actor.userId,
        })
        .execute()
      await tx
        .updateTable('episodes')
        .set({
          status: plan ? 'plan-active' : 'assessment-complete',
          closed_at: null,
          closed_reason: null,
          closing_summary: null,
          closed_by: null,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', episodeId)
        .execute()
      await tx.updateTable('follow_ups').set({ status: 'cancelled' }).where('episode_id', '=', episodeId).where('status', '=', 'due').execute()
      await auditAs(tx, actor, 'episode.reopened', { type: 'episode', id: episodeId })
      return 'reopened' as const
    })
  } catch (error) {
    // A child of this episode has started another since: only one may be open.
    if (isUniqueViolation(error)) return 'child-has-open-episode'
    throw error
  }
}

export interface FollowUpAnswers {
  contactedOn: string
  stayedBetter: 'yes' | 'partly' | 'no'
  stayedBetterWords: string | null
  recommend: 'yes' | 'no' | 'not-sure'
  couldBeBetter: string | null
}

/** The answers to a follow-up call, recorded by the practitioner who made it. */
export async function recordFollowUp(db: Kysely<DB>, actor: Actor, episodeId: number, followUpId: number, answers: FollowUpAnswers): Promise<void> {
  await requireWorking(db, actor, episodeId)
  await db.transaction().execute(async (tx) => {
    const r = await tx
      .updateTable('follow_ups')
      .set({
        status: 'done',
        contacted_on: answers.contactedOn,
        stayed_better: answers.stayedBetter,
        stayed_better_words: answers.stayedBetterWords,
        recommend: answers.recommend,
        could_be_better: answers.couldBeBetter,
        recorded_by: actor.userId,
        recorded_at: sql<Date>`now()`,
      })
      .where('id', '=', followUpId)
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', actor.laId)
      .where('status', '=', 'due')
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) throw new WrongStage()
    await auditAs(tx, actor, 'follow-up.recorded', { type: 'episode', id: episodeId }, { followUpId })
  })
}

export function followUpsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('follow_ups as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .selectAll('f')
    .select('u.full_name as recordedByName')
    .where('f.episode_id', '=', episodeId)
    .where('f.la_id', '=', laId)
    .orderBy('f.due_on')
    .execute()
}
