import { dateFields, formSchema, integer, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { dateParts, readDate, today } from '../../../web/dates.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { recordTraining, removeTraining, trainees, trainingRecords } from './use-cases.ts'

const body = formSchema({
  userId: integer('Who', { min: 1, max: 999_999_999, requiredMessage: 'Select who did the training' }),
  course: text('Course', { max: 200, requiredMessage: 'Enter the course, like "CAF: assessment and lead professional (one day)"' }),
  ...dateFields('trained', 'Date of the training'),
})

async function render(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors) {
  const [records, users] = await Promise.all([trainingRecords(ctx.services.db, ctx.actor.laId), trainees(ctx.services.db, ctx.actor.laId)])
  return page(
    'admin/training/views/training.njk',
    withErrors(
      { title: 'CAF training', values, records, users, flash: ctx.query.saved ? 'Training recorded' : ctx.query.removed ? 'Training record removed' : null },
      errors,
      ['userId', 'course', 'trained-day'],
    ),
  )
}

export const trainingRoutes: Route[] = [
  ...formRoutes({
    url: '/admin/training',
    permission: 'admin.organisation',
    body,
    render,
    initial: async () => dateParts(today(), 'trained'),
    submit: async (ctx, input) => {
      const on = readDate(input, 'trained', 'Date of the training', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in on) return invalid({ 'trained-day': on.error })
      const users = await trainees(ctx.services.db, ctx.actor.laId)
      if (!users.some((u) => u.id === input.userId)) return invalid({ userId: 'Select who did the training from the list' })
      await recordTraining(ctx.services.db, ctx.actor, { userId: input.userId, course: input.course, trainedOn: on.iso! })
      return redirect('/admin/training?saved=1')
    },
  }),
  {
    method: 'POST',
    url: '/admin/training/:id/remove',
    permission: 'admin.organisation',
    body: formSchema({}),
    handler: async (ctx) => {
      await removeTraining(ctx.services.db, ctx.actor, idParam(ctx.params.id))
      return redirect('/admin/training?removed=1')
    },
  },
]
