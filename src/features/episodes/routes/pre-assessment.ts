import { z } from 'zod'
import { stageAllows } from '../stages.ts'
import { choice, formSchema, optionalText, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect, WrongStage, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { cafConfig, levelLabel } from '../config.ts'
import { beginPreAssessment, decide, preAssessmentOf, saveChecklist } from '../pre-assessment.ts'
import { ANSWERS, NEXT_STEPS, QUESTIONS, questionsFor, recommend, type Answer, type QuestionKey } from '../pre-assessment-rules.ts'
import type { Episode } from '../repository.ts'
import { EPISODE_VIEWED, episodeHeader, withEpisode } from './shared.ts'

const ANSWER_VALUES = ANSWERS.map((a) => a.value)

const checklistShape: Record<string, z.ZodType> = {
  concern: text('The concern', { max: 20_000, multiline: true, requiredMessage: 'Describe the concern in your own words' }),
  agencies: optionalText('Agencies already involved', { max: 2000, multiline: true }),
}
for (const q of QUESTIONS) {
  checklistShape[q.key] = choice(q.short, ANSWER_VALUES, `${q.short}: select yes, no or not sure`)
  checklistShape[`${q.key}-note`] = optionalText(`The note about ${q.short.toLowerCase()}`, { max: 2000, multiline: true })
}
const checklistBody = formSchema(checklistShape)
const CHECKLIST_ORDER = [...QUESTIONS.flatMap((q) => [q.key, `${q.key}-note`]), 'concern', 'agencies']

const decisionBody = formSchema({
  level: z.string({ error: 'Select the level of need' }).max(50),
  nextStep: choice(
    'Next step',
    NEXT_STEPS.map((s) => s.value),
    'Select what happens next',
  ),
  reason: text('Why', { max: 5000, multiline: true, requiredMessage: 'Enter why you made this decision' }),
})

function checklistPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    if (!stageAllows(episode.status, 'pre-assessment')) return redirect(`/episodes/${episode.id}`)
    return page(
      'episodes/views/checklist.njk',
      withErrors(
        {
          title: 'Pre-assessment checklist',
          ...episodeHeader(episode),
          questions: questionsFor(episode.children.length),
          answers: ANSWERS,
          values,
          action: ctx.path,
        },
        errors,
        CHECKLIST_ORDER,
      ),
    )
  })
}

async function decisionPage(ctx: RequestContext, episode: Episode, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const [pre, config] = await Promise.all([preAssessmentOf(db, ctx.actor.laId, episode.id), cafConfig(db, ctx.actor.laId)])
  if (!pre) return redirect(`/episodes/${episode.id}/pre-assessment`)
  const answers = Object.fromEntries(QUESTIONS.map((q) => [q.key, pre.answers[q.key]?.answer])) as Record<QuestionKey, Answer>
  const advice = recommend(answers, config.levels)
  const decided = pre.decided_at !== null
  return page(
    'episodes/views/decision.njk',
    withErrors(
      {
        title: decided ? 'Pre-assessment decision' : 'What the checklist recommends',
        ...episodeHeader(episode),
        pre,
        questions: questionsFor(episode.children.length).map((q) => ({
          ...q,
          answer: ANSWERS.find((a) => a.value === pre.answers[q.key]?.answer)?.text,
          note: pre.answers[q.key]?.note,
        })),
        advice,
        levels: config.levels,
        steps: NEXT_STEPS,
        safeguardingContact: config.safeguardingContact,
        decided,
        decidedLevel: decided ? await levelLabel(db, ctx.actor.laId, pre.decided_level) : null,
        decidedStep: NEXT_STEPS.find((s) => s.value === pre.next_step)?.text ?? null,
        values: { level: advice.level.code, nextStep: advice.step, ...values },
        action: ctx.path,
      },
      errors,
      ['level', 'nextStep', 'reason'],
    ),
  )
}

export const preAssessmentRoutes: Route[] = [
  {
    method: 'POST',
    url: '/episodes/:id/pre-assessment/begin',
    permission: 'episode.work',
    record: { episode: 'work' },
    body: formSchema({}),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      await beginPreAssessment(ctx.services.db, ctx.actor, id)
      return redirect(`/episodes/${id}/pre-assessment`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/pre-assessment',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: checklistBody,
    render: checklistPage,
    initial: async (ctx) => {
      const pre = await preAssessmentOf(ctx.services.db, ctx.actor.laId, idParam(ctx.params.id))
      if (!pre) return {}
      const values: Record<string, unknown> = { concern: pre.concern, agencies: pre.agencies_involved ?? '' }
      for (const q of QUESTIONS) Object.assign(values, { [q.key]: pre.answers[q.key]?.answer, [`${q.key}-note`]: pre.answers[q.key]?.note ?? '' })
      return values
    },
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const answers = Object.fromEntries(
        QUESTIONS.map((q) => [q.key, { answer: input[q.key] as Answer, note: (input[`${q.key}-note`] as string | null) ?? null }]),
      )
      await saveChecklist(ctx.services.db, ctx.actor, id, {
        answers: answers as Record<QuestionKey, { answer: Answer; note: string | null }>,
        concern: input.concern as string,
        agenciesInvolved: (input.agencies as string | null) ?? null,
      })
      return redirect(`/episodes/${id}/pre-assessment/decision`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/pre-assessment/decision',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    body: decisionBody,
    render: (ctx, values, errors) => withEpisode(ctx, (episode) => decisionPage(ctx, episode, values, errors)),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const config = await cafConfig(ctx.services.db, ctx.actor.laId)
      if (!config.levels.some((l) => l.code === input.level)) return invalid({ level: 'Select the level of need from the options shown' })
      try {
        await decide(ctx.services.db, ctx.actor, id, { level: input.level, nextStep: input.nextStep, reason: input.reason })
      } catch (error) {
        if (error instanceof WrongStage) return invalid({ form: 'The checklist must be saved before you decide, and a decision can only be made once' })
        throw error
      }
      return redirect(input.nextStep === 'assessment' ? `/episodes/${id}/assessment` : `/episodes/${id}/pre-assessment/decision?done=decided`)
    },
  }),
]
