import { formSchema, text } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, NotFound, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { Route } from '../../../web/router.ts'
import { breakGlassToReview, reviewBreakGlass } from '../access.ts'
import { CannotMerge, mergePeople } from '../merge.ts'
import { displayName, findPerson } from '../repository.ts'

const mergeBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why these are records of the same person' }) })
const reviewBody = formSchema({
  note: text('Review note', { max: 1000, multiline: true, requiredMessage: 'Enter what you found when you checked this access' }),
})

export const mergeRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/merge/:otherId',
    permission: 'person.merge',
    audit: { action: 'person.viewed', recordType: 'person' },
    body: mergeBody,
    render: async (ctx, values, errors) => {
      const [survivor, other] = await Promise.all([
        findPerson(ctx.services.db, ctx.actor.laId, idParam(ctx.params.id)),
        findPerson(ctx.services.db, ctx.actor.laId, idParam(ctx.params.otherId)),
      ])
      if (!survivor || !other) throw new NotFound()
      return page(
        'people/views/merge.njk',
        withErrors(
          {
            title: 'Merge two records of the same person',
            values,
            survivor: survivor.row,
            other: other.row,
            survivorName: displayName(survivor.row),
            otherName: displayName(other.row),
          },
          errors,
          ['reason'],
        ),
        // Both records are shown: the audit entry names the one kept and, in its detail, the other.
        { record: { type: 'person', id: survivor.id }, auditDetail: { otherId: other.id } },
      )
    },
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      try {
        await mergePeople(ctx.services.db, ctx.actor, id, idParam(ctx.params.otherId), input.reason)
      } catch (error) {
        if (error instanceof CannotMerge) return invalid({ reason: error.message })
        throw error
      }
      return redirect(`/people/${id}?done=merged`)
    },
  }),
  {
    method: 'GET',
    url: '/break-glass',
    permission: 'break-glass.review',
    audit: { action: 'break-glass.list-viewed', recordType: 'break-glass-list' },
    handler: async (ctx) =>
      page('people/views/break-glass-review.njk', {
        title: 'Access to records by breaking the glass',
        columns: 'full',
        items: await breakGlassToReview(ctx.services.db, ctx.actor),
        flash: ctx.query.done ? 'Review recorded' : null,
      }),
  },
  {
    method: 'POST',
    url: '/break-glass/:id/review',
    permission: 'break-glass.review',
    body: reviewBody,
    invalid: async (ctx, errors, values) =>
      page(
        'people/views/break-glass-review.njk',
        withErrors(
          {
            title: 'Access to records by breaking the glass',
            columns: 'full',
            items: await breakGlassToReview(ctx.services.db, ctx.actor),
            values,
            failedId: ctx.params.id,
          },
          errors,
          ['note'],
        ),
      ),
    handler: async (ctx, input: { note: string }) => {
      if (!(await reviewBreakGlass(ctx.services.db, ctx.actor, idParam(ctx.params.id), input.note))) throw new NotFound()
      return redirect('/break-glass?done=1')
    },
  },
]
