import type { z } from 'zod'
import { choice, dateFields, formSchema, optionalText, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { dateWords, readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { interfaceAllows } from '../../policies/social-care.ts'
import { cafSettings } from '../episodes/config.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { stageAllows } from '../episodes/stages.ts'
import { stepUpBody } from './step-up-form.ts'
import { stepUpView } from './step-up-queries.ts'
import { decideStepUp, requestStepUp, StepUpRefused } from './step-ups.ts'

/** The step up: asked for from an episode, read and decided by social care on its own page. */

const decisionBody = formSchema({
  decision: choice('Decision', ['accepted', 'not-accepted'] as const, 'Select whether social care accepts the step up'),
  ...dateFields('taken', 'The date social care took the family on'),
  notAcceptedReason: optionalText('Why not', { max: 5000, multiline: true }),
  advice: optionalText('Advice', { max: 5000, multiline: true }),
})
const DECISION_FIELDS = ['form', 'decision', 'taken-day', 'notAcceptedReason', 'advice']

async function refusedAsInvalid(work: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof StepUpRefused) return invalid(error.errors)
    throw error
  }
}

function requestForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    if (!stageAllows(episode.status, 'step-up')) return redirect(`/episodes/${episode.id}`)
    const { step_up_decision_days: days } = await cafSettings(ctx.services.db, ctx.actor.laId).select('step_up_decision_days').executeTakeFirstOrThrow()
    const data = { title: 'Step up to children’s social care', ...episodeHeader(episode), stepUpDays: days, values, action: ctx.path }
    return page('social-care/views/step-up-request.njk', withErrors(data, errors, ['reason', 'risks']))
  })
}

async function stepUpPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const stepUp = await stepUpView(ctx.services.db, ctx.actor.laId, ctx.id)
  const data = {
    title: `Step up ${stepUp.id}`,
    stepUp,
    mayDecide: stepUp.status === 'waiting' && interfaceAllows('step-up', ctx.interfaceAccess, 'decide'),
    values,
    action: `/step-ups/${ctx.id}/decision`,
    flash: flash(ctx, {
      requested: 'Step up sent to children’s social care. The episode stays open until social care decides',
      decided: 'Decision recorded. Early help has been told by email',
    }),
  }
  return page('social-care/views/step-up.njk', withErrors(data, errors, DECISION_FIELDS), {
    record: { type: 'episode', id: stepUp.episode_id },
    auditDetail: { stepUp: ctx.id },
  })
}

export const stepUpRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/step-up',
    permission: 'episode.work',
    record: { episode: 'lead' },
    audit: EPISODE_VIEWED,
    body: stepUpBody,
    render: requestForm,
    submit: async (ctx, input) => {
      const id = await requestStepUp(ctx.services.db, ctx.actor, ctx.id, input, ctx.services.config.baseUrl)
      return redirect(`/step-ups/${id}?done=requested`)
    },
  }),
  {
    method: 'GET',
    url: '/step-ups/:id',
    permission: 'episode.view',
    record: { stepUp: 'read' },
    audit: { action: 'step-up.viewed', recordType: 'episode' },
    handler: (ctx) => stepUpPage(ctx),
  },
  {
    method: 'POST',
    url: '/step-ups/:id/decision',
    permission: 'social-care.work',
    record: { stepUp: 'decide' },
    audit: { action: 'step-up.viewed', recordType: 'episode' },
    body: decisionBody,
    invalid: (ctx, errors, values) => stepUpPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof decisionBody>) => {
      const { requestedOn } = await stepUpView(ctx.services.db, ctx.actor.laId, ctx.id)
      let decision
      if (input.decision === 'accepted') {
        const taken = readDate(input, 'taken', 'The date social care took the family on', { notAfter: today() })
        if ('error' in taken) return invalid({ 'taken-day': taken.error })
        if (taken.iso! < requestedOn)
          return invalid({ 'taken-day': `The date social care took the family on must be on or after the day early help asked (${dateWords(requestedOn)})` })
        decision = { accepted: true as const, takenOn: taken.iso! }
      } else {
        if (!input.notAcceptedReason) return invalid({ notAcceptedReason: 'Enter why social care does not accept the step up' })
        decision = { accepted: false as const, reason: input.notAcceptedReason, advice: input.advice }
      }
      return refusedAsInvalid(async () => {
        await decideStepUp(ctx.services.db, ctx.actor, ctx.id, decision, ctx.services.config.baseUrl)
        return redirect(`/step-ups/${ctx.id}?done=decided`)
      })
    },
  },
]
