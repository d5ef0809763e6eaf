import type { FieldErrors } from '../../web/forms.ts'
import { formSchema, text } from '../../web/forms.ts'
import { NotFound, page, redirect } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { accessToReview, reviewAccess } from './use-cases.ts'

const reviewBody = formSchema({
  note: text('Review note', { max: 1000, multiline: true, requiredMessage: 'Enter what you found when you checked this access' }),
})

async function reviewPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors) {
  return page(
    'break-glass/views/review.njk',
    withErrors(
      {
        title: 'Access to review',
        columns: 'full',
        items: await accessToReview(ctx.services.db, ctx.actor),
        flash: ctx.query.done ? 'Review recorded' : null,
        values,
        failedId: errors ? ctx.params.id : null,
      },
      errors,
      ['note'],
    ),
  )
}

/** The hub's review of access without an ordinary right: breaking the glass, and CAFs started for a child whose record the practitioner could not see. */
export const breakGlassRoutes: Route[] = [
  {
    method: 'GET',
    url: '/break-glass',
    permission: 'break-glass.review',
    audit: { action: 'break-glass.list-viewed', recordType: 'break-glass-list' },
    handler: (ctx) => reviewPage(ctx),
  },
  {
    method: 'POST',
    url: '/break-glass/:id/review',
    permission: 'break-glass.review',
    body: reviewBody,
    invalid: (ctx, errors, values) => reviewPage(ctx, values, errors),
    handler: async (ctx, input: { note: string }) => {
      if (!(await reviewAccess(ctx.services.db, ctx.actor, ctx.id, input.note))) throw new NotFound()
      return redirect('/break-glass?done=1')
    },
  },
]
