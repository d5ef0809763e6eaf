import { z } from 'zod'
import { choice, formSchema, integer, optionalEmail, optionalText, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import { AGENCY_TYPE_CODES, AGENCY_TYPES } from './agency-types.ts'
import { createAgency, DuplicateAgency, getAgency, listAgencies, UnknownLocality, updateAgency, type AgencyInput } from './use-cases.ts'

const FIELDS = ['name', 'agencyType', 'localityId', 'email', 'phone', 'active'] as const

const fields = {
  name: text('Name of the agency', { max: 150 }),
  agencyType: choice('Type of agency', AGENCY_TYPE_CODES, 'Select the type of agency'),
  localityId: z
    .preprocess((v) => (v === undefined ? '' : v), z.string({ error: 'Select a locality' }).regex(/^\d{0,9}$/, 'Select a locality from the list'))
    .transform((v) => (v === '' ? null : Number(v))),
  email: optionalEmail('Email address'),
  phone: optionalText('Phone number', { max: 30 }).refine((v) => v === null || /^[0-9 +()-]{6,30}$/.test(v), 'Enter a phone number, like 01632 960 001'),
  active: choice('Whether the agency is active', ['yes', 'no'] as const, 'Select whether the agency is active').transform((v) => v === 'yes'),
}
const newBody = formSchema(fields)
const editBody = formSchema({
  ...fields,
  version: integer('Version', { min: 1, max: 1_000_000_000 }),
})

async function render(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, extra: Record<string, unknown> = {}, status = 200) {
  const localities = await ctx.services.db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute()
  return page(
    'admin/agencies/views/form.njk',
    withErrors(
      {
        title: ctx.params.id ? 'Change agency' : 'Add an agency',
        values,
        types: AGENCY_TYPES,
        localities,
        action: ctx.path,
        ...extra,
      },
      errors,
      FIELDS,
    ),
    { status },
  )
}

function toValues(a: AgencyInput & { version?: number }) {
  return {
    ...a,
    localityId: a.localityId === null ? '' : String(a.localityId),
    active: a.active ? 'yes' : 'no',
  }
}

const DUPLICATE = { name: 'There is already an agency with this name' }
const BAD_LOCALITY = { localityId: 'Select a locality from the list' }

export const agencyRoutes: Route[] = [
  {
    method: 'GET',
    url: '/admin/agencies',
    permission: 'admin.organisation',
    handler: async (ctx) =>
      page('admin/agencies/views/list.njk', {
        title: 'Agencies',
        agencies: await listAgencies(ctx.services.db, ctx.actor),
        flash: ctx.query.saved ? 'Agency saved' : null,
      }),
  },
  ...formRoutes({
    url: '/admin/agencies/new',
    permission: 'admin.organisation',
    body: newBody,
    render: (ctx, values, errors) => render(ctx, values, errors),
    initial: async () => ({ active: 'yes' }),
    submit: async (ctx, input) => {
      try {
        await createAgency(ctx.services.db, ctx.actor, input)
      } catch (error) {
        if (error instanceof DuplicateAgency) return invalid(DUPLICATE)
        if (error instanceof UnknownLocality) return invalid(BAD_LOCALITY)
        throw error
      }
      return redirect('/admin/agencies?saved=1')
    },
  }),
  ...formRoutes({
    url: '/admin/agencies/:id/edit',
    permission: 'admin.organisation',
    body: editBody,
    render: (ctx, values, errors) => render(ctx, values, errors),
    initial: async (ctx) => toValues(await getAgency(ctx.services.db, ctx.actor, idParam(ctx.params.id))),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      try {
        await updateAgency(ctx.services.db, ctx.actor, id, input)
      } catch (error) {
        if (error instanceof DuplicateAgency) return invalid(DUPLICATE)
        if (error instanceof UnknownLocality) return invalid(BAD_LOCALITY)
        if (error instanceof EditConflict) {
          const theirs = await getAgency(ctx.services.db, ctx.actor, id)
          return render(ctx, { ...toValues(input), version: theirs.version }, { form: CONFLICT_MESSAGE }, { theirs: toValues(theirs) }, 409)
        }
        throw error
      }
      return redirect('/admin/agencies?saved=1')
    },
  }),
]
