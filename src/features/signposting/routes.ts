import type { z } from 'zod'
import { choice, dateFields, formSchema, integer, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { addDays, readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { groundInSignposting } from '../../policies/referral.ts'
import { signpostingAllows } from '../../policies/signposting.ts'
import { GIVER_ROLES, METHODS } from '../episodes/consent.ts'
import { openEpisodesOf } from '../episodes/repository.ts'
import { flash } from '../episodes/routes/shared.ts'
import { displayName } from '../people/repository.ts'
import { personToStart } from '../people/use-cases.ts'
import { changeBody, moveReferral, referralPart } from '../services/referral-routes.ts'
import { signpostingList, signpostingView } from './queries.ts'
import { declineSignposting, HasOpenCaf, passToService, possibleGivers, requestSignposting, SignpostingRefused, signpostingServices } from './requests.ts'
import { cafMayStartFrom, startCafFromSignposting } from './to-caf.ts'

/** The signposting form (from a child's record), the hub's list, and a request's page where it is decided. */

const requestBody = formSchema({
  need: text('The need', { max: 2000, multiline: true, requiredMessage: 'Enter the need, in your words' }),
  serviceId: integer('Service', { min: 1, max: 1_000_000_000, requiredMessage: 'Select the service' }),
  giverId: integer('Who gave consent', { min: 1, max: 1_000_000_000_000, requiredMessage: 'Select who gave consent' }),
  giverRole: choice('Who they are', ['parent-with-pr', 'young-person'] as const, 'Select who gave consent: a parent or carer, or the young person'),
  method: choice('How they gave it', ['written', 'verbal'] as const, 'Select how consent was given'),
  ...dateFields('given', 'The date they gave consent'),
})
const REQUEST_FIELDS = ['need', 'serviceId', 'giverId', 'giverRole', 'method', 'given-day']
const declineBody = formSchema({ declineReason: text('Why', { max: 2000, multiline: true, requiredMessage: 'Enter why the request is declined' }) })
const emptyBody = formSchema({})

async function answered(work: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof SignpostingRefused) return invalid(error.errors)
    if (error instanceof HasOpenCaf) return invalid({ form: `This child has an open CAF (episode ${error.episodeId}). Work on the need in its plan instead` })
    throw error
  }
}

async function requestForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const { person } = await personToStart(db, ctx.actor, ctx.id)
  const child = { id: ctx.id, name: displayName(person.row), dateOfBirth: person.row.date_of_birth }
  const record = { type: 'person', id: ctx.id }
  const open = (await openEpisodesOf(db, ctx.actor.laId, [ctx.id])).get(ctx.id)
  if (open) return page('episodes/views/already-open.njk', withErrors({ title: `${child.name} already has an open CAF`, child, open }, errors), { record })
  const [services, givers] = await Promise.all([signpostingServices(db, ctx.actor.laId), possibleGivers(db, ctx.actor, ctx.id, child.name)])
  const data = { title: 'Signpost to a service', child, services, givers, giverRoles: GIVER_ROLES, methods: METHODS, values, action: ctx.path }
  return page('signposting/views/form.njk', withErrors(data, errors, REQUEST_FIELDS), { record })
}

async function requestPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const access = ctx.signpostingAccess
  const request = await signpostingView(ctx.services.db, ctx.actor.laId, ctx.id)
  const referral = request.referralId ? await referralPart(ctx, { signpostingId: ctx.id }, request.referralId, groundInSignposting(access)) : null
  const open = (await openEpisodesOf(ctx.services.db, ctx.actor.laId, [request.child_person_id])).get(request.child_person_id)
  const data = {
    title: `Signposting request ${request.id}`,
    request,
    ...referral,
    mayDecide: request.status === 'waiting' && signpostingAllows(access, 'decide'),
    // The provider reads the request, not the child's record on the register.
    linksChild: access.basis !== 'provider',
    mayStartCaf:
      signpostingAllows(access, 'work') &&
      cafMayStartFrom({ status: request.status, episodeId: request.episode_id, met: request.met, openCaf: open?.episodeId ?? null }),
    open,
    values,
    action: `/signposting/${ctx.id}/referral`,
    flash: flash(ctx, {
      requested: 'Request sent to the CAF hub. You will get an email when it has been decided',
      passed: 'Passed to the service. It will see the referral in its list',
      declined: 'Request declined. The practitioner has been told by email',
      changed: 'Referral updated',
    }),
  }
  return page('signposting/views/request.njk', withErrors(data, errors, ['form', 'declineReason', 'to', 'started-day', 'helped', 'reason']), {
    record: { type: 'person', id: request.child_person_id },
    auditDetail: { signposting: ctx.id },
  })
}

const VIEWED = { action: 'signposting.viewed', recordType: 'person' } as const

export const signpostingRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/signpost',
    permission: 'episode.work',
    // Signposting shares the child's details and names who in the household gave consent: the full record, by right.
    record: { person: 'edit' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: requestBody,
    render: requestForm,
    submit: (ctx, input) => {
      const given = readDate(input, 'given', 'The date they gave consent', { notAfter: today() })
      if ('error' in given) return Promise.resolve(invalid({ 'given-day': given.error }))
      // Consent older than a year is asked for again.
      if (given.iso! < addDays(today(), -366)) return Promise.resolve(invalid({ 'given-day': 'The date they gave consent must be within the last year' }))
      return answered(async () => {
        const id = await requestSignposting(ctx.services.db, ctx.actor, ctx.id, { ...input, givenOn: given.iso! })
        return redirect(`/signposting/${id}?done=requested`)
      })
    },
  }),
  {
    method: 'GET',
    url: '/signposting',
    permission: 'episode.work',
    audit: { action: 'signposting.listed', recordType: 'signposting-list' },
    handler: async (ctx) => {
      const list = await signpostingList(ctx.services.db, ctx.actor)
      const shown = [...list.waiting, ...list.suggestCaf, ...list.others].map((r) => r.id)
      return page('signposting/views/list.njk', { title: 'Signposting to services', ...list }, { auditDetail: { shown } })
    },
  },
  { method: 'GET', url: '/signposting/:id', permission: 'episode.view', record: { signposting: 'read' }, audit: VIEWED, handler: (ctx) => requestPage(ctx) },
  {
    method: 'POST',
    url: '/signposting/:id/pass',
    permission: 'episode.work',
    record: { signposting: 'decide' },
    audit: VIEWED,
    body: emptyBody,
    invalid: (ctx, errors, values) => requestPage(ctx, values, errors),
    handler: (ctx) =>
      answered(async () => {
        await passToService(ctx.services.db, ctx.actor, ctx.id, ctx.services.config.baseUrl)
        return redirect(`/signposting/${ctx.id}?done=passed`)
      }),
  },
  {
    method: 'POST',
    url: '/signposting/:id/decline',
    permission: 'episode.work',
    record: { signposting: 'decide' },
    audit: VIEWED,
    body: declineBody,
    invalid: (ctx, errors, values) => requestPage(ctx, values, errors),
    handler: (ctx, input: z.infer<typeof declineBody>) =>
      answered(async () => {
        await declineSignposting(ctx.services.db, ctx.actor, ctx.id, input.declineReason, ctx.services.config.baseUrl)
        return redirect(`/signposting/${ctx.id}?done=declined`)
      }),
  },
  {
    method: 'POST',
    url: '/signposting/:id/start-caf',
    permission: 'episode.work',
    record: { signposting: 'work' },
    audit: VIEWED,
    body: emptyBody,
    invalid: (ctx, errors, values) => requestPage(ctx, values, errors),
    handler: (ctx) =>
      answered(async () => {
        const episodeId = await startCafFromSignposting(ctx.services.db, ctx.actor, ctx.id)
        return redirect(`/episodes/${episodeId}?done=intention`)
      }),
  },
  {
    method: 'POST',
    url: '/signposting/:id/referral',
    permission: 'episode.view',
    record: { signposting: 'read' },
    audit: VIEWED,
    body: changeBody,
    invalid: (ctx, errors, values) => requestPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof changeBody>) => {
      const { referralId } = await signpostingView(ctx.services.db, ctx.actor.laId, ctx.id)
      if (!referralId) return invalid({ form: 'The CAF hub has not passed this request to the service yet' })
      return moveReferral(ctx, { signpostingId: ctx.id }, referralId, input, `/signposting/${ctx.id}?done=changed`)
    },
  },
]
