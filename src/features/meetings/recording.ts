import { sql, type Kysely } from 'kysely'
import type { Attendance, DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound, WrongStage } from '../../web/outcome.ts'
import { saveIfUnchanged } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { requireStage } from '../episodes/stages.ts'
import { hasStarted, insertMeeting, loadMeeting } from './repository.ts'
import { sendMinutes, teamFor } from './use-cases.ts'

/** Thrown when a meeting is recorded as held before it has started. */
export class NotStartedYet extends Error {
  constructor(public readonly startsAt: Date) {
    super('the meeting has not started yet')
  }
}

export interface RecordInput {
  attendance: Record<number, Attendance>
  familyPresent: boolean
  familyAbsentReason: string | null
  minutes: string
  decisions: string | null
  version: number
}

/** After an arranged meeting has started: who came, whether the family was there (and why not), the minutes and decisions. */
export async function recordMeeting(db: Kysely<DB>, actor: Actor, meetingId: number, input: RecordInput): Promise<void> {
  const before = await loadMeeting(db, actor.laId, meetingId)
  await requireEpisode(db, actor, before.episode_id, 'work')
  if (!before.invitees.every((i) => input.attendance[i.id])) throw new NotFound()
  if (!hasStarted(before.starts_at)) throw new NotStartedYet(before.starts_at)
  await db.transaction().execute(async (tx) => {
    // A meeting belongs to the work after the assessment: none is changed once the episode has closed.
    await requireStage(tx, actor.laId, before.episode_id, 'meetings')
    await saveIfUnchanged(
      tx
        .updateTable('meetings')
        .set({
          status: 'held',
          family_present: input.familyPresent,
          family_absent_reason: input.familyPresent ? null : input.familyAbsentReason,
          minutes: input.minutes,
          decisions: input.decisions,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', meetingId)
        .where('la_id', '=', actor.laId)
        .where('status', '!=', 'cancelled'),
      input.version,
      async () => {
        const now = await loadMeeting(tx, actor.laId, meetingId)
        if (now.status === 'cancelled') throw new WrongStage()
        return { minutes: now.minutes, decisions: now.decisions }
      },
    )
    for (const invitee of before.invitees) await logAttendance(tx, actor, meetingId, invitee.id, input.attendance[invitee.id]!)
    await sendMinutes(tx, actor, await loadMeeting(tx, actor.laId, meetingId), before.status === 'held')
    await auditAs(tx, actor, 'meeting.recorded', { type: 'episode', id: before.episode_id }, { meetingId })
  })
}

export interface PastMeetingInput {
  startsAt: Date
  durationMinutes: number
  place: string
  chairId: number
  minuteTakerId: number
  /** Each member of the team who was invited, by user id: whether they came. The chair and minute taker came. */
  attendance: Record<number, Attendance>
  familyPresent: boolean
  familyAbsentReason: string | null
  minutes: string
  decisions: string | null
}

/**
 * A meeting that already happened, written up afterwards (it may predate CAF Hub): held at once,
 * marked as recorded after the event, with no invitations sent.
 */
export async function recordPastMeeting(db: Kysely<DB>, actor: Actor, episodeId: number, input: PastMeetingInput): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'work')
  if (!hasStarted(input.startsAt)) throw new NotStartedYet(input.startsAt)
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'meetings')
    const attendance: Record<number, Attendance> = { ...input.attendance, [input.chairId]: 'attended', [input.minuteTakerId]: 'attended' }
    const present = Object.keys(attendance).map(Number)
    const team = await teamFor(tx, episodeId, input, present)
    const meeting = await insertMeeting(tx, actor, episodeId, input, input)
    for (const userId of present) {
      const invitee = await tx
        .insertInto('meeting_invitees')
        .values({ la_id: actor.laId, meeting_id: meeting.id, user_id: userId, agency_id: team.find((m) => m.userId === userId)!.agencyId })
        .returning('id')
        .executeTakeFirstOrThrow()
      await logAttendance(tx, actor, meeting.id, invitee.id, attendance[userId]!)
    }
    await auditAs(tx, actor, 'meeting.recorded-after-event', { type: 'episode', id: episodeId }, { meetingId: meeting.id })
    return meeting.id
  })
}

async function logAttendance(tx: Kysely<DB>, actor: Actor, meetingId: number, inviteeId: number, attendance: Attendance) {
  await tx.updateTable('meeting_invitees').set({ attendance }).where('id', '=', inviteeId).execute()
  await tx
    .insertInto('meeting_log')
    .values({ la_id: actor.laId, meeting_id: meetingId, invitee_id: inviteeId, event: 'attendance', detail: attendance, by_user_id: actor.userId })
    .execute()
}
