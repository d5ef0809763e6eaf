import { z } from 'zod'
import type { ResourceUnit } from '../../db/schema.ts'
import { dateFields, formSchema, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { addDays, readDate, today } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { episodeAllows } from '../../policies/episode.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { OWNER, ownerOf } from '../plans/routes.ts'
import { planOf, possibleOwners } from '../plans/use-cases.ts'
import { askForPanel, CASES_CLOSED, chairReads, decideCase, UNITS, type PanelAction, type Resource } from './cases.ts'
import { meetingView, panelCasesOf } from './queries.ts'
import { PanelRefused } from './meetings.ts'

/** A lead professional asking for panel from the episode (and seeing its decisions there); the chair recording a decision. */

/** How many resources and actions one decision form takes: a case needing more comes back to a later panel. */
const ROWS = [1, 2, 3] as const
const optionalId = (label: string) =>
  optionalText(label, { max: 12 })
    .refine((v) => v === null || /^\d{1,12}$/.test(v), `${label}: select from the list`)
    .transform((v) => (v === null ? null : Number(v)))

const rowFields = Object.fromEntries(
  ROWS.flatMap((n) => [
    [`resource-${n}-agency`, optionalId('Agency')],
    [`resource-${n}-service`, optionalId('Service')],
    [
      `resource-${n}-amount`,
      optionalText('Amount', { max: 12 }).refine((v) => v === null || /^\d{1,9}(\.\d{1,2})?$/.test(v), 'Enter the amount as a number, like 12 or 250.50'),
    ],
    [`resource-${n}-unit`, optionalText('Unit', { max: 10 }).refine((v) => v === null || UNITS.some((u) => u.value === v), 'Select hours, places or money')],
    [`action-${n}-description`, optionalText('The action', { max: 2000, multiline: true })],
    [`action-${n}-outcome`, optionalId('Outcome')],
    [`action-${n}-owner`, optionalText('Who will do it', { max: 30 }).refine((v) => v === null || OWNER.test(v), 'Select who will do it from the list')],
    ...Object.entries(dateFields(`action-${n}-due`, 'Due date')),
  ]),
) as Record<string, z.ZodType<string | number | null | undefined>>
const decisionBody = formSchema({
  advice: text('The panel’s advice', { max: 5000, multiline: true, requiredMessage: 'Enter the panel’s advice' }),
  ...dateFields('review', 'Review date'),
  ...rowFields,
})
const askBody = formSchema({
  stuck: text('What is stuck', { max: 3000, multiline: true, requiredMessage: 'Enter what is stuck' }),
  tried: text('What has been tried', { max: 3000, multiline: true, requiredMessage: 'Enter what has been tried' }),
  asked: text('What you are asking for', { max: 3000, multiline: true, requiredMessage: 'Enter what you are asking the panel for' }),
})

/** Runs a panel use case, answering its refusals as form errors. */
export async function panelAnswered(work: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof PanelRefused) return invalid(error.errors)
    throw error
  }
}

/** The resource and action rows filled in, each checked whole; errors by field. */
function readRows(input: Record<string, unknown>, errors: FieldErrors): { resources: Resource[]; actions: PanelAction[] } {
  const resources: Resource[] = []
  const actions: PanelAction[] = []
  for (const n of ROWS) {
    const r = (k: string) => input[`resource-${n}-${k}`] as string | number | null
    if (r('agency') !== null || r('service') !== null || r('amount') !== null || r('unit') !== null) {
      if (r('agency') === null) errors[`resource-${n}-agency`] = `Resource ${n}: select the agency committing it`
      else if (r('amount') === null) errors[`resource-${n}-amount`] = `Resource ${n}: enter the amount`
      else if (Number(r('amount')) <= 0) errors[`resource-${n}-amount`] = `Resource ${n}: the amount must be more than 0`
      else if (r('unit') === null) errors[`resource-${n}-unit`] = `Resource ${n}: select hours, places or money`
      else
        resources.push({
          agencyId: r('agency') as number,
          serviceId: r('service') as number | null,
          amount: Number(r('amount')),
          unit: r('unit') as ResourceUnit,
        })
    }
    const a = (k: string) => input[`action-${n}-${k}`] as string | number | null
    const due = readDate(input, `action-${n}-due`, `Action ${n}: due date`, { notBefore: today(), optional: true })
    if (a('description') !== null || a('outcome') !== null || a('owner') !== null || ('iso' in due && due.iso)) {
      if (a('description') === null) errors[`action-${n}-description`] = `Action ${n}: describe what will be done`
      else if (a('outcome') === null) errors[`action-${n}-outcome`] = `Action ${n}: select the outcome it works towards`
      else if (a('owner') === null) errors[`action-${n}-owner`] = `Action ${n}: select who will do it`
      else if ('error' in due) errors[`action-${n}-due-day`] = due.error
      else if (!due.iso) errors[`action-${n}-due-day`] = `Action ${n}: enter the due date`
      else actions.push({ description: a('description') as string, outcomeId: a('outcome') as number, owner: ownerOf(a('owner') as string), dueOn: due.iso })
    }
  }
  return { resources, actions }
}

const FIELD_ORDER = [
  'advice',
  'review-day',
  ...ROWS.flatMap((n) => ['agency', 'service', 'amount', 'unit'].map((k) => `resource-${n}-${k}`)),
  ...ROWS.flatMap((n) => ['description', 'outcome', 'owner', 'due-day'].map((k) => `action-${n}-${k}`)),
]

async function decisionPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const { meeting, agenda } = await meetingView(db, ctx.actor.laId, ctx.id)
  const item = agenda.find((c) => String(c.id) === ctx.params.requestId)
  if (!item) throw new NotFound()
  if (!(await chairReads(db, ctx.actor, item.episodeId)))
    return page('panel/views/decision.njk', { title: 'Record the panel’s decision', meeting, closed: CASES_CLOSED }, { showsNoOne: true })
  const [outcomes, owners, agencies, services] = await Promise.all([
    planOf(db, ctx.actor.laId, item.episodeId),
    possibleOwners(db, item.episodeId),
    db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
    db.selectFrom('services').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
  ])
  const data = { title: 'Record the panel’s decision', meeting, item, outcomes, owners, agencies, services, units: UNITS, rows: ROWS, values, action: ctx.path }
  return page('panel/views/decision.njk', withErrors(data, errors, FIELD_ORDER), { auditDetail: { shown: [item.episodeId] } })
}

function episodePanelPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const cases = await panelCasesOf(ctx.services.db, episode.id)
    const data = {
      title: 'Multi-agency panel',
      ...episodeHeader(episode),
      cases,
      mayAsk: episodeAllows(access, 'lead') && episode.status !== 'closed' && !cases.some((c) => !c.decidedAt),
      values,
      action: ctx.path,
      flash: flash(ctx, { asked: 'Sent to the CAF hub, who will put the case on a panel’s agenda' }),
    }
    return page('panel/views/episode.njk', withErrors(data, errors, ['form', 'stuck', 'tried', 'asked']))
  })
}

export const decisionRoutes: Route[] = [
  ...formRoutes({
    url: '/panel/:id/cases/:requestId',
    permission: 'panel.view',
    record: { panel: 'chair' },
    audit: { action: 'panel.viewed', recordType: 'panel' },
    body: decisionBody,
    render: decisionPage,
    submit: (ctx, input) => {
      const errors: FieldErrors = {}
      const review = readDate(input, 'review', 'Review date', { notBefore: today() })
      if ('error' in review) errors['review-day'] = review.error
      else if (review.iso! > addDays(today(), 366)) errors['review-day'] = 'Review date must be within the next year'
      const rows = readRows(input, errors)
      if (Object.keys(errors).length) return Promise.resolve(invalid(errors))
      return panelAnswered(async () => {
        const decision = { advice: input.advice, reviewOn: (review as { iso: string }).iso, ...rows }
        await decideCase(ctx.services.db, ctx.actor, ctx.id, Number(ctx.params.requestId), decision, ctx.services.config.baseUrl)
        return redirect(`/panel/${ctx.id}?done=decided`)
      })
    },
  }),
  {
    method: 'GET',
    url: '/episodes/:id/panel',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => episodePanelPage(ctx, {}),
  },
  {
    method: 'POST',
    url: '/episodes/:id/panel',
    permission: 'episode.work',
    record: { episode: 'lead' },
    audit: EPISODE_VIEWED,
    body: askBody,
    invalid: (ctx, errors, values) => episodePanelPage(ctx, values, errors),
    handler: (ctx, input: z.infer<typeof askBody>) =>
      panelAnswered(async () => {
        await askForPanel(ctx.services.db, ctx.actor, ctx.id, input)
        return redirect(`/episodes/${ctx.id}/panel?done=asked`)
      }),
  },
]
