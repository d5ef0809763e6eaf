import type { z } from 'zod'
import { choice, dateFields, formSchema, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { interfaceAllows } from '../../policies/social-care.ts'
import { flash } from '../episodes/routes/shared.ts'
import { childSeenBy } from './child-seen.ts'
import { DECISION_WORDS, notificationView } from './notification-queries.ts'
import { decideNotification, NotificationRefused, sendNotification, type NotificationDecisionInput } from './notifications.ts'
import { FAMILY_AWARE, REFERRAL_SOURCES, SOURCE_CODES } from './referral-sources.ts'

/** The notification form (from a child's record, for social care) and a notification's page, where the hub decides it. */

const sendBody = formSchema({
  ...dateFields('contact', 'The date of the contact'),
  source: choice('Who made the contact', SOURCE_CODES, 'Select who made the contact'),
  reported: text('What was reported', { max: 5000, multiline: true, requiredMessage: 'Enter what was reported to social care' }),
  socialCareAction: text('What social care did', { max: 5000, multiline: true, requiredMessage: 'Enter what social care did with the contact' }),
  familyAware: choice(
    'Whether the family knows',
    ['agrees', 'knows', 'unaware'] as const,
    'Select whether the family knows about the contact going to early help',
  ),
})
const SEND_FIELDS = ['contact-day', 'source', 'reported', 'socialCareAction', 'familyAware']

const decisionBody = formSchema({
  decision: choice('Decision', ['caf', 'signpost', 'no-further-action'] as const, 'Select the hub’s decision'),
  serviceId: optionalText('Service', { max: 12 }),
  signpostNote: optionalText('What the family was told', { max: 2000, multiline: true }),
  nfaReason: optionalText('Why no further action', { max: 2000, multiline: true }),
})
const DECISION_FIELDS = ['form', 'decision', 'serviceId', 'signpostNote', 'nfaReason']

/**
 * The form. As with starting a CAF, someone with no right to the child's record (found in a search)
 * sees it without the child's name or any sign of whether the record exists.
 */
async function sendForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const seen = await childSeenBy(ctx)
  const data = {
    title: 'Send to early help',
    child: seen?.child ?? null,
    sources: REFERRAL_SOURCES,
    aware: FAMILY_AWARE,
    isChild: seen?.isChild ?? true,
    values,
    action: ctx.path,
  }
  return page(
    'social-care/views/notification-form.njk',
    withErrors(data, errors, SEND_FIELDS),
    seen ? { record: { type: 'person', id: ctx.id } } : { showsNoOne: true },
  )
}

async function notificationPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const notification = await notificationView(db, ctx.actor.laId, ctx.id)
  const mayDecide = !notification.decision && interfaceAllows('notification', ctx.interfaceAccess, 'decide')
  const services = mayDecide
    ? await db.selectFrom('services').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).where('open', '=', true).orderBy('name').execute()
    : []
  const data = {
    title: `Notification ${notification.id}`,
    notification,
    mayDecide,
    decisions: DECISION_WORDS,
    services,
    values,
    action: `/notifications/${ctx.id}/decision`,
    flash: flash(ctx, {
      sent: 'Sent to the early help hub. You will get an email when it has been decided',
      decided: 'Decision recorded. Social care has been told by email',
    }),
  }
  return page('social-care/views/notification.njk', withErrors(data, errors, DECISION_FIELDS), {
    record: { type: 'person', id: notification.child_person_id },
    auditDetail: { notification: ctx.id },
  })
}

function readDecision(input: z.infer<typeof decisionBody>): NotificationDecisionInput | Invalid {
  if (input.decision === 'caf') return { decision: 'caf' }
  if (input.decision === 'signpost') {
    if (!input.serviceId || !/^\d{1,9}$/.test(input.serviceId)) return invalid({ serviceId: 'Select the service the family is signposted to' })
    return { decision: 'signpost', serviceId: Number(input.serviceId), note: input.signpostNote }
  }
  if (!input.nfaReason) return invalid({ nfaReason: 'Enter why early help takes no further action' })
  return { decision: 'no-further-action', note: input.nfaReason }
}

export const notificationRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/notify-early-help',
    permission: 'social-care.work',
    // Social care sends what it knows about a child it found in a search; the register's record is not opened.
    record: { person: 'start' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: sendBody,
    render: sendForm,
    submit: async (ctx, input) => {
      const contact = readDate(input, 'contact', 'The date of the contact', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in contact) return invalid({ 'contact-day': contact.error })
      const id = await sendNotification(ctx.services.db, ctx.actor, ctx.id, { ...input, contactOn: contact.iso! })
      return redirect(`/notifications/${id}?done=sent`)
    },
  }),
  {
    method: 'GET',
    url: '/notifications/:id',
    permission: 'episode.view',
    record: { notification: 'read' },
    audit: { action: 'notification.viewed', recordType: 'person' },
    handler: (ctx) => notificationPage(ctx),
  },
  {
    method: 'POST',
    url: '/notifications/:id/decision',
    permission: 'episode.work',
    record: { notification: 'decide' },
    audit: { action: 'notification.viewed', recordType: 'person' },
    body: decisionBody,
    invalid: (ctx, errors, values) => notificationPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof decisionBody>) => {
      const decision = readDecision(input)
      if ('type' in decision) return decision
      try {
        await decideNotification(ctx.services.db, ctx.actor, ctx.id, decision, ctx.services.config.baseUrl)
      } catch (error) {
        if (error instanceof NotificationRefused) return invalid(error.errors)
        throw error
      }
      return redirect(`/notifications/${ctx.id}?done=decided`)
    },
  },
]
