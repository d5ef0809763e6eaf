import type { z } from 'zod'
import type { ReferralStatus } from '../../db/schema.ts'
import { choice, dateFields, formSchema, integer, optionalText, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { readDate } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { groundInEpisode, referralMoves, type ReferralGround } from '../../policies/referral.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { planOf } from '../plans/use-cases.ts'
import { searchServices } from './directory.ts'
import { incomingReferrals, referralView } from './referral-queries.ts'
import {
  changeReferral,
  ConsentDoesNotName,
  REFERRAL_STATUS_TEXT,
  referFromAction,
  ReferralRefused,
  type ReferralChange,
  type ReferralSource,
} from './referrals.ts'

/** Referring from a plan action, a referral's page where it is moved on, and the provider's list. */

const STATUSES = Object.keys(REFERRAL_STATUS_TEXT) as ReferralStatus[]
const referBody = formSchema({
  serviceId: integer('Service', { min: 1, max: 1_000_000_000, requiredMessage: 'Select the service' }),
  childId: integer('Child', { min: 1, max: 1_000_000_000, requiredMessage: 'Select the child the referral is for' }),
})
/** The form that moves a referral on: on its episode's page, and on its signposting request's. */
export const changeBody = formSchema({
  to: choice('What has happened', STATUSES, 'Select what has happened'),
  ...dateFields('started', 'The date it started'),
  helped: optionalText('Whether it helped', { max: 10 })
    .refine((v) => v === null || ['yes', 'partly', 'no'].includes(v), 'Select whether it helped')
    .transform((v) => v as 'yes' | 'partly' | 'no' | null),
  reason: optionalText('Why', { max: 2000, multiline: true }),
})
const CONSENT_REFUSED =
  'The family’s consent does not name the agency that provides this service, so nothing can be shared with it. Ask the family, and add the agency to the consent first'

/** Runs a referral's use case, answering its refusals as form errors. */
export async function refused(work: () => Promise<Outcome>): Promise<Outcome | Invalid> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ConsentDoesNotName) return invalid({ serviceId: CONSENT_REFUSED })
    if (error instanceof ReferralRefused) return invalid(error.errors)
    throw error
  }
}

function referPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const db = ctx.services.db
    const [plan, services] = await Promise.all([
      planOf(db, ctx.actor.laId, episode.id),
      searchServices(db, ctx.actor.laId, { q: null, need: null, age: null, locality: null, openOnly: true }),
    ])
    const action = plan.flatMap((o) => o.actions.map((a) => ({ ...a, need: o.need, outcome: o.outcome }))).find((a) => String(a.id) === ctx.params.actionId)
    if (!action) throw new NotFound()
    const children = episode.children
    const data = {
      title: 'Refer to a service',
      ...episodeHeader(episode),
      planAction: action,
      services,
      children,
      values: children.length === 1 ? { childId: String(children[0]!.id), ...values } : values,
      action: ctx.path,
    }
    return page('services/views/refer.njk', withErrors(data, errors, ['serviceId', 'childId']))
  })
}

function referralPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const part = await referralPart(ctx, { episodeId: episode.id }, Number(ctx.params.referralId), groundInEpisode(access))
    const { referral } = part
    const data = {
      title: `Referral to ${referral.service}`,
      ...episodeHeader(episode),
      ...part,
      values,
      action: ctx.path,
      flash: flash(ctx, { requested: 'Referral made. The service will see it in its list of referrals', changed: 'Referral updated' }),
    }
    return page('services/views/referral.njk', withErrors(data, errors, ['to', 'started-day', 'helped', 'reason']), { auditDetail: { referral: referral.id } })
  })
}

/** Reads the form's change and makes it, returning to `done`. */
export function moveReferral(ctx: RequestContext, source: ReferralSource, referralId: number, input: z.infer<typeof changeBody>, done: string) {
  const started = readDate(input, 'started', 'The date it started', { optional: true })
  if ('error' in started) return Promise.resolve(invalid({ 'started-day': started.error }))
  const change: ReferralChange = { to: input.to, startedOn: started.iso, helped: input.helped, reason: input.reason }
  return refused(async () => {
    await changeReferral(ctx.services.db, ctx.actor, source, referralId, change, ctx.services.config.baseUrl)
    return redirect(done)
  })
}

/** The fields of the referral's page that follow its summary: what has happened and the moves the actor may make. */
export async function referralPart(ctx: RequestContext, source: ReferralSource, referralId: number, ground: ReferralGround) {
  const { referral, events } = await referralView(ctx.services.db, ctx.actor.laId, source, referralId)
  const moves = referralMoves(ctx.actor, ground, { status: referral.status, providerAgencyId: referral.providerAgencyId })
  return {
    referral,
    statusText: REFERRAL_STATUS_TEXT[referral.status],
    events,
    moves: moves.map((value) => ({ value, text: REFERRAL_STATUS_TEXT[value] })),
  }
}

export const referralRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/plan/actions/:actionId/refer',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: referBody,
    render: referPage,
    submit: (ctx, input) =>
      refused(async () => {
        const referral = await referFromAction(ctx.services.db, ctx.actor, ctx.id, Number(ctx.params.actionId), input)
        return redirect(`/episodes/${ctx.id}/referrals/${referral}?done=requested`)
      }),
  }),
  {
    method: 'GET',
    url: '/episodes/:id/referrals/:referralId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: { action: 'referral.viewed', recordType: 'episode' },
    handler: (ctx) => referralPage(ctx),
  },
  {
    method: 'POST',
    url: '/episodes/:id/referrals/:referralId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: { action: 'referral.viewed', recordType: 'episode' },
    body: changeBody,
    invalid: (ctx, errors, values) => referralPage(ctx, values, errors),
    handler: (ctx, input: z.infer<typeof changeBody>) =>
      moveReferral(ctx, { episodeId: ctx.id }, Number(ctx.params.referralId), input, `/episodes/${ctx.id}/referrals/${ctx.params.referralId}?done=changed`),
  },
  {
    method: 'GET',
    url: '/referrals',
    permission: 'episode.view',
    audit: { action: 'referral.listed', recordType: 'episode-list' },
    handler: async (ctx) => {
      const referrals = await incomingReferrals(ctx.services.db, ctx.actor)
      return page(
        'services/views/incoming.njk',
        { title: 'Referrals to our services', referrals, columns: 'full' },
        { auditDetail: { shown: referrals.map((r) => r.episodeId) } },
      )
    },
  },
]
