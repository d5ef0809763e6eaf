import type { Kysely } from 'kysely'
import type { DB, EpisodeStatus } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { WrongStage } from '../../web/outcome.ts'
import { saveStage, type EpisodeColumns } from './repository.ts'

/**
 * The stages of an episode and what each allows: the one place the rule is written. Pages ask
 * `stageAllows` to decide what to offer; use cases ask `requireStage` (inside their transaction,
 * with the episode's row locked) before they change anything.
 */
export const STAGE_LABELS: Record<EpisodeStatus, string> = {
  intention: 'Intention to assess',
  'pre-assessment': 'Pre-assessment',
  assessment: 'Assessment in progress',
  'assessment-complete': 'Assessment complete',
  'plan-active': 'Plan active',
  closed: 'Closed',
}

/** Once the assessment is complete and until the episode closes: the work of the Team Around the Family. */
const AFTER_ASSESSMENT = ['assessment-complete', 'plan-active'] as const

const ALLOWED: Record<Step, readonly EpisodeStatus[]> = {
  'begin-pre-assessment': ['intention'],
  // The hub follows up an intention that has not become an assessment; "not going ahead" closes it.
  'follow-up-intention': ['intention'],
  'pre-assessment': ['pre-assessment'],
  assess: ['assessment'],
  // A completed assessment is locked: later corrections are amendments with a reason.
  amend: AFTER_ASSESSMENT,
  meetings: AFTER_ASSESSMENT,
  plan: AFTER_ASSESSMENT,
  review: ['plan-active'],
  close: AFTER_ASSESSMENT,
  reopen: ['closed'],
}
export type Step = 'begin-pre-assessment' | 'follow-up-intention' | 'pre-assessment' | 'assess' | 'amend' | 'meetings' | 'plan' | 'review' | 'close' | 'reopen'

export function stageAllows(stage: EpisodeStatus, step: Step): boolean {
  return ALLOWED[step].includes(stage)
}

/** Locks the episode's row for the rest of the transaction and throws WrongStage unless its stage allows the step. */
export async function requireStage(tx: Kysely<DB>, laId: number, episodeId: number, step: Step): Promise<EpisodeStatus> {
  const stage = await lockEpisode(tx, laId, episodeId)
  if (!stageAllows(stage, step)) throw new WrongStage()
  return stage
}

/**
 * Every change of an episode's stage goes through here: the step must be allowed at the stage it is
 * at, and the change is recorded (who, when, from, to) in episode_stage_changes, which the reports
 * measure timeliness from. `set` holds the columns that change with it (closed_at, need_level...).
 */
export async function changeStage(
  tx: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  step: Step,
  to: EpisodeStatus,
  set: EpisodeColumns = {},
): Promise<EpisodeStatus> {
  const from = await requireStage(tx, actor.laId, episodeId, step)
  await saveStage(tx, actor.laId, episodeId, to, set)
  await recordStageChange(tx, actor, episodeId, from, to)
  return from
}

/** The row of a stage change; `changeStage` writes it, and `startEpisode` for the first stage (from nothing). */
export async function recordStageChange(tx: Kysely<DB>, actor: Actor, episodeId: number, from: EpisodeStatus | null, to: EpisodeStatus): Promise<void> {
  await tx
    .insertInto('episode_stage_changes')
    .values({ la_id: actor.laId, episode_id: episodeId, from_stage: from, to_stage: to, changed_by: actor.userId })
    .execute()
}

/** Locks an episode's row for the rest of the transaction and returns its status (steps check it first). */
export async function lockEpisode(tx: Kysely<DB>, laId: number, episodeId: number): Promise<EpisodeStatus> {
  const row = await tx.selectFrom('episodes').select('status').where('id', '=', episodeId).where('la_id', '=', laId).forUpdate().executeTakeFirstOrThrow()
  return row.status
}
