import { formSchema, text } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, NotFound, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { Route } from '../../../web/router.ts'
import { CannotMerge, mergePeople } from '../merge.ts'
import { displayName, findPerson } from '../repository.ts'

const mergeBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why these are records of the same person' }) })

export const mergeRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/merge/:otherId',
    permission: 'person.merge',
    record: { person: 'edit' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: mergeBody,
    render: async (ctx, values, errors) => {
      const [survivor, other] = await Promise.all([
        findPerson(ctx.services.db, ctx.actor.laId, ctx.id),
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
      const id = ctx.id
      try {
        await mergePeople(ctx.services.db, ctx.actor, id, idParam(ctx.params.otherId), input.reason)
      } catch (error) {
        if (error instanceof CannotMerge) return invalid({ reason: error.message })
        throw error
      }
      return redirect(`/people/${id}?done=merged`)
    },
  }),
]
