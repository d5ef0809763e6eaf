import { z } from 'zod'
import { EditConflict } from '../../db/conflict.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { formSchema, idList, integer, optionalDecimal, optionalText, text, validate, yesNo, type FieldErrors } from '../../web/forms.ts'
import { invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { cafConfig } from '../episodes/config.ts'
import { agesText, createService, DuplicateService, getService, searchServices, UnknownChoice, updateService, type DirectoryFilters } from './directory.ts'
import { referralRoutes } from './referral-routes.ts'
import { waitingTimes } from './waiting.ts'

/** The service directory: searching it, a service's page with its measured waiting time, adding and changing services. */

const FIELDS = [
  'name',
  'providerAgencyId',
  'description',
  'minAge',
  'maxAge',
  'needs',
  'localityIds',
  'howToRefer',
  'viaHub',
  'capacity',
  'unitCost',
  'open',
] as const
const optionalInt = (label: string, max: number) =>
  optionalText(label, { max: 6 })
    .refine((v) => v === null || /^\d{1,6}$/.test(v), `${label} must be a whole number, like 5`)
    .transform((v) => (v === null ? null : Number(v)))
    .refine((v) => v === null || v <= max, `${label} must be ${max} or less`)

const fields = {
  name: text('Name of the service', { max: 150 }),
  providerAgencyId: integer('Agency that provides it', { min: 1, max: 1_000_000_000, requiredMessage: 'Select the agency that provides it' }),
  description: text('What it offers', { max: 2000, multiline: true, requiredMessage: 'Enter what the service offers' }),
  minAge: optionalInt('Youngest age', 25),
  maxAge: optionalInt('Oldest age', 25),
  needs: z.preprocess(
    (v) => (v === undefined ? [] : typeof v === 'string' ? [v] : v),
    z
      .array(z.string().regex(/^[a-z0-9-]{1,60}$/, 'Needs: select from the options shown'), { error: 'Needs: select from the options shown' })
      .max(60)
      .transform((list) => [...new Set(list)]),
  ),
  localityIds: idList('Localities'),
  howToRefer: text('How to refer', { max: 2000, multiline: true, requiredMessage: 'Enter how to refer' }),
  viaHub: yesNo('Through the hub', 'Select whether it takes referrals through the hub'),
  capacity: optionalInt('Places', 100_000),
  unitCost: optionalDecimal('Cost of a referral', { min: 0, max: 1_000_000, places: 2, example: '450 or 1,250.50' }),
  open: yesNo('Open', 'Select whether it is taking new referrals'),
}
const newBody = formSchema(fields)
const editBody = formSchema({ ...fields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })

/** The form's choices: the council's agencies, localities and the assessment's elements (the needs a service meets). */
async function choices(ctx: RequestContext) {
  const db = ctx.services.db
  const [agencies, localities, config] = await Promise.all([
    db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).where('active', '=', true).orderBy('name').execute(),
    db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
    cafConfig(db, ctx.actor.laId),
  ])
  const needs = config.domains.flatMap((d) => d.elements.map((e) => ({ value: e.code, text: e.label })))
  return { agencies, localities, needs }
}

async function formPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const data = { title: ctx.params.id ? 'Change a service' : 'Add a service', values, action: ctx.path, ...(await choices(ctx)) }
  return page('services/views/form.njk', withErrors(data, errors, [...FIELDS]))
}

const asValues = (s: Awaited<ReturnType<typeof getService>>) => ({
  name: s.name,
  providerAgencyId: String(s.provider_agency_id),
  description: s.description,
  minAge: s.min_age === null ? '' : String(s.min_age),
  maxAge: s.max_age === null ? '' : String(s.max_age),
  needs: s.needs,
  localityIds: s.localityIds.map(String),
  howToRefer: s.how_to_refer,
  viaHub: s.via_hub ? 'yes' : 'no',
  capacity: s.capacity === null ? '' : String(s.capacity),
  unitCost: s.unit_cost === null ? '' : String(s.unit_cost),
  open: s.open ? 'yes' : 'no',
  version: String(s.version),
})

const SAVED_BY_SOMEONE_ELSE =
  'Someone else changed this service while you were editing it, so your change was not saved. Your changes are still in the form: open the service again in another tab to see theirs'

/** The use case's refusals as the form's errors (what was typed stays in the form). */
async function saved(work: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DuplicateService) return invalid({ name: 'There is already a service with this name' })
    if (error instanceof UnknownChoice) return invalid({ [error.field]: 'Select from the options shown' })
    if (error instanceof EditConflict) return invalid({ form: SAVED_BY_SOMEONE_ELSE })
    throw error
  }
}

const ageOrder = (i: { minAge: number | null; maxAge: number | null }) =>
  i.minAge !== null && i.maxAge !== null && i.minAge > i.maxAge ? { maxAge: 'Oldest age must be the same as or more than the youngest age' } : null

/** The directory's filters, from the query string: each optional, each checked (a plain GET form, so a search can be bookmarked). */
const filterQuery = z.object({
  q: optionalText('Words to search for', { max: 100 }),
  need: optionalText('Need', { max: 60 }).refine((v) => v === null || /^[a-z0-9-]+$/.test(v), 'Select a need from the list'),
  age: optionalText('Age', { max: 3 })
    .refine((v) => v === null || /^\d{1,2}$/.test(v), 'Age must be a whole number of years, like 8')
    .transform((v) => (v === null ? null : Number(v))),
  locality: optionalText('Locality', { max: 9 })
    .refine((v) => v === null || /^\d+$/.test(v), 'Select a locality from the list')
    .transform((v) => (v === null ? null : Number(v))),
  open: optionalText('Open now', { max: 3 }),
})

export const serviceRoutes: Route[] = [
  {
    method: 'GET',
    url: '/services',
    permission: 'services.view',
    handler: async (ctx) => {
      const read = validate(filterQuery, ctx.query)
      const values = Object.fromEntries(['q', 'need', 'age', 'locality', 'open'].map((k) => [k, typeof ctx.query[k] === 'string' ? ctx.query[k] : '']))
      const frame = {
        title: 'Services',
        ...(await choices(ctx)),
        values,
        canManage: rolesAllow(ctx.actor.roles, 'services.manage'),
        canAnswer: rolesAllow(ctx.actor.roles, 'episode.work'),
        columns: 'full',
      }
      if (!read.ok)
        return page('services/views/directory.njk', withErrors({ ...frame, services: [] }, read.errors, ['q', 'need', 'age', 'locality']), { status: 400 })
      const filters: DirectoryFilters = { ...read.data, openOnly: read.data.open === 'yes' }
      const found = await searchServices(ctx.services.db, ctx.actor.laId, filters)
      const waits = await waitingTimes(
        ctx.services.db,
        ctx.actor.laId,
        found.map((s) => s.id),
      )
      return page('services/views/directory.njk', {
        ...frame,
        services: found.map((s) => ({ ...s, ages: agesText(s.minAge, s.maxAge), waiting: waits.get(s.id)! })),
      })
    },
  },
  ...formRoutes({
    url: '/services/new',
    permission: 'services.manage',
    body: newBody,
    render: formPage,
    initial: async () => ({ viaHub: 'no', open: 'yes' }),
    submit: (ctx, input) => {
      const order = ageOrder(input)
      if (order) return Promise.resolve(invalid(order))
      return saved(async () => redirect(`/services/${await createService(ctx.services.db, ctx.actor, input)}?done=added`))
    },
  }),
  {
    method: 'GET',
    url: '/services/:id',
    permission: 'services.view',
    handler: async (ctx) => {
      const service = await getService(ctx.services.db, ctx.actor.laId, ctx.id)
      const [waits, opts] = await Promise.all([waitingTimes(ctx.services.db, ctx.actor.laId, [service.id]), choices(ctx)])
      return page('services/views/service.njk', {
        title: service.name,
        service,
        ages: agesText(service.min_age, service.max_age),
        waiting: waits.get(service.id),
        needs: opts.needs.filter((n) => service.needs.includes(n.value)).map((n) => n.text),
        localities: opts.localities.filter((l) => service.localityIds.includes(l.id)).map((l) => l.name),
        canManage: rolesAllow(ctx.actor.roles, 'services.manage'),
        flash: ctx.query.done === 'added' ? 'Service added' : ctx.query.done === 'saved' ? 'Service saved' : null,
      })
    },
  },
  ...formRoutes({
    url: '/services/:id/edit',
    permission: 'services.manage',
    body: editBody,
    render: formPage,
    initial: async (ctx) => asValues(await getService(ctx.services.db, ctx.actor.laId, ctx.id)),
    submit: (ctx, input) => {
      const order = ageOrder(input)
      if (order) return Promise.resolve(invalid(order))
      return saved(async () => {
        await updateService(ctx.services.db, ctx.actor, ctx.id, input)
        return redirect(`/services/${ctx.id}?done=saved`)
      })
    },
  }),
  ...referralRoutes,
]
