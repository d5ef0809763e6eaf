import type { Kysely } from 'kysely'
import type { DB, EpisodeOrigin, EpisodeStatus } from '../../db/schema.ts'
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
  'stepping-up': 'Waiting for social care’s decision',
  closed: 'Closed',
}

/** Once the assessment is complete and until the episode closes: the work of the Team Around the Family. */
const AFTER_ASSESSMENT = ['assessment-complete', 'plan-active'] as const
/** While social care decides a step up, the team carries on: meetings, the plan, corrections. */
const TEAM_WORK = [...AFTER_ASSESSMENT, 'stepping-up'] as const

const ALLOWED: Record<Step, readonly EpisodeStatus[]> = {
  'begin-pre-assessment': ['intention'],
  // The hub follows up an intention that has not become an assessment; "not going ahead" closes it.
  'follow-up-intention': ['intention'],
  'pre-assessment': ['pre-assessment'],
  assess: ['assessment'],
  // A completed assessment is locked: later corrections are amendments with a reason.
  amend: TEAM_WORK,
  meetings: TEAM_WORK,
  plan: TEAM_WORK,
  // Reviews pause while social care decides; the episode closes only by social care's acceptance.
  review: ['plan-active'],
  close: AFTER_ASSESSMENT,
  // A step up carries a completed assessment to social care; before that, the pre-assessment refers.
  'step-up': AFTER_ASSESSMENT,
  'social-care-decides': ['stepping-up'],
  // A family moving council takes a completed assessment with it; before that, the new council starts afresh.
  transfer: AFTER_ASSESSMENT,
  reopen: ['closed'],
}
export type Step =
  | 'begin-pre-assessment'
  | 'follow-up-intention'
  | 'pre-assessment'
  | 'assess'
  | 'amend'
  | 'meetings'
  | 'plan'
  | 'review'
  | 'close'
  | 'step-up'
  | 'social-care-decides'
  | 'transfer'
  | 'reopen'

/**
 * A family stepped down from social care meets its Team Around the Family at the handover, while its
 * early help assessment is still being written: the meeting must be 3 weeks before social care lets go.
 */
const STEPPED_DOWN_ALSO: Partial<Record<Step, readonly EpisodeStatus[]>> = { meetings: ['assessment'] }

export function stageAllows(stage: EpisodeStatus, step: Step, origin: EpisodeOrigin = 'practitioner'): boolean {
  return ALLOWED[step].includes(stage) || (origin === 'step-down' && (STEPPED_DOWN_ALSO[step]?.includes(stage) ?? false))
}

/** Locks the episode's row for the rest of the transaction and throws WrongStage unless its stage allows the step. */
export async function requireStage(tx: Kysely<DB>, laId: number, episodeId: number, step: Step): Promise<EpisodeStatus> {
  const { status, origin } = await lockedEpisode(tx, laId, episodeId)
  if (!stageAllows(status, step, origin)) throw new WrongStage()
  return status
}

/** The stage an episode goes back to when it carries on (reopened, or not taken on by social care): as far as its work got. */
export async function stageToResume(tx: Kysely<DB>, episodeId: number): Promise<'plan-active' | 'assessment-complete'> {
  const plan = await tx.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episodeId).executeTakeFirst()
  return plan ? 'plan-active' : 'assessment-complete'
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
  return (await lockedEpisode(tx, laId, episodeId)).status
}

function lockedEpisode(tx: Kysely<DB>, laId: number, episodeId: number) {
  return tx.selectFrom('episodes').select(['status', 'origin']).where('id', '=', episodeId).where('la_id', '=', laId).forUpdate().executeTakeFirstOrThrow()
}
