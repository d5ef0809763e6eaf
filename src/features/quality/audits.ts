import type { Kysely } from 'kysely'
import type { DB, QaScaleKey } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { auditAllows, mayAudit, type AuditRight } from '../../policies/quality.ts'
import { auditAs } from '../audit/audit-log.ts'
import { cafSettings } from '../episodes/config.ts'
import { responsibleProfessional } from '../episodes/repository.ts'
import { queueMail } from '../mail/outbox.ts'
import { checklistOf } from './checklist.ts'
import { readJudgements } from './scale.ts'

/**
 * A quality audit's life: the hub audits an episode drawn in a sample (the checklist is computed and
 * kept as it stood), the practitioner is told by email and in My work, reads the feedback and says so;
 * a second member of the hub may moderate the judgements, and both are kept.
 */

/** Grades that are not on the scale the audit is judged on: area to message, for the form. */
export class JudgementsRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('grades not on the scale')
  }
}

/** Someone else audited the episode of this sample first: theirs stands. */
export class AlreadyAudited extends Error {
  constructor(public readonly auditId: number) {
    super('already audited')
  }
}

/** The council's scale now: the one a new audit is judged on. */
export async function councilScale(db: Kysely<DB>, laId: number): Promise<QaScaleKey> {
  return (await cafSettings(db, laId).select('qa_scale').executeTakeFirstOrThrow()).qa_scale
}

/** The audit of the episode; NotFound if it is not that episode's, or the actor may not read it; Forbidden without the right. */
export async function requireAudit(db: Kysely<DB>, actor: Actor, auditId: number, episodeId: number, right: AuditRight) {
  const row = await db
    .selectFrom('qa_audits as q')
    .leftJoin('qa_moderations as m', 'm.audit_id', 'q.id')
    .select(['q.id', 'q.sample_id', 'q.scale', 'q.auditor_user_id', 'q.practitioner_user_id', 'q.acknowledged_at', 'm.audit_id as moderated'])
    .where('q.id', '=', auditId)
    .where('q.episode_id', '=', episodeId)
    .where('q.la_id', '=', actor.laId)
    .executeTakeFirst()
  if (!row) throw new NotFound()
  const facts = {
    auditorUserId: row.auditor_user_id,
    practitionerUserId: row.practitioner_user_id,
    acknowledged: row.acknowledged_at !== null,
    moderated: row.moderated !== null,
  }
  if (!auditAllows(actor, facts, 'read')) throw new NotFound()
  if (!auditAllows(actor, facts, right)) throw new Forbidden()
  return { ...row, ...facts }
}

/** Audits an episode of a sample, judged on the council's scale; returns the audit's id. */
export async function recordAudit(
  db: Kysely<DB>,
  actor: Actor,
  sampleId: number,
  episodeId: number,
  input: { judgements: Record<string, unknown>; feedback: string },
  baseUrl: string,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const entry = await tx
      .selectFrom('qa_sample_episodes')
      .select('episode_id')
      .where('sample_id', '=', sampleId)
      .where('episode_id', '=', episodeId)
      .where('la_id', '=', actor.laId)
      .forUpdate()
      .executeTakeFirst()
    if (!entry) throw new NotFound()
    const practitioner = await responsibleProfessional(tx, actor.laId, episodeId)
    if (!mayAudit(actor, practitioner.id)) throw new Forbidden()
    const done = await tx.selectFrom('qa_audits').select('id').where('sample_id', '=', sampleId).where('episode_id', '=', episodeId).executeTakeFirst()
    if (done) throw new AlreadyAudited(done.id)
    const scale = await councilScale(tx, actor.laId)
    const read = readJudgements(input.judgements, scale)
    if ('errors' in read) throw new JudgementsRefused(read.errors)
    const { id } = await tx
      .insertInto('qa_audits')
      .values({
        la_id: actor.laId,
        sample_id: sampleId,
        episode_id: episodeId,
        practitioner_user_id: practitioner.id,
        agency_id: practitioner.agencyId,
        locality_id: practitioner.localityId,
        auditor_user_id: actor.userId,
        scale,
        checklist: JSON.stringify(await checklistOf(tx, actor.laId, episodeId)),
        judgements: JSON.stringify(read.judgements),
        feedback: input.feedback,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Names no child or family: the link opens the feedback for someone who may read it.
    await queueMail(tx, {
      laId: actor.laId,
      to: practitioner.email,
      subject: 'Feedback on a CAF you are responsible for',
      text: [
        `Hello ${practitioner.name},`,
        '',
        `The CAF hub has audited the quality of CAF episode ${episodeId} and has written feedback for you.`,
        '',
        `Read it, and tell the hub you have read it, here: ${baseUrl}/episodes/${episodeId}/audits/${id}`,
        '',
        'You will also find it under "My work". This email does not name the family, to keep their information safe.',
      ].join('\n'),
    })
    await auditAs(tx, actor, 'qa.audited', { type: 'episode', id: episodeId }, { audit: id, sample: sampleId })
    return id
  })
}

/** The practitioner says they have read the feedback, with a reply if they wish. */
export async function acknowledgeAudit(db: Kysely<DB>, actor: Actor, episodeId: number, auditId: number, reply: string | null): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await requireAudit(tx, actor, auditId, episodeId, 'acknowledge')
    const done = await tx
      .updateTable('qa_audits')
      .set({ acknowledged_at: new Date(), reply })
      .where('id', '=', auditId)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw new Forbidden()
    await auditAs(tx, actor, 'qa.acknowledged', { type: 'episode', id: episodeId }, { audit: auditId })
  })
}

/** A second auditor's judgements of the same work, on the audit's own scale, kept beside the first. */
export async function moderateAudit(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  auditId: number,
  input: { judgements: Record<string, unknown>; comment: string },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const audit = await requireAudit(tx, actor, auditId, episodeId, 'moderate')
    const read = readJudgements(input.judgements, audit.scale)
    if ('errors' in read) throw new JudgementsRefused(read.errors)
    const added = await tx
      .insertInto('qa_moderations')
      .values({ audit_id: auditId, la_id: actor.laId, moderator_user_id: actor.userId, judgements: JSON.stringify(read.judgements), comment: input.comment })
      .onConflict((oc) => oc.column('audit_id').doNothing())
      .returning('audit_id')
      .executeTakeFirst()
    // Another auditor moderated it in the meantime: theirs stands.
    if (!added) throw new Forbidden()
    await auditAs(tx, actor, 'qa.moderated', { type: 'episode', id: episodeId }, { audit: auditId })
  })
}
