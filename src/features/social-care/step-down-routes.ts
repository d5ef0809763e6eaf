import type { z } from 'zod'
import { choice, dateFields, formSchema, integer, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { addDays, readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { interfaceAllows } from '../../policies/social-care.ts'
import { GIVER_ROLES, METHODS } from '../episodes/consent.ts'
import { flash } from '../episodes/routes/shared.ts'
import { childSeenBy } from './child-seen.ts'
import { possibleGivers } from '../signposting/requests.ts'
import { stepDownView } from './step-down-queries.ts'
import { DECISION_POINTS, endInvolvement, HANDOVER_DAYS, leadAgencies, startStepDown, StepDownRefused } from './step-downs.ts'

/** The step-down form (social care, from a child found in a search) and a step down's page. */

const startBody = formSchema({
  decisionPoint: choice('Decision point', ['after-contact', 'after-assessment', 'cin-closure'] as const, 'Select when social care decided to step down'),
  ...dateFields('ends', 'The date social care’s involvement ends'),
  known: text('What social care knows', { max: 20_000, multiline: true, requiredMessage: 'Enter what social care knows about the family' }),
  proposedAgencyId: integer('Proposed lead agency', { min: 1, max: 1_000_000_000, requiredMessage: 'Select the agency proposed to lead' }),
  needLevel: text('Level of need', { max: 20, requiredMessage: 'Select the level of need' }),
  giverId: integer('Who gave consent', { min: 1, max: 1_000_000_000_000, requiredMessage: 'Select who gave consent' }),
  giverRole: choice('Who they are', ['parent-with-pr', 'young-person'] as const, 'Select who gave consent: a parent or carer, or the young person'),
  method: choice('How they gave it', ['written', 'verbal'] as const, 'Select how consent was given'),
  ...dateFields('given', 'The date they gave consent'),
})
const START_FIELDS = ['form', 'decisionPoint', 'ends-day', 'known', 'proposedAgencyId', 'needLevel', 'giverId', 'giverRole', 'method', 'given-day']
const endBody = formSchema(dateFields('ended', 'The date social care’s involvement ended'))

async function startForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const seen = await childSeenBy(ctx)
  // The household is part of the child's full record: without it, only the young person can be named.
  const [agencies, levels, givers] = await Promise.all([
    leadAgencies(db, ctx.actor.laId),
    db.selectFrom('need_levels').select(['code', 'label']).where('la_id', '=', ctx.actor.laId).where('hidden', '=', false).orderBy('sort_order').execute(),
    seen?.fullView ? possibleGivers(db, ctx.actor, ctx.id, seen.child.name) : [{ id: ctx.id, name: `${seen?.child.name ?? 'The child'} (the young person)` }],
  ])
  const data = {
    title: 'Step down to early help',
    child: seen?.child ?? null,
    points: DECISION_POINTS,
    agencies,
    levels,
    givers,
    giverRoles: GIVER_ROLES,
    methods: METHODS,
    handoverWeeks: HANDOVER_DAYS / 7,
    values,
    action: ctx.path,
  }
  return page(
    'social-care/views/step-down-form.njk',
    withErrors(data, errors, START_FIELDS),
    seen ? { record: { type: 'person', id: ctx.id } } : { showsNoOne: true },
  )
}

async function stepDownPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const stepDown = await stepDownView(ctx.services.db, ctx.actor.laId, ctx.id)
  const data = {
    title: `Step down ${stepDown.id}`,
    stepDown,
    handoverWeeks: HANDOVER_DAYS / 7,
    mayEnd: !stepDown.ended_on && interfaceAllows('step-down', ctx.interfaceAccess, 'work'),
    values,
    action: `/step-downs/${ctx.id}/ended`,
    flash: flash(ctx, {
      started: 'Step down sent to early help. The hub will allocate a lead professional, who must accept',
      ended: 'Recorded: social care’s involvement has ended',
    }),
  }
  return page('social-care/views/step-down.njk', withErrors(data, errors, ['form', 'ended-day']), {
    record: { type: 'episode', id: stepDown.episode_id },
    auditDetail: { stepDown: ctx.id },
  })
}

function refusedAsInvalid(error: unknown) {
  if (error instanceof StepDownRefused) return invalid(error.errors)
  throw error
}

export const stepDownRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/step-down',
    permission: 'social-care.work',
    record: { person: 'start' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: startBody,
    render: startForm,
    submit: async (ctx, input) => {
      const ends = readDate(input, 'ends', 'The date social care’s involvement ends')
      if ('error' in ends) return invalid({ 'ends-day': ends.error })
      const given = readDate(input, 'given', 'The date they gave consent', { notAfter: today() })
      if ('error' in given) return invalid({ 'given-day': given.error })
      if (given.iso! < addDays(today(), -366)) return invalid({ 'given-day': 'The date they gave consent must be within the last year' })
      try {
        const id = await startStepDown(ctx.services.db, ctx.actor, ctx.id, { ...input, endsOn: ends.iso!, givenOn: given.iso! })
        return redirect(`/step-downs/${id}?done=started`)
      } catch (error) {
        return refusedAsInvalid(error)
      }
    },
  }),
  {
    method: 'GET',
    url: '/step-downs/:id',
    permission: 'episode.view',
    record: { stepDown: 'read' },
    audit: { action: 'step-down.viewed', recordType: 'episode' },
    handler: (ctx) => stepDownPage(ctx),
  },
  {
    method: 'POST',
    url: '/step-downs/:id/ended',
    permission: 'social-care.work',
    record: { stepDown: 'work' },
    audit: { action: 'step-down.viewed', recordType: 'episode' },
    body: endBody,
    invalid: (ctx, errors, values) => stepDownPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof endBody>) => {
      const ended = readDate(input, 'ended', 'The date social care’s involvement ended', { notAfter: today() })
      if ('error' in ended) return invalid({ 'ended-day': ended.error })
      try {
        await endInvolvement(ctx.services.db, ctx.actor, ctx.id, ended.iso!)
      } catch (error) {
        return refusedAsInvalid(error)
      }
      return redirect(`/step-downs/${ctx.id}?done=ended`)
    },
  },
]
