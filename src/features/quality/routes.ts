import type { EpisodeStatus, QaStratify } from '../../db/schema.ts'
import { addMonths, dateParts, dateWords, readDate, today } from '../../web/dates.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { checkboxes, choice, dateFields, formSchema, integer, optionalText, type FieldErrors } from '../../web/forms.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { STAGE_LABELS } from '../episodes/stages.ts'
import { auditsDownload } from './csv.ts'
import { qaSummary, recentAudits, sampleView, samplesOf, sixMonthsAgo } from './queries.ts'
import { drawSample, SAMPLE_MAX, SAMPLE_STAGES, SEED_PATTERN, STRATIFY, type SampleRules } from './sample.ts'
import { auditRoutes } from './audit-routes.ts'

/** The hub's quality assurance: the QA page, its download, and drawing samples to audit. */

const STRATIFY_KEYS = Object.keys(STRATIFY) as QaStratify[]
const SAMPLE_ORDER = ['from-day', 'to-day', 'size', 'stages', 'stratifyBy', 'seed']

const sampleBody = formSchema({
  ...dateFields('from', 'Start of the period'),
  ...dateFields('to', 'End of the period'),
  size: integer('How many episodes', { min: 1, max: SAMPLE_MAX }),
  stages: checkboxes('Stages', SAMPLE_STAGES, { min: 1, message: 'Select at least one stage' }),
  stratifyBy: choice('Whether to stratify', STRATIFY_KEYS, 'Select whether to share the sample among localities or agencies'),
  seed: optionalText('Seed', { max: 40 }),
})

async function samplePage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const data = {
    title: 'Draw a sample to audit',
    values,
    action: ctx.path,
    stages: SAMPLE_STAGES.map((value) => ({ value, text: STAGE_LABELS[value] })),
    stratify: STRATIFY_KEYS.map((value) => ({ value, text: STRATIFY[value] })),
    max: SAMPLE_MAX,
  }
  return page('quality/views/sample-new.njk', withErrors(data, errors, SAMPLE_ORDER))
}

/** The period's two dates: each a real date, not in the future, in order. */
function readPeriod(input: Record<string, unknown>): { from: string; to: string } | { errors: FieldErrors } {
  const from = readDate(input, 'from', 'Start of the period', { notAfter: today() })
  const to = readDate(input, 'to', 'End of the period', { notAfter: today() })
  const errors: FieldErrors = {}
  if ('error' in from) errors['from-day'] = from.error
  else if (from.iso! < '2000-01-01') errors['from-day'] = 'Start of the period must be in 2000 or later'
  if ('error' in to) errors['to-day'] = to.error
  else if ('iso' in from && from.iso! > to.iso!) errors['to-day'] = 'End of the period must be the same as or after its start'
  if ('error' in from || 'error' in to || Object.keys(errors).length) return { errors }
  return { from: from.iso!, to: to.iso! }
}

export const qualityRoutes: Route[] = [
  {
    method: 'GET',
    url: '/qa',
    permission: 'qa.audit',
    audit: { action: 'qa.page-viewed', recordType: 'qa-audit-list' },
    handler: async (ctx) => {
      const [samples, audits] = await Promise.all([samplesOf(ctx.services.db, ctx.actor.laId), recentAudits(ctx.services.db, ctx.actor.laId)])
      return page(
        'quality/views/qa.njk',
        { title: 'Quality assurance', samples, audits, since: sixMonthsAgo(), ...qaSummary(audits), columns: 'full' },
        { auditDetail: { shown: audits.map((a) => a.episodeId) } },
      )
    },
  },
  {
    method: 'GET',
    url: '/qa/audits.csv',
    permission: 'qa.audit',
    audit: { action: 'qa.downloaded', recordType: 'qa-audit-list' },
    handler: (ctx) => auditsDownload(ctx.services.db, ctx.actor.laId),
  },
  ...formRoutes({
    url: '/qa/samples/new',
    permission: 'qa.audit',
    body: sampleBody,
    render: samplePage,
    initial: async () => ({
      ...dateParts(addMonths(today(), -3), 'from'),
      ...dateParts(today(), 'to'),
      size: '10',
      stages: ['assessment-complete', 'plan-active', 'closed'] satisfies EpisodeStatus[],
      stratifyBy: 'none',
    }),
    submit: async (ctx, input) => {
      const period = readPeriod(input)
      const seed = input.seed?.toLowerCase() ?? null
      const errors: FieldErrors = 'errors' in period ? period.errors : {}
      if (seed !== null && !SEED_PATTERN.test(seed)) errors.seed = 'Seed must be letters, numbers and hyphens only, like 3fa9c1d2'
      if ('errors' in period || errors.seed) return invalid(errors)
      const rules: SampleRules = { ...period, size: input.size, stages: input.stages, stratifyBy: input.stratifyBy }
      const id = await drawSample(ctx.services.db, ctx.actor, rules, seed ?? undefined)
      return redirect(`/qa/samples/${id}`)
    },
  }),
  {
    method: 'GET',
    url: '/qa/samples/:id',
    permission: 'qa.audit',
    audit: { action: 'qa.sample-viewed', recordType: 'qa-sample' },
    handler: async (ctx) => {
      const view = await sampleView(ctx.services.db, ctx.actor.laId, ctx.id)
      const stages = view.sample.stages.map((s) => STAGE_LABELS[s]).join(', ')
      return page(
        'quality/views/sample.njk',
        { title: `Sample drawn on ${dateWords(view.sample.drawn_at)}`, ...view, stages, stratify: STRATIFY[view.sample.stratify_by], columns: 'full' },
        { auditDetail: { shown: view.episodes.map((e) => e.episodeId) } },
      )
    },
  },
  ...auditRoutes,
]
