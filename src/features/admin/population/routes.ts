import { formSchema, integer, optionalDecimal, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { page, redirect } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { listPopulation, setPopulation } from './use-cases.ts'

const body = formSchema({
  year: integer('Year', { min: 1990, max: 2100, requiredMessage: 'Enter the year, like 2026' }),
  population: integer('Number of children', { min: 1, max: 5_000_000, requiredMessage: 'Enter the number of children aged 0 to 17' }),
  target: optionalDecimal('Target', { min: 0, max: 10_000, places: 1, example: '58.9' }),
})

async function render(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors) {
  const rows = await listPopulation(ctx.services.db, ctx.actor)
  return page(
    'admin/population/views/population.njk',
    withErrors({ title: 'Child population', values, rows, flash: ctx.query.saved ? 'Child population saved' : null }, errors, ['year', 'population', 'target']),
  )
}

export const populationRoutes: Route[] = formRoutes({
  url: '/admin/population',
  permission: 'admin.organisation',
  body,
  render,
  submit: async (ctx, input) => {
    await setPopulation(ctx.services.db, ctx.actor, input)
    return redirect('/admin/population?saved=1')
  },
})
