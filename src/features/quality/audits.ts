import { sql, type Kysely } from 'kysely'
import type { DB, QaScaleKey } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { auditAllows, mayAudit, type AuditRight } from '../../policies/quality.ts'
import { auditAs } from '../audit/audit-log.ts'
import { cafSettings } from '../episodes/config.ts'
import { queueMail } from '../mail/outbox.ts'
import { checklistOf } from './checklist.ts'
import type { AreaKey } from './scale.ts'

/**
 * A quality audit's life: the hub audits an episode drawn in a sample (the checklist is computed and
 * kept as it stood), the practitioner is told by email and in My work, reads the feedback and says so;
 * a second member of the hub may moderate the judgements, and both are kept.
 */
export type Judgements = Record<AreaKey, string>

export interface AuditInput {
  judgements: Judgements
  feedback: string
}

/** The council's scale now: the one a new audit is judged on. */
export async function councilScale(db: Kysely<DB>, laId: number): Promise<QaScaleKey> {
  return (await cafSettings(db, laId).select('qa_scale').executeTakeFirstOrThrow()).qa_scale
}

/** An audit's facts for the policy, or NotFound outside the actor's council; Forbidden without the right. */
export async function requireAudit(db: Kysely<DB>, actor: Actor, auditId: number, right: AuditRight, episodeId?: number) {
  const row = await db
    .selectFrom('qa_audits as q')
    .leftJoin('qa_moderations as m', 'm.audit_id', 'q.id')
    .select(['q.id', 'q.episode_id', 'q.scale', 'q.auditor_user_id', 'q.practitioner_user_id', 'q.acknowledged_at', 'm.audit_id as moderated'])
    .where('q.id', '=', auditId)
    .where('q.la_id', '=', actor.laId)
    .$if(episodeId !== undefined, (q) => q.where('q.episode_id', '=', episodeId!))
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

/** Audits an episode of a sample; returns the audit's id (the existing one if it was audited already). */
export async function recordAudit(db: Kysely<DB>, actor: Actor, sampleId: number, episodeId: number, input: AuditInput, baseUrl: string): Promise<number> {
  if (!mayAudit(actor)) throw new Forbidden()
  return db.transaction().execute(async (tx) => {
    const episode = await tx
      .selectFrom('qa_sample_episodes as s')
      .innerJoin('episodes as e', 'e.id', 's.episode_id')
      .innerJoin('users as u', (j) => j.on(sql<boolean>`u.id = coalesce(e.lead_user_id, e.initiator_user_id)`))
      .select(['e.id', 'e.locality_id', 'u.id as practitionerId', 'u.agency_id as agencyId', 'u.email', 'u.full_name as name'])
      .where('s.sample_id', '=', sampleId)
      .where('s.episode_id', '=', episodeId)
      .where('s.la_id', '=', actor.laId)
      .forUpdate('s')
      .executeTakeFirst()
    if (!episode) throw new NotFound()
    const done = await tx.selectFrom('qa_audits').select('id').where('sample_id', '=', sampleId).where('episode_id', '=', episodeId).executeTakeFirst()
    if (done) return done.id
    const [checklist, scale] = await Promise.all([checklistOf(tx, actor.laId, episodeId), councilScale(tx, actor.laId)])
    const { id } = await tx
      .insertInto('qa_audits')
      .values({
        la_id: actor.laId,
        sample_id: sampleId,
        episode_id: episodeId,
        practitioner_user_id: episode.practitionerId,
        agency_id: episode.agencyId,
        locality_id: episode.locality_id,
        auditor_user_id: actor.userId,
        scale,
        checklist: JSON.stringify(checklist),
        judgements: JSON.stringify(input.judgements),
        feedback: input.feedback,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Names no child or family: the link opens the feedback for someone who may read it.
    await queueMail(tx, {
      laId: actor.laId,
      to: episode.email,
      subject: 'Feedback on a CAF you are responsible for',
      text: [
        `Hello ${episode.name},`,
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
export async function acknowledgeAudit(db: Kysely<DB>, actor: Actor, auditId: number, reply: string | null): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const audit = await requireAudit(tx, actor, auditId, 'acknowledge')
    const done = await tx
      .updateTable('qa_audits')
      .set({ acknowledged_at: new Date(), reply })
      .where('id', '=', auditId)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst()
    if (Number(done.numUpdatedRows) !== 1) throw new Forbidden()
    await auditAs(tx, actor, 'qa.acknowledged', { type: 'episode', id: audit.episode_id }, { audit: auditId })
  })
}

/** A second auditor's judgements of the same work, kept beside the first. */
export async function moderateAudit(db: Kysely<DB>, actor: Actor, auditId: number, input: { judgements: Judgements; comment: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const audit = await requireAudit(tx, actor, auditId, 'moderate')
    const added = await tx
      .insertInto('qa_moderations')
      .values({ audit_id: auditId, la_id: actor.laId, moderator_user_id: actor.userId, judgements: JSON.stringify(input.judgements), comment: input.comment })
      .onConflict((oc) => oc.column('audit_id').doNothing())
      .returning('audit_id')
      .executeTakeFirst()
    // Another auditor moderated it in the meantime: theirs stands.
    if (!added) throw new Forbidden()
    await auditAs(tx, actor, 'qa.moderated', { type: 'episode', id: audit.episode_id }, { audit: auditId })
  })
}
