import { sql, type Kysely } from 'kysely'
import type { DB, InviteResponse } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, WrongStage } from '../../web/outcome.ts'
import { saveIfUnchanged } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { currentTeam, externalsOf } from '../episodes/repository.ts'
import { requireStage } from '../episodes/stages.ts'
import { queueMail } from '../mail/outbox.ts'
import { calendarAttachment, calendarInvitation } from './calendar.ts'
import { emailFamily, inviteFamily, type FamilyInvite } from './family.ts'
import { insertMeeting, loadMeeting, type Meeting } from './repository.ts'

export interface MeetingInput {
  startsAt: Date
  durationMinutes: number
  place: string
  chairId: number
  minuteTakerId: number
  inviteeIds: number[]
  /** Members of the team without an account, invited by email. */
  externalIds: number[]
  /** Family members who take part in the team, invited by email or letter. */
  family: FamilyInvite[]
}

export class NotInTeam extends Error {
  constructor(public readonly field: 'chair' | 'minuteTaker' | 'invitees' | 'externals') {
    super('not in the team')
  }
}

/** The episode's team, once the chair, the minute taker and everyone else at the meeting are found in it. */
export async function teamFor(tx: Kysely<DB>, episodeId: number, people: { chairId: number; minuteTakerId: number }, others: number[]) {
  const team = await currentTeam(tx, episodeId)
  const inTeam = (id: number) => team.some((m) => m.userId === id)
  if (!inTeam(people.chairId)) throw new NotInTeam('chair')
  if (!inTeam(people.minuteTakerId)) throw new NotInTeam('minuteTaker')
  if (!others.every(inTeam)) throw new NotInTeam('invitees')
  return team
}

/**
 * Arranges a TAF meeting and invites the people chosen from the team: each gets an email with a
 * calendar invitation, written to the outbox in the same transaction, and each invitation is logged.
 */
export async function scheduleMeeting(db: Kysely<DB>, actor: Actor, episodeId: number, input: MeetingInput, baseUrl: string): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'meetings')
    const team = await teamFor(tx, episodeId, input, input.inviteeIds)
    // The chair and the minute taker are at the meeting, so they are invited too.
    const invited = [...new Set([input.chairId, input.minuteTakerId, ...input.inviteeIds])]
    const externals = await externalsOf(tx, episodeId).execute()
    if (!input.externalIds.every((id) => externals.some((x) => x.id === id))) throw new NotInTeam('externals')
    const meeting = await insertMeeting(tx, actor, episodeId, input)
    await tx
      .insertInto('meeting_invitees')
      .values([
        ...invited.map((id) => ({ la_id: actor.laId, meeting_id: meeting.id, user_id: id, agency_id: team.find((m) => m.userId === id)!.agencyId })),
        ...input.externalIds.map((id) => ({
          la_id: actor.laId,
          meeting_id: meeting.id,
          external_id: id,
          agency_id: externals.find((x) => x.id === id)!.agencyId,
        })),
      ])
      .execute()
    await inviteFamily(tx, actor, episodeId, meeting.id, input.family)
    await sendInvitations(tx, actor, await loadMeeting(tx, actor.laId, meeting.id), 'invited', baseUrl)
    await auditAs(
      tx,
      actor,
      'meeting.scheduled',
      { type: 'episode', id: episodeId },
      { meetingId: meeting.id, invited, externals: input.externalIds, family: input.family.map((f) => ({ personId: f.personId, by: f.method })) },
    )
    return meeting.id
  })
}

export interface ChangeInput {
  startsAt: Date
  durationMinutes: number
  place: string
  version: number
}

/** Moves a meeting (time or place): everyone invited gets an update of the same calendar event. */
export async function changeMeeting(db: Kysely<DB>, actor: Actor, meetingId: number, input: ChangeInput, baseUrl: string): Promise<void> {
  const before = await loadMeeting(db, actor.laId, meetingId)
  await requireEpisode(db, actor, before.episode_id, 'work')
  await db.transaction().execute(async (tx) => {
    // A meeting belongs to the work after the assessment: none is changed once the episode has closed.
    await requireStage(tx, actor.laId, before.episode_id, 'meetings')
    await saveIfUnchanged(
      tx
        .updateTable('meetings')
        .set({
          starts_at: input.startsAt,
          duration_minutes: input.durationMinutes,
          place: input.place,
          sequence: sql<number>`sequence + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', meetingId)
        .where('la_id', '=', actor.laId)
        .where('status', '=', 'scheduled'),
      input.version,
      async () => {
        const now = await loadMeeting(tx, actor.laId, meetingId)
        if (now.status !== 'scheduled') throw new WrongStage()
        return { startsAt: now.starts_at, place: now.place, durationMinutes: now.duration_minutes }
      },
    )
    await sendInvitations(tx, actor, await loadMeeting(tx, actor.laId, meetingId), 'updated', baseUrl)
    await auditAs(tx, actor, 'meeting.changed', { type: 'episode', id: before.episode_id }, { meetingId })
  })
}

/** Cancels a meeting: everyone invited gets a cancellation of the calendar event, with the reason. */
export async function cancelMeeting(db: Kysely<DB>, actor: Actor, meetingId: number, reason: string, baseUrl: string): Promise<void> {
  const before = await loadMeeting(db, actor.laId, meetingId)
  await requireEpisode(db, actor, before.episode_id, 'work')
  await db.transaction().execute(async (tx) => {
    // A meeting belongs to the work after the assessment: none is changed once the episode has closed.
    await requireStage(tx, actor.laId, before.episode_id, 'meetings')
    const updated = await tx
      .updateTable('meetings')
      .set({ status: 'cancelled', sequence: sql<number>`sequence + 1`, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', meetingId)
      .where('la_id', '=', actor.laId)
      .where('status', '=', 'scheduled')
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new WrongStage()
    await sendInvitations(tx, actor, await loadMeeting(tx, actor.laId, meetingId), 'cancelled', baseUrl, reason)
    await auditAs(tx, actor, 'meeting.cancelled', { type: 'episode', id: before.episode_id }, { meetingId })
  })
}

const EMAIL_WORDS = {
  invited: { subject: 'Invitation: Team Around the Family meeting', lead: 'You are invited to a Team Around the Family meeting.' },
  updated: {
    subject: 'Changed: Team Around the Family meeting',
    lead: 'A Team Around the Family meeting you were invited to has changed. The details below are the new ones.',
  },
  cancelled: { subject: 'Cancelled: Team Around the Family meeting', lead: 'A Team Around the Family meeting you were invited to has been cancelled.' },
} as const

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' })

/**
 * One email per invitee with the calendar invitation attached, each logged against the invitee. The
 * email names no child: it says where and when, and links to the meeting for those who may see it.
 */
async function sendInvitations(tx: Kysely<DB>, actor: Actor, meeting: Meeting, event: 'invited' | 'updated' | 'cancelled', baseUrl: string, reason?: string) {
  const method = event === 'cancelled' ? 'CANCEL' : 'REQUEST'
  const link = `${baseUrl}/episodes/${meeting.episode_id}/meetings/${meeting.id}`
  const words = EMAIL_WORDS[event]
  const ics = calendarInvitation(
    {
      uid: meeting.uid,
      sequence: meeting.sequence,
      startsAt: meeting.starts_at,
      durationMinutes: meeting.duration_minutes,
      place: meeting.place,
      title: `Team Around the Family meeting (CAF episode ${meeting.episode_id})`,
      description: `Details and how to reply: ${link}`,
      organizer: { name: meeting.chair.name, email: meeting.chair.email },
      attendees: meeting.invitees.map((i) => ({ name: i.name, email: i.email })),
    },
    method,
  )
  await emailFamily(tx, actor, meeting, event, ics, method)
  for (const invitee of meeting.invitees) {
    const text = [
      `Dear ${invitee.name},`,
      '',
      words.lead,
      '',
      `When: ${when.format(meeting.starts_at)} (${meeting.duration_minutes} minutes)`,
      `Where: ${meeting.place}`,
      `Chair: ${meeting.chair.name}`,
      ...(reason ? ['', `Why it was cancelled: ${reason}`] : []),
      '',
      ...replyLines(invitee, meeting, event, link),
      '',
      'The calendar invitation is attached.',
    ].join('\n')
    const outboxId = await queueMail(tx, { laId: actor.laId, to: invitee.email, subject: words.subject, text, attachments: [calendarAttachment(ics, method)] })
    await tx
      .insertInto('meeting_log')
      .values({
        la_id: actor.laId,
        meeting_id: meeting.id,
        invitee_id: invitee.id,
        event,
        detail: reason ?? null,
        outbox_id: outboxId,
        by_user_id: actor.userId,
      })
      .execute()
  }
}

/** How to reply: at the meeting's page for those with an account; by email to the chair for those without one. */
function replyLines(invitee: Meeting['invitees'][number], meeting: Meeting, event: 'invited' | 'updated' | 'cancelled', link: string): string[] {
  if (invitee.externalId) return event === 'cancelled' ? [] : [`To reply or send apologies, email the chair, ${meeting.chair.name}: ${meeting.chair.email}`]
  return [event === 'cancelled' ? `More at: ${link}` : `Please reply, or send your apologies, at: ${link}`]
}

/**
 * The minutes and decisions of a meeting written up, by email to the members of the team invited who
 * have no account (they cannot read them in CAF Hub). Sent again, marked as corrected, if the record changes.
 */
export async function sendMinutes(tx: Kysely<DB>, actor: Actor, meeting: Meeting, corrected: boolean) {
  for (const invitee of meeting.invitees.filter((i) => i.externalId)) {
    const text = [
      `Dear ${invitee.name},`,
      '',
      `${corrected ? 'These are the corrected minutes' : 'These are the minutes'} of the Team Around the Family meeting on ${when.format(meeting.starts_at)} at ${meeting.place}, chaired by ${meeting.chair.name}.`,
      '',
      'Minutes:',
      meeting.minutes ?? '',
      ...(meeting.decisions ? ['', 'Decisions:', meeting.decisions] : []),
      '',
      'The family agreed to share this with your organisation. Keep it securely, and do not pass it on.',
      `Questions to the chair, ${meeting.chair.name}: ${meeting.chair.email}`,
    ].join('\n')
    const subject = `${corrected ? 'Corrected minutes' : 'Minutes'}: Team Around the Family meeting`
    await queueMail(tx, { laId: actor.laId, to: invitee.email, subject, text })
  }
}

/** An invitee answers for themself: attending, not attending, or not sure yet. */
export async function respond(db: Kysely<DB>, actor: Actor, meetingId: number, response: InviteResponse): Promise<void> {
  const meeting = await loadMeeting(db, actor.laId, meetingId)
  const invitee = meeting.invitees.find((i) => i.userId === actor.userId)
  if (!invitee) throw new Forbidden()
  if (meeting.status !== 'scheduled') throw new WrongStage()
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('meeting_invitees')
      .set({ response, responded_at: sql<Date>`now()` })
      .where('id', '=', invitee.id)
      .execute()
    await tx
      .insertInto('meeting_log')
      .values({ la_id: actor.laId, meeting_id: meetingId, invitee_id: invitee.id, event: 'response', detail: response, by_user_id: actor.userId })
      .execute()
    await auditAs(tx, actor, 'meeting.response', { type: 'episode', id: meeting.episode_id }, { meetingId, response })
  })
}
