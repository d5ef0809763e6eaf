import { formSchema, integer, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import { createLocality, DuplicateName, getLocality, listLocalities, renameLocality } from './use-cases.ts'

const nameField = { name: text('Name of the locality', { max: 100 }) }
const newBody = formSchema(nameField)
const editBody = formSchema({ ...nameField, version: integer('Version', { min: 1, max: 1_000_000_000 }) })
const DUPLICATE = { name: 'There is already a locality with this name' }

function formPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, extra: Record<string, unknown> = {}, status = 200) {
  const editing = Boolean(ctx.params.id)
  return Promise.resolve(
    page(
      'admin/localities/views/form.njk',
      withErrors({ title: editing ? 'Rename locality' : 'Add a locality', values, action: ctx.path, ...extra }, errors, ['name']),
      { status },
    ),
  )
}

export const localityRoutes: Route[] = [
  {
    method: 'GET',
    url: '/admin/localities',
    permission: 'admin.organisation',
    handler: async (ctx) =>
      page('admin/localities/views/list.njk', {
        title: 'Localities',
        localities: await listLocalities(ctx.services.db, ctx.actor),
        flash: ctx.query.saved ? 'Locality saved' : null,
      }),
  },
  ...formRoutes({
    url: '/admin/localities/new',
    permission: 'admin.organisation',
    body: newBody,
    render: formPage,
    submit: async (ctx, input) => {
      try {
        await createLocality(ctx.services.db, ctx.actor, input)
      } catch (error) {
        if (error instanceof DuplicateName) return invalid(DUPLICATE)
        throw error
      }
      return redirect('/admin/localities?saved=1')
    },
  }),
  ...formRoutes({
    url: '/admin/localities/:id/edit',
    permission: 'admin.organisation',
    body: editBody,
    render: (ctx, values, errors) => formPage(ctx, values, errors),
    initial: async (ctx) => getLocality(ctx.services.db, ctx.actor, idParam(ctx.params.id)),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      try {
        await renameLocality(ctx.services.db, ctx.actor, id, input)
      } catch (error) {
        if (error instanceof DuplicateName) return invalid(DUPLICATE)
        if (error instanceof EditConflict) {
          const theirs = await getLocality(ctx.services.db, ctx.actor, id)
          return formPage(ctx, { ...input, version: theirs.version }, { form: CONFLICT_MESSAGE }, { theirs }, 409)
        }
        throw error
      }
      return redirect('/admin/localities?saved=1')
    },
  }),
]
