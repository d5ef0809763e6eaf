import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, addMonths, today, ukDate } from '../../web/dates.ts'
import { WrongStage } from '../../web/outcome.ts'
import { isUniqueViolation } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { changeStage, requireStage, stageToResume } from '../episodes/stages.ts'
import { cafSettings } from '../episodes/config.ts'
import { openOutcomes } from '../plans/use-cases.ts'

/**
 * The closure reason of an episode social care took on (a step up it accepted). A council may rename
 * it, not hide it. Nobody closes an episode with it by hand: a step up asks social care, which decides.
 */
export const STEP_UP_REASON = 'stepped-up'

/** The day a follow-up call to the family is due: its number of months after the day the episode closed. */
export function followUpDueOn(closedOn: string, months: number): string {
  return addMonths(closedOn, months)
}

/** Closure reasons the council offers when closing by hand (hidden ones, and the step up's, left out). */
export function closureReasons(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('closure_reasons')
    .select(['code', 'label'])
    .where('la_id', '=', laId)
    .where('hidden', '=', false)
    .where('code', '<>', STEP_UP_REASON)
    .orderBy('sort_order')
    .execute()
}

/** The closure reason that says the family's needs are met: desired outcomes still open need a word of explanation. */
export const NEEDS_MET_REASON = 'needs-met'

export interface CloseInput {
  reason: string
  summary: string
  /** When closing as needs met with desired outcomes still open: why the needs are met all the same. */
  openOutcomesReason?: string | null
}

/** Closing as needs met while desired outcomes are still open, without saying why. */
export class OutcomesStillOpen extends Error {
  constructor(public readonly outcomes: { id: number; outcome: string }[]) {
    super('desired outcomes are still open')
  }
}

/** What a page says when closing as needs met with outcomes open and no reason given. */
export function outcomesStillOpenMessage(count: number): string {
  const them = count === 1 ? '1 desired outcome that is' : `${count} desired outcomes that are`
  return `You are closing as needs met with ${them} not achieved. Say why the family’s needs are met all the same, or choose another reason`
}

/** The reason given is not one the council offers (or was hidden while the form was open). */
export class UnknownClosureReason extends Error {
  constructor() {
    super('not a closure reason the council offers')
  }
}

/**
 * Closes the episode with a reason and a closing summary, and schedules the follow-up contacts (at
 * 3, 6 and 12 months by default) that ask the family whether things stayed better.
 */
export async function closeEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, input: CloseInput): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'lead')
  await db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'close')
    await closeLocked(tx, actor, episodeId, input)
  })
}

/**
 * The closing itself, inside a transaction that holds the episode's lock: from the closure page, or
 * from a review that decided to close.
 */
export async function closeLocked(tx: Kysely<DB>, actor: Actor, episodeId: number, input: CloseInput & { reviewId?: number }): Promise<void> {
  const reason = await tx
    .selectFrom('closure_reasons')
    .select('code')
    .where('la_id', '=', actor.laId)
    .where('code', '=', input.reason)
    .where('hidden', '=', false)
    .where('code', '<>', STEP_UP_REASON)
    .executeTakeFirst()
  if (!reason) throw new UnknownClosureReason()
  const open = input.reason === NEEDS_MET_REASON ? await openOutcomes(tx, episodeId) : []
  if (open.length && !input.openOutcomesReason) throw new OutcomesStillOpen(open)
  const settings = await cafSettings(tx, actor.laId).select('follow_up_months').executeTakeFirstOrThrow()
  await changeStage(tx, actor, episodeId, 'close', 'closed', {
    closed_at: sql<Date>`now()`,
    closed_reason: input.reason,
    closing_summary: input.summary,
    closed_with_open_outcomes: open.length ? input.openOutcomesReason! : null,
    closed_by: actor.userId,
    next_review_on: null,
  })
  const closedOn = today()
  if (settings.follow_up_months.length) {
    await tx
      .insertInto('follow_ups')
      .values(settings.follow_up_months.map((months) => ({ la_id: actor.laId, episode_id: episodeId, months, due_on: followUpDueOn(closedOn, months) })))
      .execute()
  }
  await auditAs(
    tx,
    actor,
    'episode.closed',
    { type: 'episode', id: episodeId },
    { reason: input.reason, ...(input.reviewId ? { reviewId: input.reviewId } : {}) },
  )
}

/** The closure reason of an episode whose family moved to another council, which took them on. */
export const MOVED_REASON = 'moved'

/**
 * Someone else took the family on: social care (a step up it accepted) or another council (a transfer
 * it accepted, or a file sent to one). The episode closes with that reason, and early help makes no
 * follow-up calls: the family is now theirs.
 */
export async function closeHandedOver(
  tx: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  how: { step: 'social-care-decides' | 'transfer'; reason: typeof STEP_UP_REASON | typeof MOVED_REASON; summary: string },
): Promise<void> {
  await changeStage(tx, actor, episodeId, how.step, 'closed', {
    closed_at: sql<Date>`now()`,
    closed_reason: how.reason,
    closing_summary: how.summary,
    closed_by: actor.userId,
    next_review_on: null,
  })
  await auditAs(tx, actor, 'episode.closed', { type: 'episode', id: episodeId }, { reason: how.reason })
}

export type ReopenResult = 'reopened' | 'too-late' | 'child-has-open-episode' | 'handed-over'

/** Someone else took the family on: social care accepted a step up, or another council a transfer (or was sent its file). */
export async function handedOver(db: Kysely<DB>, episodeId: number): Promise<boolean> {
  const row = await db
    .selectFrom('episodes as e')
    .select(
      sql<boolean>`exists (select 1 from step_ups s where s.episode_id = e.id and s.status = 'accepted')
        or exists (select 1 from transfers t where t.episode_id = e.id and t.status in ('accepted', 'exported'))`.as('handed'),
    )
    .where('e.id', '=', episodeId)
    .executeTakeFirstOrThrow()
  return row.handed
}

/**
 * Reopens a closed episode within the council's time (3 months by default), with a reason: the same
 * episode, plan and team carry on. Later than that, a new episode is needed. Follow-ups not yet made lapse.
 */
export async function reopenEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, reason: string): Promise<ReopenResult> {
  await requireEpisode(db, actor, episodeId, 'lead')
  try {
    return await db.transaction().execute(async (tx) => {
      await requireStage(tx, actor.laId, episodeId, 'reopen')
      const [episode, settings, resume] = await Promise.all([
        tx.selectFrom('episodes').select(['closed_at', 'closed_reason', 'assessment_completed_at']).where('id', '=', episodeId).executeTakeFirstOrThrow(),
        cafSettings(tx, actor.laId).select('reopen_days').executeTakeFirstOrThrow(),
        stageToResume(tx, episodeId),
      ])
      // Only an episode that got as far as a completed assessment can carry on, and only with early help.
      if (!episode.assessment_completed_at) throw new WrongStage()
      if (await handedOver(tx, episodeId)) return 'handed-over'
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
      await changeStage(tx, actor, episodeId, 'reopen', resume, {
        closed_at: null,
        closed_reason: null,
        closing_summary: null,
        closed_with_open_outcomes: null,
        closed_by: null,
      })
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
  await requireEpisode(db, actor, episodeId, 'work')
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
