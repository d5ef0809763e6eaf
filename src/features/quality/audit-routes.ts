import type { QaScaleKey } from '../../db/schema.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { choice, formSchema, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { AuditDeclaration, RequestContext, Route } from '../../web/router.ts'
import { auditAllows, type AuditRight } from '../../policies/quality.ts'
import { episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { acknowledgeAudit, councilScale, moderateAudit, recordAudit, requireAudit, type Judgements } from './audits.ts'
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

/** The judgements, each checked against the scale the audit is on (a grade of another scale is refused). */
function readJudgements(input: Record<string, unknown>, scale: QaScaleKey): { judgements: Judgements } | { errors: FieldErrors } {
  const allowed = QA_SCALES[scale].grades.map((g) => g.value)
  const errors: FieldErrors = {}
  for (const area of AREAS) if (!allowed.includes(String(input[area.key]))) errors[area.key] = `${area.text}: select one of the grades shown`
  if (Object.keys(errors).length) return { errors }
  return { judgements: Object.fromEntries(AREA_KEYS.map((k) => [k, String(input[k])])) as Judgements }
}

const gradeChoices = (scale: QaScaleKey) => QA_SCALES[scale].grades.map((g) => ({ value: g.value, text: g.text }))
const ORDER = [...AREA_KEYS, 'feedback', 'comment', 'reply']

/** The audit in the address, of the episode in the address, if the actor has the right to it. */
async function auditIn(ctx: RequestContext, episodeId: number, right: AuditRight) {
  const facts = await requireAudit(ctx.services.db, ctx.actor, Number(ctx.params.auditId), right, episodeId)
  return { facts, view: await auditView(ctx.services.db, ctx.actor.laId, facts.id) }
}

function auditFormPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const sampleId = Number(ctx.params.sampleId)
    const entry = await sampleEntry(ctx.services.db, ctx.actor.laId, sampleId, episode.id)
    if (entry.auditId) return redirect(`/episodes/${episode.id}/audits/${entry.auditId}`)
    const [checklist, scale] = await Promise.all([checklistOf(ctx.services.db, ctx.actor.laId, episode.id), councilScale(ctx.services.db, ctx.actor.laId)])
    const data = {
      title: 'Audit the quality of this CAF',
      ...episodeHeader(episode),
      checklist: checklistItems(checklist),
      stateText: STATE_TEXT,
      areas: AREAS,
      grades: gradeChoices(scale),
      values,
      action: ctx.path,
      backHref: `/qa/samples/${sampleId}`,
    }
    return page('quality/views/audit-form.njk', withErrors(data, errors, ORDER))
  })
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
      action: `${ctx.path.replace(/\/acknowledge$/, '')}/acknowledge`,
      backHref: facts.practitionerUserId === ctx.actor.userId ? '/my-work' : view.audit.sample_id ? `/qa/samples/${view.audit.sample_id}` : '/qa',
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
    submit: async (ctx, input) => {
      const read = readJudgements(input, await councilScale(ctx.services.db, ctx.actor.laId))
      if ('errors' in read) return invalid(read.errors)
      const auditId = await recordAudit(
        ctx.services.db,
        ctx.actor,
        Number(ctx.params.sampleId),
        ctx.id,
        { judgements: read.judgements, feedback: input.feedback },
        ctx.services.config.baseUrl,
      )
      return redirect(`/episodes/${ctx.id}/audits/${auditId}?done=audited`)
    },
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
      await acknowledgeAudit(ctx.services.db, ctx.actor, Number(ctx.params.auditId), input.reply)
      return redirect(`/episodes/${ctx.id}/audits/${ctx.params.auditId}?done=acknowledged`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/audits/:auditId/moderate',
    permission: 'qa.audit',
    record: { episode: 'read' },
    audit: AUDIT_VIEWED,
    body: moderateBody,
    render: moderatePage,
    submit: async (ctx, input) => {
      const { scale } = await requireAudit(ctx.services.db, ctx.actor, Number(ctx.params.auditId), 'moderate', ctx.id)
      const read = readJudgements(input, scale)
      if ('errors' in read) return invalid(read.errors)
      await moderateAudit(ctx.services.db, ctx.actor, Number(ctx.params.auditId), { judgements: read.judgements, comment: input.comment })
      return redirect(`/episodes/${ctx.id}/audits/${ctx.params.auditId}?done=moderated`)
    },
  }),
]
