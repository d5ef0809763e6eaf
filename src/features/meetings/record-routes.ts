import type { Attendance } from '../../db/schema.ts'
import { EditConflict } from '../../db/conflict.ts'
import { integer, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { ukDateTime } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { currentTeam } from '../episodes/repository.ts'
import { EPISODE_VIEWED, episodeHeader, withEpisode } from '../episodes/routes/shared.ts'
import {
  DURATIONS,
  isAttendance,
  MEETING_CONFLICT,
  personFields,
  readFamilyPresence,
  readWhen,
  WHEN_ORDER,
  whenFields,
  withAttendance,
  WRITE_UP_ORDER,
  writeUpFields,
} from './forms.ts'
import { meetingOf } from './in-address.ts'
import { NotStartedYet, recordMeeting, recordPastMeeting } from './recording.ts'
import { ATTENDANCE, loadMeeting } from './repository.ts'
import { NotInTeam } from './use-cases.ts'

/** Writing up a meeting held: one that was arranged here (once it has started), or one that never was. */

const recordBody = withAttendance({ ...writeUpFields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })
const pastBody = withAttendance({ ...whenFields, ...personFields, ...writeUpFields })

const NOT_INVITED = { value: 'not-invited', text: 'Not there (not invited)' } as const
const notStarted = (startsAt: Date) => `You can record the meeting once it has started: it starts on ${ukDateTime(startsAt)}`

/** The answers given for each person's attendance-<id> field, and an error for anyone not answered. */
function readAttendance(input: Record<string, unknown>, people: { id: number; name: string }[], errors: FieldErrors, allowNotInvited = false) {
  const allowed = new Set(people.map((p) => `attendance-${p.id}`))
  if (Object.keys(input).some((k) => k.startsWith('attendance-') && !allowed.has(k))) errors.form = 'The form had information in it that we did not expect'
  const attendance: Record<number, Attendance> = {}
  for (const p of people) {
    const value = input[`attendance-${p.id}`]
    if (isAttendance(value)) attendance[p.id] = value
    else if (!(allowNotInvited && value === NOT_INVITED.value))
      errors[`attendance-${p.id}`] = `Select whether ${p.name} attended, sent apologies or did not attend`
  }
  return attendance
}

function pastForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const team = await currentTeam(ctx.services.db, episode.id)
    return page(
      'meetings/views/past.njk',
      withErrors(
        {
          title: 'Record a meeting that has already happened',
          ...episodeHeader(episode),
          team,
          durations: DURATIONS,
          attendance: [...ATTENDANCE, NOT_INVITED],
          values: { duration: '60', ...values },
          action: ctx.path,
        },
        errors,
        [...WHEN_ORDER, 'chair', 'minuteTaker', ...team.map((m) => `attendance-${m.userId}`), ...WRITE_UP_ORDER],
      ),
    )
  })
}

export const recordRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/meetings/:meetingId/record',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: recordBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) => {
        const meeting = await meetingOf(ctx, episode)
        return page(
          'meetings/views/record.njk',
          withErrors({ title: 'Record the meeting', ...episodeHeader(episode), meeting, attendance: ATTENDANCE, values, action: ctx.path }, errors, [
            ...meeting.invitees.map((i) => `attendance-${i.id}`),
            ...WRITE_UP_ORDER,
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
      const attendance = readAttendance(input, meeting.invitees, errors)
      const family = readFamilyPresence(input, errors)
      if (Object.keys(errors).length) return invalid(errors)
      try {
        await recordMeeting(ctx.services.db, ctx.actor, meetingId, {
          attendance,
          ...family,
          minutes: input.minutes,
          decisions: input.decisions,
          version: input.version,
        })
      } catch (error) {
        if (error instanceof EditConflict) return invalid({ form: MEETING_CONFLICT })
        if (error instanceof NotStartedYet) return invalid({ form: notStarted(error.startsAt) })
        throw error
      }
      return redirect(`/episodes/${id}/meetings/${meetingId}?done=recorded`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/meetings/past',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: pastBody,
    render: pastForm,
    initial: async () => ({}),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const team = await currentTeam(ctx.services.db, id)
      const when = readWhen(input, 'held')
      const errors: FieldErrors = 'errors' in when ? { ...when.errors } : {}
      const attendance = readAttendance(
        input,
        team.map((m) => ({ id: m.userId, name: m.name })),
        errors,
        true,
      )
      for (const [field, role] of [
        ['chair', 'chaired'],
        ['minuteTaker', 'took the minutes of'],
      ] as const) {
        const said = attendance[input[field]]
        if (said && said !== 'attended') errors[`attendance-${input[field]}`] ??= `The person who ${role} the meeting attended it: select Attended`
      }
      const family = readFamilyPresence(input, errors)
      if ('errors' in when || Object.keys(errors).length) return invalid(errors)
      try {
        const meetingId = await recordPastMeeting(ctx.services.db, ctx.actor, id, {
          startsAt: when.at,
          durationMinutes: Number(input.duration),
          place: input.place,
          chairId: input.chair,
          minuteTakerId: input.minuteTaker,
          attendance,
          ...family,
          minutes: input.minutes,
          decisions: input.decisions,
        })
        return redirect(`/episodes/${id}/meetings/${meetingId}?done=recorded-after`)
      } catch (error) {
        if (error instanceof NotInTeam) return invalid({ [error.field === 'invitees' ? 'form' : error.field]: 'Select people from the Team Around the Family' })
        throw error
      }
    },
  }),
]
