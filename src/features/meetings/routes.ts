import { z } from 'zod'
import { choice, dateFields, formSchema, idList, integer, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { dateParts, londonInstant, londonParts, readDate, readTime, today } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { EditConflict } from '../../db/conflict.ts'
import { currentTeam, type Episode } from '../episodes/repository.ts'
import { episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { ATTENDANCE, loadMeeting, RESPONSES, STATUS_WORDS, type Meeting } from './repository.ts'
import { agencyNonAttendance, cancelMeeting, changeMeeting, NotInTeam, recordMeeting, respond, scheduleMeeting } from './use-cases.ts'

const AUDIT = { action: 'episode.viewed', recordType: 'episode' }
const DURATIONS = ['30', '45', '60', '90', '120'] as const

const whenFields = {
  ...dateFields('date', 'Date'),
  time: text('Time', { max: 10, requiredMessage: 'Enter the time the meeting starts, like 10:30 or 2pm' }),
  duration: choice('How long', DURATIONS, 'Select how long the meeting will be'),
  place: text('Place', { max: 300, requiredMessage: 'Enter where the meeting will be' }),
}
const newBody = formSchema({
  ...whenFields,
  chair: integer('Chair', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will chair the meeting' }),
  minuteTaker: integer('Minute taker', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will take the minutes' }),
  invitees: idList('Invitees'),
})
const changeBody = formSchema({ ...whenFields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })
const cancelBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why the meeting is cancelled' }) })
const respondBody = formSchema({
  response: choice(
    'Your reply',
    RESPONSES.map((r) => r.value),
    'Select your reply',
  ),
})
const recordShape = {
  familyPresent: choice('Family present', ['yes', 'no'] as const, 'Select whether the family was at the meeting'),
  familyAbsentReason: optionalText('Why the family was not there', { max: 2000, multiline: true }),
  minutes: text('Minutes', { max: 50_000, multiline: true, requiredMessage: 'Enter the minutes of the meeting' }),
  decisions: optionalText('Decisions', { max: 20_000, multiline: true }),
  version: integer('Version', { min: 1, max: 1_000_000_000 }),
}
/** Attendance comes as attendance-<invitee id>: bounded here, each checked against the meeting's invitees. */
const recordBody = z
  .object(recordShape)
  .catchall(z.string().max(20))
  .refine((b) => Object.keys(b).every((k) => k in recordShape || /^attendance-\d{1,12}$/.test(k)), {
    message: 'The form had information in it that we did not expect. Check your answers and submit the form again',
  })
const MEETING_CONFLICT =
  'Someone else changed this meeting while you were editing it, so your changes were not saved. Copy anything you typed, open the meeting again to see their changes, then make yours'
const WHEN_ORDER = ['date-day', 'time', 'duration', 'place']

/** The meeting in the address, which must be of the episode in the address. */
async function meetingOf(ctx: RequestContext, episode: Episode): Promise<Meeting> {
  const meeting = await loadMeeting(ctx.services.db, ctx.actor.laId, idParam(ctx.params.meetingId))
  if (meeting.episode_id !== episode.id) throw new NotFound()
  return meeting
}

/** The renderer of a form about one meeting of the episode (change it, cancel it), for those working on the episode. */
function meetingForm(view: string, title: string, fieldOrder: string[], extra: Record<string, unknown> = {}) {
  return (ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> =>
    withEpisode(ctx, async (episode) => {
      const meeting = await meetingOf(ctx, episode)
      return page(view, withErrors({ title, ...episodeHeader(episode), meeting, values, action: ctx.path, ...extra }, errors, fieldOrder))
    })
}

/** The meeting in the address, for a change to it: refused (404) unless it is one of the episode in the address. */
async function meetingIdIn(ctx: RequestContext): Promise<number> {
  const id = idParam(ctx.params.meetingId)
  const row = await ctx.services.db.selectFrom('meetings').select('episode_id').where('id', '=', id).where('la_id', '=', ctx.actor.laId).executeTakeFirst()
  if (!row || row.episode_id !== idParam(ctx.params.id)) throw new NotFound()
  return id
}

/** The start time from the date and time boxes, or the errors to show. */
function readWhen(input: Record<string, unknown>): { at: Date } | { errors: FieldErrors } {
  const date = readDate(input, 'date', 'Date', { notBefore: today() })
  const time = readTime(String(input.time ?? ''))
  const errors: FieldErrors = {}
  if ('error' in date) errors['date-day'] = date.error
  if (!time) errors.time = 'Enter the time in the right format, like 10:30 or 2pm'
  if (Object.keys(errors).length) return { errors }
  return { at: londonInstant((date as { iso: string }).iso, time!.hours, time!.minutes) }
}

function formPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const team = await currentTeam(ctx.services.db, episode.id)
    return page(
      'meetings/views/new.njk',
      withErrors(
        {
          title: 'Arrange a Team Around the Family meeting',
          ...episodeHeader(episode),
          team,
          durations: DURATIONS,
          values: { duration: '60', ...values },
          action: ctx.path,
        },
        errors,
        [...WHEN_ORDER, 'chair', 'minuteTaker', 'invitees'],
      ),
    )
  })
}

function meetingPage(ctx: RequestContext, errors?: FieldErrors, values: Record<string, unknown> = {}): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const meeting = await meetingOf(ctx, episode)
    const mine = meeting.invitees.find((i) => i.userId === ctx.actor.userId)
    return page(
      'meetings/views/show.njk',
      withErrors(
        {
          title: 'Team Around the Family meeting',
          ...episodeHeader(episode),
          meeting,
          statusWords: STATUS_WORDS[meeting.status],
          attendanceWords: Object.fromEntries(ATTENDANCE.map((a) => [a.value, a.text])),
          responseWords: Object.fromEntries(RESPONSES.map((r) => [r.value, r.text])),
          mine,
          responses: RESPONSES,
          canChange: access.canChange && meeting.status === 'scheduled',
          canRecord: access.canChange && meeting.status !== 'cancelled',
          values: { response: mine?.response ?? '', ...values },
          flash: flash(ctx, {
            arranged: 'Meeting arranged. Invitations have been sent',
            changed: 'Meeting changed. Everyone invited has been sent the new details',
            replied: 'Your reply has been recorded',
            recorded: 'Meeting recorded',
          }),
        },
        errors,
        ['response'],
      ),
    )
  })
}

export const meetingRoutes: Route[] = [
  {
    method: 'GET',
    url: '/meetings/attendance',
    permission: 'agency.oversee',
    handler: async (ctx) => {
      const [rows, agency] = await Promise.all([
        agencyNonAttendance(ctx.services.db, ctx.actor),
        ctx.services.db.selectFrom('agencies').select('name').where('id', '=', ctx.actor.agencyId).executeTakeFirstOrThrow(),
      ])
      return page('meetings/views/attendance.njk', { title: 'Meeting attendance', agency: agency.name, rows })
    },
  },
  ...formRoutes({
    url: '/episodes/:id/meetings/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: AUDIT,
    body: newBody,
    render: formPage,
    initial: async () => ({}),
    submit: async (ctx, input) => {
      const when = readWhen(input)
      if ('errors' in when) return invalid(when.errors)
      const id = idParam(ctx.params.id)
      try {
        const meetingId = await scheduleMeeting(
          ctx.services.db,
          ctx.actor,
          id,
          {
            startsAt: when.at,
            durationMinutes: Number(input.duration),
            place: input.place,
            chairId: input.chair,
            minuteTakerId: input.minuteTaker,
            inviteeIds: input.invitees,
          },
          ctx.services.config.baseUrl,
        )
        return redirect(`/episodes/${id}/meetings/${meetingId}?done=arranged`)
      } catch (error) {
        if (error instanceof NotInTeam) return invalid({ [error.field]: 'Select people from the Team Around the Family' })
        throw error
      }
    },
  }),
  {
    method: 'GET',
    url: '/episodes/:id/meetings/:meetingId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: AUDIT,
    handler: (ctx) => meetingPage(ctx),
  },
  {
    method: 'POST',
    url: '/episodes/:id/meetings/:meetingId/respond',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: AUDIT,
    body: respondBody,
    invalid: (ctx, errors, values) => meetingPage(ctx, errors, values),
    handler: async (ctx, input: { response: 'accepted' | 'declined' | 'tentative' }) =>
      withEpisode(ctx, async (episode) => {
        const meeting = await meetingOf(ctx, episode)
        await respond(ctx.services.db, ctx.actor, meeting.id, input.response)
        return redirect(`/episodes/${episode.id}/meetings/${meeting.id}?done=replied`)
      }),
  },
  ...formRoutes({
    url: '/episodes/:id/meetings/:meetingId/change',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: AUDIT,
    body: changeBody,
    render: meetingForm('meetings/views/change.njk', 'Change the meeting', WHEN_ORDER, { durations: DURATIONS }),
    initial: async (ctx) => {
      const meeting = await loadMeeting(ctx.services.db, ctx.actor.laId, idParam(ctx.params.meetingId))
      const at = londonParts(meeting.starts_at)
      return {
        ...dateParts(at.date, 'date'),
        time: at.time,
        duration: String(meeting.duration_minutes),
        place: meeting.place,
        version: String(meeting.version),
      }
    },
    submit: async (ctx, input) => {
      const when = readWhen(input)
      if ('errors' in when) return invalid(when.errors)
      const id = idParam(ctx.params.id)
      const meetingId = await meetingIdIn(ctx)
      try {
        await changeMeeting(
          ctx.services.db,
          ctx.actor,
          meetingId,
          { startsAt: when.at, durationMinutes: Number(input.duration), place: input.place, version: input.version },
          ctx.services.config.baseUrl,
        )
      } catch (error) {
        if (error instanceof EditConflict) return invalid({ form: MEETING_CONFLICT })
        throw error
      }
      return redirect(`/episodes/${id}/meetings/${meetingId}?done=changed`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/meetings/:meetingId/cancel',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: AUDIT,
    body: cancelBody,
    render: meetingForm('meetings/views/cancel.njk', 'Cancel the meeting', ['reason']),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      await cancelMeeting(ctx.services.db, ctx.actor, await meetingIdIn(ctx), input.reason, ctx.services.config.baseUrl)
      return redirect(`/episodes/${id}?done=meeting-cancelled`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/meetings/:meetingId/record',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: AUDIT,
    body: recordBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) => {
        const meeting = await meetingOf(ctx, episode)
        return page(
          'meetings/views/record.njk',
          withErrors({ title: 'Record the meeting', ...episodeHeader(episode), meeting, attendance: ATTENDANCE, values, action: ctx.path }, errors, [
            ...meeting.invitees.map((i) => `attendance-${i.id}`),
            'familyPresent',
            'familyAbsentReason',
            'minutes',
            'decisions',
          ]),
        )
      }),
    initial: async (ctx) => {
      const meeting = await loadMeeting(ctx.services.db, ctx.actor.laId, idParam(ctx.params.meetingId))
      return {
        ...Object.fromEntries(meeting.invitees.map((i) => [`attendance-${i.id}`, i.attendance ?? (i.response === 'declined' ? 'apologies' : '')])),
        familyPresent: meeting.family_present === null ? '' : meeting.family_present ? 'yes' : 'no',
        familyAbsentReason: meeting.family_absent_reason ?? '',
        minutes: meeting.minutes ?? '',
        decisions: meeting.decisions ?? '',
        version: String(meeting.version),
      }
    },
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const meetingId = idParam(ctx.params.meetingId)
      const meeting = await loadMeeting(ctx.services.db, ctx.actor.laId, meetingId)
      if (meeting.episode_id !== id) throw new NotFound()
      const errors: FieldErrors = {}
      const attendance: Record<number, 'attended' | 'apologies' | 'did-not-attend'> = {}
      const allowed = new Set(meeting.invitees.map((i) => `attendance-${i.id}`))
      for (const key of Object.keys(input))
        if (key.startsWith('attendance-') && !allowed.has(key)) errors.form = 'The form had information in it that we did not expect'
      for (const i of meeting.invitees) {
        const value = (input as Record<string, unknown>)[`attendance-${i.id}`]
        if (value === 'attended' || value === 'apologies' || value === 'did-not-attend') attendance[i.id] = value
        else errors[`attendance-${i.id}`] = `Select whether ${i.name} attended, sent apologies or did not attend`
      }
      if (input.familyPresent === 'no' && !input.familyAbsentReason) errors.familyAbsentReason = 'Enter why the family was not at the meeting'
      if (Object.keys(errors).length) return invalid(errors)
      try {
        await recordMeeting(ctx.services.db, ctx.actor, meetingId, {
          attendance,
          familyPresent: input.familyPresent === 'yes',
          familyAbsentReason: input.familyAbsentReason,
          minutes: input.minutes,
          decisions: input.decisions,
          version: input.version,
        })
      } catch (error) {
        if (error instanceof EditConflict) return invalid({ form: MEETING_CONFLICT })
        throw error
      }
      return redirect(`/episodes/${id}/meetings/${meetingId}?done=recorded`)
    },
  }),
]
