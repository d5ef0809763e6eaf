import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { WrongStage } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { changeStage, requireStage } from './stages.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { cafConfig } from './config.ts'
import { recommend, type Answer, type NextStep, type QuestionKey } from './pre-assessment-rules.ts'

export interface ChecklistInput {
  answers: Record<QuestionKey, { answer: Answer; note: string | null }>
  concern: string
  agenciesInvolved: string | null
}

/** Starts the pre-assessment of an episode recorded as an intention. */
export async function beginPreAssessment(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    await changeStage(tx, actor, episodeId, 'begin-pre-assessment', 'pre-assessment')
    await auditAs(tx, actor, 'episode.pre-assessment-started', { type: 'episode', id: episodeId })
  })
}

/** Saves the checklist's answers and the recommendation they give. The practitioner decides next. */
export async function saveChecklist(db: Kysely<DB>, actor: Actor, episodeId: number, input: ChecklistInput): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  const config = await cafConfig(db, actor.laId)
  const advice = recommend(Object.fromEntries(Object.entries(input.answers).map(([k, v]) => [k, v.answer])) as Record<QuestionKey, Answer>, config.levels)
  await db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'pre-assessment')
    const values = {
      answers: JSON.stringify(input.answers),
      concern: input.concern,
      agencies_involved: input.agenciesInvolved,
      recommended_level: advice.level.code,
      recommended_step: advice.step,
      updated_by: actor.userId,
      updated_at: sql<Date>`now()`,
    }
    await tx
      .insertInto('pre_assessments')
      .values({ episode_id: episodeId, la_id: actor.laId, ...values })
      .onConflict((oc) => oc.column('episode_id').doUpdateSet(values))
      .execute()
    await auditAs(tx, actor, 'episode.pre-assessment-saved', { type: 'episode', id: episodeId }, { recommendedLevel: advice.level.code })
  })
}

export interface DecisionInput {
  level: string
  nextStep: NextStep
  reason: string
}

/**
 * The practitioner's decision. Going on to a CAF opens the assessment; anything else ends the episode
 * here with the decision as its outcome (a referral to social care is recorded as exactly that).
 */
export async function decide(db: Kysely<DB>, actor: Actor, episodeId: number, input: DecisionInput): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('pre_assessments')
      .set({ decided_level: input.level, next_step: input.nextStep, decision_reason: input.reason, decided_by: actor.userId, decided_at: sql<Date>`now()` })
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', actor.laId)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new WrongStage()
    const toAssessment = input.nextStep === 'assessment'
    await changeStage(tx, actor, episodeId, 'pre-assessment', toAssessment ? 'assessment' : 'closed', {
      need_level: input.level,
      assessment_started_at: toAssessment ? sql<Date>`now()` : null,
      closed_at: toAssessment ? null : sql<Date>`now()`,
      closed_reason: toAssessment ? null : `pre-assessment:${input.nextStep}`,
    })
    await auditAs(tx, actor, 'episode.pre-assessment-decided', { type: 'episode', id: episodeId }, { level: input.level, nextStep: input.nextStep })
  })
}

export function preAssessmentOf(db: Kysely<DB>, laId: number, episodeId: number) {
  return db.selectFrom('pre_assessments').selectAll().where('episode_id', '=', episodeId).where('la_id', '=', laId).executeTakeFirst()
}
