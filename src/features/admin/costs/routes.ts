import { formSchema, optionalDecimal, optionalText, text, type FieldErrors } from '../../../web/forms.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { PostRoute, RequestContext, Route } from '../../../web/router.ts'
import { AGENCY_TYPES } from '../agencies/agency-types.ts'
import { addScenario, costSettings, DuplicateScenario, removeScenario, setHourlyCosts } from './use-cases.ts'

const rateField = (code: string) => `rate-${code}`
const hourlyBody = formSchema(
  Object.fromEntries(
    AGENCY_TYPES.map((t) => [rateField(t.code), optionalDecimal(`${t.label}: cost of an hour`, { min: 0, max: 10_000, places: 2, example: '42.50' })]),
  ),
)
const scenarioBody = formSchema({
  name: text('Name', { max: 150, requiredMessage: 'Enter what is avoided, like "A year in foster care"' }),
  description: text('What it is', { max: 1000, multiline: true, requiredMessage: 'Enter what the cost is of, and for how long' }),
  cost: optionalDecimal('Cost', { min: 0, max: 100_000_000, places: 2, example: '42,000' }).refine((v) => v !== null, 'Enter the cost, in pounds'),
  source: optionalText('Where the figure comes from', { max: 500 }),
})

async function render(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, form?: 'hourly' | 'scenario'): Promise<Outcome> {
  const settings = await costSettings(ctx.services.db, ctx.actor.laId)
  const hourlyValues =
    form === 'hourly'
      ? values
      : Object.fromEntries(AGENCY_TYPES.map((t) => [rateField(t.code), settings.hourly.has(t.code) ? String(settings.hourly.get(t.code)) : '']))
  return page(
    'admin/costs/views/costs.njk',
    withErrors(
      {
        title: 'Costs for the cost report',
        types: AGENCY_TYPES.map((t) => ({ ...t, field: rateField(t.code) })),
        hourly: hourlyValues,
        scenario: form === 'scenario' ? values : {},
        avoided: settings.avoided,
        flash: typeof ctx.query.saved === 'string' ? 'Saved' : null,
      },
      errors,
      form === 'hourly' ? AGENCY_TYPES.map((t) => rateField(t.code)) : ['name', 'description', 'cost', 'source'],
    ),
  )
}

const hourlyRoute: PostRoute<typeof hourlyBody> = {
  method: 'POST',
  url: '/admin/costs',
  permission: 'admin.organisation',
  body: hourlyBody,
  invalid: (ctx, errors, values) => render(ctx, values, errors, 'hourly'),
  handler: async (ctx, input) => {
    await setHourlyCosts(ctx.services.db, ctx.actor, Object.fromEntries(AGENCY_TYPES.map((t) => [t.code, input[rateField(t.code)] ?? null])))
    return redirect('/admin/costs?saved=hourly')
  },
}

const scenarioRoute: PostRoute<typeof scenarioBody> = {
  method: 'POST',
  url: '/admin/costs/avoided',
  permission: 'admin.organisation',
  body: scenarioBody,
  invalid: (ctx, errors, values) => render(ctx, values, errors, 'scenario'),
  handler: async (ctx, input) => {
    try {
      await addScenario(ctx.services.db, ctx.actor, { name: input.name, description: input.description, cost: input.cost!, source: input.source })
    } catch (error) {
      if (error instanceof DuplicateScenario) return invalid({ name: 'There is already a scenario with this name' })
      throw error
    }
    return redirect('/admin/costs?saved=scenario')
  },
}

export const costRoutes: Route[] = [
  { method: 'GET', url: '/admin/costs', permission: 'admin.organisation', handler: (ctx) => render(ctx, {}) },
  hourlyRoute,
  scenarioRoute,
  {
    method: 'POST',
    url: '/admin/costs/avoided/:id/remove',
    permission: 'admin.organisation',
    body: formSchema({}),
    handler: async (ctx) => {
      await removeScenario(ctx.services.db, ctx.actor, idParam(ctx.params.id))
      return redirect('/admin/costs?saved=removed')
    },
  },
]
