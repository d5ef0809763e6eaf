import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, dateWords, today } from '../../web/dates.ts'
import { addWorkingDays } from '../../web/working-days.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { requireInterface } from '../../policies/social-care.ts'
import { rolesWith } from '../../web/permissions.ts'
import { auditAs } from '../audit/audit-log.ts'
import { closeHandedOver, STEP_UP_REASON } from '../closure/use-cases.ts'
import { cafSettings } from '../episodes/config.ts'
import { isCurrentLead, saveNextReview } from '../episodes/repository.ts'
import { changeStage, requireStage, stageToResume } from '../episodes/stages.ts'
import { queueMail } from '../mail/outbox.ts'
import { buildPackage } from './package.ts'

/**
 * A step up: early help asks children's social care to take a family on. The episode stays open,
 * waiting for social care's decision, with its information sent as a package that social care reads at
 * once. Social care decides within the council's working days (one by default): accepted, and the
 * episode closes as stepped up; or not accepted, and early help carries on with the reason and advice.
 */

export interface StepUpInput {
  /** Why the family now needs social care. */
  reason: string
  /** The risks to the child now. */
  risks: string
}

export type StepUpDecision = { accepted: true; takenOn: string } | { accepted: false; reason: string; advice: string | null }

/** What the step up needs and was not given, or a decision that can no longer be made: field to message. */
export class StepUpRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('step up refused')
  }
}

/** When early help carries on after social care said no and no review is set: the next review is due this many days later. */
export const REVIEW_AFTER_NOT_ACCEPTED_DAYS = 28

/** From the episode's page: the lead professional (or the hub) asks social care to take the family on. */
export async function requestStepUp(db: Kysely<DB>, actor: Actor, episodeId: number, input: StepUpInput, baseUrl: string): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'lead')
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'step-up')
    return stepUpLocked(tx, actor, episodeId, input, null, baseUrl)
  })
}

/**
 * The step up itself, inside a transaction that holds the episode's lock: from the episode's page, or
 * from a review that decided to step up. Social care's workers are emailed (the email names no family).
 */
export async function stepUpLocked(
  tx: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  input: StepUpInput,
  reviewId: number | null,
  baseUrl: string,
): Promise<number> {
  const from = await changeStage(tx, actor, episodeId, 'step-up', 'stepping-up')
  const [pkg, settings] = await Promise.all([
    buildPackage(tx, actor, episodeId),
    cafSettings(tx, actor.laId).select('step_up_decision_days').executeTakeFirstOrThrow(),
  ])
  const decideBy = addWorkingDays(today(), settings.step_up_decision_days)
  const { id } = await tx
    .insertInto('step_ups')
    .values({
      la_id: actor.laId,
      episode_id: episodeId,
      review_id: reviewId,
      requested_by: actor.userId,
      reason: input.reason,
      risks: input.risks,
      from_stage: from as 'assessment-complete' | 'plan-active',
      package: JSON.stringify(pkg),
      decide_by: decideBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await auditAs(tx, actor, 'step-up.requested', { type: 'episode', id: episodeId }, { stepUp: id, ...(reviewId ? { reviewId } : {}) })
  const socialWorkers = await tx
    .selectFrom('users')
    .select(['email', 'full_name'])
    .where('la_id', '=', actor.laId)
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`roles && ${rolesWith('social-care.work')}::text[]`)
    .execute()
  for (const w of socialWorkers) {
    await queueMail(tx, {
      laId: actor.laId,
      to: w.email,
      subject: `A step up from early help is waiting for social care’s decision (by ${dateWords(decideBy)})`,
      text: [
        `Hello ${w.full_name},`,
        '',
        `Early help has asked children’s social care to take a family on. Please record the decision by ${dateWords(decideBy)}.`,
        '',
        `Read the request and the family’s early help information here: ${baseUrl}/step-ups/${id}`,
        '',
        'This email does not name the family, to keep their information safe.',
      ].join('\n'),
    })
  }
  return id
}

/**
 * Social care's decision. Accepted: the episode closes as stepped up, with the day social care took
 * the family on. Not accepted: the episode goes back to where its work had got to, and the reason and
 * advice are kept with it. The practitioner who asked and the lead professional are emailed.
 */
export async function decideStepUp(db: Kysely<DB>, actor: Actor, id: number, decision: StepUpDecision, baseUrl: string): Promise<void> {
  await requireInterface(db, actor, 'step-up', id, 'decide')
  await db.transaction().execute(async (tx) => {
    const stepUp = await tx
      .selectFrom('step_ups as s')
      .innerJoin('episodes as e', 'e.id', 's.episode_id')
      .select(['s.status', 's.episode_id', 's.requested_by', 'e.status as stage', 'e.next_review_on'])
      .where('s.id', '=', id)
      .where('s.la_id', '=', actor.laId)
      .forUpdate('s')
      .executeTakeFirstOrThrow()
    if (stepUp.status !== 'waiting') throw new StepUpRefused({ form: 'Social care has already decided this step up. It may have changed since you opened it' })
    const episodeId = stepUp.episode_id
    // A step up recorded before social care decided them leaves its episode closed, whatever the decision.
    const waiting = stepUp.stage === 'stepping-up'
    if (decision.accepted) {
      if (waiting)
        await closeHandedOver(tx, actor, episodeId, {
          step: 'social-care-decides',
          reason: STEP_UP_REASON,
          summary: `Children’s social care took the family on from ${dateWords(decision.takenOn)}.`,
        })
    } else if (waiting) {
      const resume = await stageToResume(tx, episodeId)
      await changeStage(tx, actor, episodeId, 'social-care-decides', resume)
      if (resume === 'plan-active' && !stepUp.next_review_on) await saveNextReview(tx, actor.laId, episodeId, addDays(today(), REVIEW_AFTER_NOT_ACCEPTED_DAYS))
    }
    await tx
      .updateTable('step_ups')
      .set({
        status: decision.accepted ? 'accepted' : 'not-accepted',
        decided_by: actor.userId,
        decided_at: sql<Date>`now()`,
        taken_on: decision.accepted ? decision.takenOn : null,
        not_accepted_reason: decision.accepted ? null : decision.reason,
        advice: decision.accepted ? null : decision.advice,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .execute()
    await auditAs(tx, actor, 'step-up.decided', { type: 'episode', id: episodeId }, { stepUp: id, accepted: decision.accepted })
    const told = await tx
      .selectFrom('users as u')
      .select(['u.email', 'u.full_name'])
      .where((w) =>
        w.or([
          w('u.id', '=', stepUp.requested_by),
          w.exists(
            w
              .selectFrom('lead_professionals as l')
              .select('l.id')
              .whereRef('l.user_id', '=', 'u.id')
              .where('l.episode_id', '=', episodeId)
              .where(isCurrentLead('l')),
          ),
        ]),
      )
      .execute()
    for (const u of told) {
      await queueMail(tx, {
        laId: actor.laId,
        to: u.email,
        subject: `Social care’s decision on your step up: ${decision.accepted ? 'accepted' : 'not accepted'}`,
        text: [
          `Hello ${u.full_name},`,
          '',
          decision.accepted
            ? `Children’s social care has accepted the step up and took the family on from ${dateWords(decision.takenOn)}. The early help episode is now closed.`
            : 'Children’s social care has not accepted the step up. The family stays with early help: read the reason and social care’s advice on the episode.',
          '',
          `See it here: ${baseUrl}/step-ups/${id}`,
          '',
          'This email does not name the family, to keep their information safe.',
        ].join('\n'),
      })
    }
  })
}
