import type { QaScaleKey } from '../../db/schema.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { choice, formSchema, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { Forbidden, invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { AuditDeclaration, RequestContext, Route } from '../../web/router.ts'
import { auditAllows, mayAudit, type AuditRight } from '../../policies/quality.ts'
import { episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { responsibleProfessional } from '../episodes/repository.ts'
import { acknowledgeAudit, AlreadyAudited, councilScale, JudgementsRefused, moderateAudit, recordAudit, requireAudit } from './audits.ts'
import { checklistItems, checklistOf, STATE_TEXT } from './checklist.ts'
import { auditView, sampleEntry } from './queries.ts'
import { AREA_KEYS, AREAS, QA_SCALES } from './scale.ts'

/** Auditing an episode from a sample, reading the audit, acknowledging it and moderating it. */

const AUDIT_VIEWED: AuditDeclaration = { action: 'qa.audit-viewed', recordType: 'episode' }
const DONE = {
  audited: 'Audit saved. The practitioner has been emailed that their feedback is ready',
  acknowledged: 'You have acknowledged this feedback',
  moderated: 'Moderation saved. Both judgements are kept',
}

// Any grade of any scale passes the schema; the use case checks it against the scale the audit is on.
const ALL_GRADES = [...new Set(Object.values(QA_SCALES).flatMap((s) => s.grades.map((g) => g.value)))]
const grades = Object.fromEntries(AREAS.map((a) => [a.key, choice(a.text, ALL_GRADES, `Select a grade for ${a.text.toLowerCase()}`)])) as Record<
  (typeof AREA_KEYS)[number],
  ReturnType<typeof choice<string>>
>

const auditBody = formSchema({
  ...grades,
  feedback: text('Feedback', { max: 10_000, multiline: true, requiredMessage: 'Enter your feedback to the practitioner' }),
})
const moderateBody = formSchema({ ...grades, comment: text('Comment', { max: 10_000, multiline: true, requiredMessage: 'Enter why you agree or differ' }) })
const acknowledgeBody = formSchema({ reply: optionalText('Reply', { max: 5000, multiline: true }) })

const gradeChoices = (scale: QaScaleKey) => QA_SCALES[scale].grades.map((g) => ({ value: g.value, text: g.text }))
const ORDER = [...AREA_KEYS, 'feedback', 'comment', 'reply']
const auditId = (ctx: RequestContext) => Number(ctx.params.auditId)

/** A use case's refusal of the judgements, as the form's errors. */
async function judged(change: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await change()
  } catch (error) {
    if (error instanceof JudgementsRefused) return invalid(error.errors)
    if (error instanceof AlreadyAudited)
      return invalid({
        form: 'Someone else in the hub audited this episode while you had the form open. Your answers are below; read their audit before you do anything else',
      })
    throw error
  }
}

function auditFormPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const db = ctx.services.db
    const sampleId = Number(ctx.params.sampleId)
    const [entry, practitioner] = await Promise.all([
      sampleEntry(db, ctx.actor.laId, sampleId, episode.id),
      responsibleProfessional(db, ctx.actor.laId, episode.id),
    ])
    if (!mayAudit(ctx.actor, practitioner.id)) throw new Forbidden()
    // Audited already: the audit, unless the user is being told so with their answers kept.
    if (entry.auditId && !errors) return redirect(`/episodes/${episode.id}/audits/${entry.auditId}`)
    const [checklist, scale] = await Promise.all([checklistOf(db, ctx.actor.laId, episode.id), councilScale(db, ctx.actor.laId)])
    const data = {
      title: 'Audit the quality of this CAF',
      ...episodeHeader(episode),
      checklist: checklistItems(checklist),
      stateText: STATE_TEXT,
      areas: AREAS,
      grades: gradeChoices(scale),
      existing: entry.auditId ? `/episodes/${episode.id}/audits/${entry.auditId}` : null,
      values,
      action: ctx.path,
      backHref: `/qa/samples/${sampleId}`,
    }
    return page('quality/views/audit-form.njk', withErrors(data, errors, ORDER))
  })
}

/** The audit in the address, of the episode in the address, if the actor has the right to it. */
async function auditIn(ctx: RequestContext, episodeId: number, right: AuditRight) {
  const facts = await requireAudit(ctx.services.db, ctx.actor, auditId(ctx), episodeId, right)
  return { facts, view: await auditView(ctx.services.db, ctx.actor.laId, facts.id) }
}

/** The audit's page: the checklist as it stood, the judgements side by side with any moderation, the feedback and its acknowledgement. */
function auditPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const { facts, view } = await auditIn(ctx, episode.id, 'read')
    const data = {
      title: 'Quality audit',
      ...episodeHeader(episode),
      ...view,
      checklist: checklistItems(view.audit.checklist),
      stateText: STATE_TEXT,
      mayAcknowledge: auditAllows(ctx.actor, facts, 'acknowledge'),
      mayModerate: auditAllows(ctx.actor, facts, 'moderate'),
      flash: flash(ctx, DONE),
      values,
      action: `/episodes/${episode.id}/audits/${facts.id}/acknowledge`,
      backHref: facts.practitionerUserId === ctx.actor.userId ? '/my-work' : facts.sample_id ? `/qa/samples/${facts.sample_id}` : '/qa',
    }
    return page('quality/views/audit.njk', withErrors(data, errors, ORDER))
  })
}

function moderatePage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const { facts, view } = await auditIn(ctx, episode.id, 'moderate')
    const data = {
      title: 'Moderate this audit',
      ...episodeHeader(episode),
      ...view,
      areas: AREAS,
      grades: gradeChoices(facts.scale),
      values,
      action: ctx.path,
      backHref: `/episodes/${episode.id}/audits/${facts.id}`,
    }
    return page('quality/views/moderate.njk', withErrors(data, errors, ORDER))
  })
}

export const auditRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/samples/:sampleId/audit',
    permission: 'qa.audit',
    record: { episode: 'read' },
    audit: { action: 'qa.audit-form-viewed', recordType: 'episode' },
    body: auditBody,
    render: auditFormPage,
    submit: ({ services, actor, id, params }, { feedback, ...judgements }) =>
      judged(async () => {
        const audit = await recordAudit(services.db, actor, Number(params.sampleId), id, { judgements, feedback }, services.config.baseUrl)
        return redirect(`/episodes/${id}/audits/${audit}?done=audited`)
      }),
  }),
  {
    method: 'GET',
    url: '/episodes/:id/audits/:auditId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: AUDIT_VIEWED,
    handler: (ctx) => auditPage(ctx),
  },
  {
    method: 'POST',
    url: '/episodes/:id/audits/:auditId/acknowledge',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: AUDIT_VIEWED,
    body: acknowledgeBody,
    invalid: (ctx, errors, values) => auditPage(ctx, values, errors),
    handler: async (ctx, input: { reply: string | null }) => {
      await acknowledgeAudit(ctx.services.db, ctx.actor, ctx.id, auditId(ctx), input.reply)
      return redirect(`/episodes/${ctx.id}/audits/${auditId(ctx)}?done=acknowledged`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/audits/:auditId/moderate',
    permission: 'qa.audit',
    record: { episode: 'read' },
    audit: AUDIT_VIEWED,
    body: moderateBody,
    render: moderatePage,
    submit: (ctx, { comment, ...judgements }) =>
      judged(async () => {
        await moderateAudit(ctx.services.db, ctx.actor, ctx.id, auditId(ctx), { judgements, comment })
        return redirect(`/episodes/${ctx.id}/audits/${auditId(ctx)}?done=moderated`)
      }),
  }),
]
