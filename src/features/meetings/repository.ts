import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import { NotFound } from '../../web/outcome.ts'

export const ATTENDANCE = [
  { value: 'attended', text: 'Attended' },
  { value: 'apologies', text: 'Sent apologies' },
  { value: 'did-not-attend', text: 'Did not attend' },
] as const

export const RESPONSES = [
  { value: 'accepted', text: 'I will attend' },
  { value: 'tentative', text: 'I may attend' },
  { value: 'declined', text: 'I cannot attend (apologies)' },
] as const

export const STATUS_WORDS = { scheduled: 'Arranged', cancelled: 'Cancelled', held: 'Held' } as const

/** A meeting of the council, with its chair, minute taker, invitees and log. Throws NotFound otherwise. */
export async function loadMeeting(db: Kysely<DB>, laId: number, id: number) {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).where('la_id', '=', laId).executeTakeFirst()
  if (!meeting) throw new NotFound()
  const [people, invitees, log] = await Promise.all([
    db.selectFrom('users').select(['id', 'full_name as name', 'email']).where('id', 'in', [meeting.chair_user_id, meeting.minute_taker_user_id]).execute(),
    db
      .selectFrom('meeting_invitees as i')
      .innerJoin('users as u', 'u.id', 'i.user_id')
      .innerJoin('agencies as a', 'a.id', 'i.agency_id')
      .select([
        'i.id',
        'i.user_id as userId',
        'u.full_name as name',
        'u.email',
        'a.name as agencyName',
        'i.response',
        'i.responded_at as respondedAt',
        'i.attendance',
      ])
      .where('i.meeting_id', '=', id)
      .orderBy('u.full_name')
      .execute(),
    db
      .selectFrom('meeting_log as l')
      .innerJoin('users as u', 'u.id', 'l.by_user_id')
      .leftJoin('meeting_invitees as i', 'i.id', 'l.invitee_id')
      .leftJoin('users as iu', 'iu.id', 'i.user_id')
      .select(['l.id', 'l.event', 'l.detail', 'l.at', 'u.full_name as by', 'iu.full_name as invitee'])
      .where('l.meeting_id', '=', id)
      .orderBy('l.at')
      .orderBy('l.id')
      .execute(),
  ])
  const person = (userId: number) => people.find((p) => p.id === userId)!
  return { ...meeting, chair: person(meeting.chair_user_id), minuteTaker: person(meeting.minute_taker_user_id), invitees, log }
}
export type Meeting = Awaited<ReturnType<typeof loadMeeting>>

/** An episode's meetings, soonest first. */
export async function meetingsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const rows = await db
    .selectFrom('meetings as m')
    .innerJoin('users as c', 'c.id', 'm.chair_user_id')
    .select(['m.id', 'm.starts_at as startsAt', 'm.place', 'm.status', 'c.full_name as chair'])
    .where('m.la_id', '=', laId)
    .where('m.episode_id', '=', episodeId)
    .orderBy('m.starts_at')
    .execute()
  return rows.map((m) => ({ ...m, statusText: STATUS_WORDS[m.status] }))
}

/**
 * When the first TAF meeting is due: the council's number of days after the assessment was completed.
 * Overdue once that day has passed without a meeting held.
 */
export async function firstMeetingDue(db: Kysely<DB>, laId: number, episode: { id: number; assessment_completed_at: Date | null }) {
  if (!episode.assessment_completed_at) return null
  const [settings, held] = await Promise.all([
    db.selectFrom('caf_settings').select('first_taf_days').where('la_id', '=', laId).executeTakeFirstOrThrow(),
    db
      .selectFrom('meetings')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('episode_id', '=', episode.id)
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow(),
  ])
  const completedOn = ukDate(episode.assessment_completed_at)
  const due = addDays(completedOn, settings.first_taf_days)
  return { due, days: settings.first_taf_days, held: held.n > 0, overdue: held.n === 0 && today() > due }
}
