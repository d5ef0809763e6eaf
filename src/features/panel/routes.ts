import type { z } from 'zod'
import { formSchema, idList, integer, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { invalid, page, redirect, type Outcome } from '../../web/outcome.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { panelAllows, seesAgenda } from '../../policies/panel.ts'
import { flash } from '../episodes/routes/shared.ts'
import { ATTENDANCE } from '../meetings/repository.ts'
import { DURATIONS, isAttendance, readWhen, whenFields, WHEN_ORDER, withAttendance } from '../meetings/forms.ts'
import { decisionRoutes, panelAnswered } from './decision-routes.ts'
import { gapNeeds, gapsReport, recordGap } from './gaps.ts'
import { arrangePanelMeeting, panelPeople, PanelRefused, placeOnAgenda, publishAgenda, recordPanelAttendance } from './meetings.ts'
import { meetingsFor, meetingView, waitingRequests } from './queries.ts'

/** The panel's pages: its meetings, arranging one, a meeting with its agenda, attendance and gaps, and the gaps list. */

const arrangeBody = formSchema({
  ...whenFields,
  chair: integer('Chair', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will chair the panel' }),
  members: idList('Members'),
})
const placeBody = formSchema({ requestId: integer('Case', { min: 1, max: 1_000_000_000_000, requiredMessage: 'Select the case to put on the agenda' }) })
const gapBody = formSchema({
  need: text('Need', { max: 60, requiredMessage: 'Select the need the panel found no service for' }),
  localityId: optionalText('Locality', { max: 10 })
    .refine((v) => v === null || /^\d{1,9}$/.test(v), 'Select the locality from the list')
    .transform((v) => (v === null ? null : Number(v))),
  note: text('What was missing', { max: 2000, multiline: true, requiredMessage: 'Enter what the family needed that no service offers' }),
})
const emptyBody = formSchema({})

async function arrangePage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const people = await panelPeople(ctx.services.db, ctx.actor.laId)
  const data = { title: 'Arrange a panel meeting', people, durations: DURATIONS, values: { duration: '90', ...values }, action: ctx.path }
  return page('panel/views/arrange.njk', withErrors(data, errors, [...WHEN_ORDER, 'chair', 'members']))
}

async function meetingPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const access = ctx.panelAccess
  const chairs = panelAllows(access, 'chair')
  const [view, waiting, needs, localities] = await Promise.all([
    meetingView(db, ctx.actor.laId, ctx.id),
    chairs ? waitingRequests(db, ctx.actor.laId) : Promise.resolve([]),
    chairs ? gapNeeds(db, ctx.actor.laId) : Promise.resolve([]),
    chairs ? db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute() : Promise.resolve([]),
  ])
  const shown = seesAgenda(access)
  const data = {
    title: 'Multi-agency panel',
    ...view,
    agenda: shown ? view.agenda : [],
    seesAgenda: shown,
    chairs,
    waiting,
    needs,
    localities,
    attendance: ATTENDANCE,
    values,
    flash: flash(ctx, {
      arranged: 'Panel meeting arranged. The chair and members have been sent an invitation',
      placed: 'Case put on the agenda',
      published: 'Agenda published. The members have been told by email and can read the cases until the end of the meeting day',
      attendance: 'Attendance saved',
      decided: 'Decision recorded. The lead professional has been told by email',
      gap: 'Gap recorded',
    }),
  }
  // The cases on the agenda (if shown) and those waiting for a panel (for its chair) are the episodes it shows.
  const episodes = [...(shown ? view.agenda.map((c) => c.episodeId) : []), ...waiting.map((w) => w.episodeId)]
  return page('panel/views/meeting.njk', withErrors(data, errors, ['form', 'requestId', 'need', 'localityId', 'note']), {
    auditDetail: { shown: episodes },
    ...(episodes.length ? {} : { showsNoOne: true }),
  })
}

const MEETING = { action: 'panel.viewed', recordType: 'panel' } as const
/** A POST from the meeting's page, by its chair (or the hub), returning to it. */
function chairPost<S extends z.ZodType>(url: string, body: S, run: (ctx: RequestContext, input: z.infer<S>) => Promise<string>): Route {
  return {
    method: 'POST',
    url,
    permission: 'panel.view',
    record: { panel: 'chair' },
    audit: MEETING,
    body,
    invalid: (ctx, errors, values) => meetingPage(ctx, values, errors),
    handler: (ctx, input: z.infer<S>) => panelAnswered(async () => redirect(`/panel/${ctx.id}?done=${await run(ctx, input)}`)),
  }
}

export const panelRoutes: Route[] = [
  {
    method: 'GET',
    url: '/panel',
    permission: 'panel.view',
    handler: async (ctx) => {
      const meetings = await meetingsFor(ctx.services.db, ctx.actor)
      return page('panel/views/meetings.njk', { title: 'Multi-agency panel', ...meetings, mayArrange: rolesAllow(ctx.actor.roles, 'panel.manage') })
    },
  },
  ...formRoutes({
    url: '/panel/new',
    permission: 'panel.manage',
    body: arrangeBody,
    render: arrangePage,
    submit: (ctx, input) => {
      const when = readWhen(input, 'to-come')
      if ('errors' in when) return Promise.resolve(invalid(when.errors))
      return panelAnswered(async () => {
        const id = await arrangePanelMeeting(
          ctx.services.db,
          ctx.actor,
          { startsAt: when.at, durationMinutes: Number(input.duration), place: input.place, chairId: input.chair, memberIds: input.members },
          ctx.services.config.baseUrl,
        )
        return redirect(`/panel/${id}?done=arranged`)
      })
    },
  }),
  {
    method: 'GET',
    url: '/panel/gaps',
    permission: 'panel.view',
    handler: async (ctx) => page('panel/views/gaps.njk', { title: 'Gaps in local services', gaps: await gapsReport(ctx.services.db, ctx.actor.laId) }),
  },
  { method: 'GET', url: '/panel/:id', permission: 'panel.view', record: { panel: 'read' }, audit: MEETING, handler: (ctx) => meetingPage(ctx) },
  chairPost('/panel/:id/agenda', placeBody, async (ctx, input) => {
    await placeOnAgenda(ctx.services.db, ctx.actor, ctx.id, input.requestId)
    return 'placed'
  }),
  chairPost('/panel/:id/publish', emptyBody, async (ctx) => {
    await publishAgenda(ctx.services.db, ctx.actor, ctx.id, ctx.services.config.baseUrl)
    return 'published'
  }),
  chairPost('/panel/:id/attendance', withAttendance({}), async (ctx, input) => {
    const attendance: Record<number, (typeof ATTENDANCE)[number]['value']> = {}
    for (const [key, value] of Object.entries(input as Record<string, string>)) {
      if (!isAttendance(value)) throw new PanelRefused({ form: 'Select whether each member attended, sent apologies or did not attend' })
      attendance[Number(key.slice('attendance-'.length))] = value
    }
    await recordPanelAttendance(ctx.services.db, ctx.actor, ctx.id, attendance)
    return 'attendance'
  }),
  chairPost('/panel/:id/gaps', gapBody, async (ctx, input) => {
    await recordGap(ctx.services.db, ctx.actor, ctx.id, input)
    return 'gap'
  }),
  ...decisionRoutes,
]
