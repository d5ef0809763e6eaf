import { choice, formSchema, idList, integer, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { dateParts, londonParts } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { EditConflict } from '../../db/conflict.ts'
import { currentTeam, externalsOf, loadEpisode, type Episode } from '../episodes/repository.ts'
import { FamilyNotInTeam, familyInvitationWords } from './family.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { DURATIONS, MEETING_CONFLICT, personFields, readFamilyInvites, readWhen, WHEN_ORDER, whenFields, withFamilyInvites } from './forms.ts'
import { meetingIdIn, meetingOf } from './in-address.ts'
import { recordRoutes } from './record-routes.ts'
import { ATTENDANCE, hasStarted, loadMeeting, RESPONSES, statusWordsOf } from './repository.ts'
import { cancelMeeting, changeMeeting, NotInTeam, respond, scheduleMeeting } from './use-cases.ts'

const newBody = withFamilyInvites({ ...whenFields, ...personFields, invitees: idList('Invitees'), externals: idList('Team members without an account') })
const changeBody = formSchema({ ...whenFields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })
const cancelBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why the meeting is cancelled' }) })
const respondBody = formSchema({
  response: choice(
    'Your reply',
    RESPONSES.map((r) => r.value),
    'Select your reply',
  ),
})

/** The renderer of a form about one meeting of the episode (change it, cancel it), for those working on the episode. */
function meetingForm(view: string, title: string, fieldOrder: string[], extra: Record<string, unknown> = {}) {
  return (ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> =>
    withEpisode(ctx, async (episode) => {
      const meeting = await meetingOf(ctx, episode)
      return page(view, withErrors({ title, ...episodeHeader(episode), meeting, values, action: ctx.path, ...extra }, errors, fieldOrder))
    })
}

/** The family members who take part in the team: those who may be invited to its meetings. */
const familyTakingPart = (episode: Episode) => episode.people.filter((p) => p.inTeam)

function formPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    const [team, externals] = await Promise.all([currentTeam(ctx.services.db, episode.id), externalsOf(ctx.services.db, episode.id).execute()])
    return page(
      'meetings/views/new.njk',
      withErrors(
        {
          title: 'Arrange a Team Around the Family meeting',
          ...episodeHeader(episode),
          team,
          externals,
          family: familyTakingPart(episode),
          durations: DURATIONS,
          values: { duration: '60', ...values },
          action: ctx.path,
        },
        errors,
        [...WHEN_ORDER, 'chair', 'minuteTaker', 'invitees', 'externals'],
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
          statusWords: statusWordsOf({ status: meeting.status, recordedAfter: meeting.recorded_after_event }),
          attendanceWords: Object.fromEntries(ATTENDANCE.map((a) => [a.value, a.text])),
          responseWords: Object.fromEntries(RESPONSES.map((r) => [r.value, r.text])),
          mine,
          responses: RESPONSES,
          canChange: access.canChange && meeting.status === 'scheduled',
          canRecord: access.canChange && meeting.status !== 'cancelled' && hasStarted(meeting.starts_at),
          values: { response: mine?.response ?? '', ...values },
          flash: flash(ctx, {
            arranged: 'Meeting arranged. Invitations have been sent',
            changed: 'Meeting changed. Everyone invited has been sent the new details',
            replied: 'Your reply has been recorded',
            recorded: 'Meeting recorded',
            'recorded-after': 'Meeting recorded. Nobody was sent an invitation for it',
          }),
        },
        errors,
        ['response'],
      ),
    )
  })
}

export const meetingRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/meetings/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: newBody,
    render: formPage,
    initial: async () => ({}),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      const when = readWhen(input, 'to-come')
      const errors = 'errors' in when ? when.errors : {}
      const family = readFamilyInvites(input, familyTakingPart(await loadEpisode(ctx.services.db, ctx.actor.laId, id)), errors)
      if ('errors' in when || Object.keys(errors).length) return invalid(errors)
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
            externalIds: input.externals,
            family,
          },
          ctx.services.config.baseUrl,
        )
        return redirect(`/episodes/${id}/meetings/${meetingId}?done=arranged`)
      } catch (error) {
        if (error instanceof NotInTeam) return invalid({ [error.field]: 'Select people from the Team Around the Family' })
        if (error instanceof FamilyNotInTeam) return invalid({ form: 'Invite only family members who take part in the team' })
        throw error
      }
    },
  }),
  {
    method: 'GET',
    url: '/episodes/:id/meetings/:meetingId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => meetingPage(ctx),
  },
  {
    method: 'GET',
    url: '/episodes/:id/meetings/:meetingId/letter/:personId',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        const meeting = await meetingOf(ctx, episode)
        const person = meeting.family.find((f) => f.personId === idParam(ctx.params.personId) && f.method === 'letter')
        if (!person) throw new NotFound()
        return page('meetings/views/letter.njk', {
          title: 'A meeting about your family’s support',
          episode,
          meeting,
          person,
          words: familyInvitationWords(meeting),
        })
      }),
  },
  {
    method: 'POST',
    url: '/episodes/:id/meetings/:meetingId/respond',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
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
    audit: EPISODE_VIEWED,
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
      const when = readWhen(input, 'to-come')
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
    audit: EPISODE_VIEWED,
    body: cancelBody,
    render: meetingForm('meetings/views/cancel.njk', 'Cancel the meeting', ['reason']),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      await cancelMeeting(ctx.services.db, ctx.actor, await meetingIdIn(ctx), input.reason, ctx.services.config.baseUrl)
      return redirect(`/episodes/${id}?done=meeting-cancelled`)
    },
  }),
  ...recordRoutes,
]
