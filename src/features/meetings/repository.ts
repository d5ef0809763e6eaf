import { randomUUID } from 'node:crypto'
import { sql, type Expression, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
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

/** A meeting's status in words, saying when one held was written up afterwards without being arranged here. */
export function statusWordsOf(m: { status: keyof typeof STATUS_WORDS; recordedAfter: boolean }): string {
  return m.recordedAfter ? 'Held (recorded after the event)' : STATUS_WORDS[m.status]
}

/** A meeting of the council, with its chair, minute taker, invitees, family invited and log. Throws NotFound otherwise. */
export async function loadMeeting(db: Kysely<DB>, laId: number, id: number) {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).where('la_id', '=', laId).executeTakeFirst()
  if (!meeting) throw new NotFound()
  const [people, invitees, family, log] = await Promise.all([
    db.selectFrom('users').select(['id', 'full_name as name', 'email']).where('id', 'in', [meeting.chair_user_id, meeting.minute_taker_user_id]).execute(),
    db
      .selectFrom('meeting_invitees as i')
      .leftJoin('users as u', 'u.id', 'i.user_id')
      .leftJoin('team_externals as x', 'x.id', 'i.external_id')
      .innerJoin('agencies as a', 'a.id', 'i.agency_id')
      .select((eb) => [
        'i.id',
        'i.user_id as userId',
        // A member of the team without an account: invited and sent the minutes by email.
        'i.external_id as externalId',
        eb.fn.coalesce('u.full_name', 'x.name').$notNull().as('name'),
        eb.fn.coalesce('u.email', 'x.email').$notNull().as('email'),
        'x.role',
        'a.name as agencyName',
        'i.response',
        'i.responded_at as respondedAt',
        'i.attendance',
      ])
      .where('i.meeting_id', '=', id)
      .orderBy(sql`coalesce(u.full_name, x.name)`)
      .execute(),
    db
      .selectFrom('meeting_family_invitations as f')
      .innerJoin('people as p', 'p.id', 'f.person_id')
      .select(['f.person_id as personId', 'p.given_name', 'p.family_name', 'f.method', 'f.email'])
      .where('f.meeting_id', '=', id)
      .orderBy('p.date_of_birth')
      .execute(),
    db
      .selectFrom('meeting_log as l')
      .innerJoin('users as u', 'u.id', 'l.by_user_id')
      .leftJoin('meeting_invitees as i', 'i.id', 'l.invitee_id')
      .leftJoin('users as iu', 'iu.id', 'i.user_id')
      .leftJoin('team_externals as ix', 'ix.id', 'i.external_id')
      .select((eb) => ['l.id', 'l.event', 'l.detail', 'l.at', 'u.full_name as by', eb.fn.coalesce('iu.full_name', 'ix.name').as('invitee')])
      .where('l.meeting_id', '=', id)
      .orderBy('l.at')
      .orderBy('l.id')
      .execute(),
  ])
  const person = (userId: number) => people.find((p) => p.id === userId)!
  return {
    ...meeting,
    chair: person(meeting.chair_user_id),
    minuteTaker: person(meeting.minute_taker_user_id),
    invitees,
    /** Family members invited, by email or by a letter the practitioner prints. */
    family: family.map(({ given_name, family_name, ...f }) => ({ ...f, name: [given_name, family_name].filter(Boolean).join(' ') })),
    log,
  }
}
export type Meeting = Awaited<ReturnType<typeof loadMeeting>>

/** A meeting can be recorded as held once it has started, not before. */
export function hasStarted(startsAt: Date, now = new Date()): boolean {
  return startsAt.getTime() <= now.getTime()
}

/** The SQL that writes a new meeting: arranged (to come), or written up after it was held. */
export function insertMeeting(
  tx: Kysely<DB>,
  actor: { laId: number; userId: number },
  episodeId: number,
  m: { startsAt: Date; durationMinutes: number; place: string; chairId: number; minuteTakerId: number },
  held?: { familyPresent: boolean; familyAbsentReason: string | null; minutes: string; decisions: string | null },
) {
  return tx
    .insertInto('meetings')
    .values({
      la_id: actor.laId,
      episode_id: episodeId,
      starts_at: m.startsAt,
      duration_minutes: m.durationMinutes,
      place: m.place,
      chair_user_id: m.chairId,
      minute_taker_user_id: m.minuteTakerId,
      uid: `${randomUUID()}@caf-hub`,
      created_by: actor.userId,
      ...(held
        ? {
            status: 'held' as const,
            recorded_after_event: true,
            family_present: held.familyPresent,
            family_absent_reason: held.familyPresent ? null : held.familyAbsentReason,
            minutes: held.minutes,
            decisions: held.decisions,
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** An episode's meetings, soonest first: a query for the episode page's read model. */
export function meetingsOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return db
    .selectFrom('meetings as m')
    .innerJoin('users as c', 'c.id', 'm.chair_user_id')
    .select(['m.id', 'm.starts_at as startsAt', 'm.place', 'm.status', 'm.recorded_after_event as recordedAfter', 'c.full_name as chair'])
    .where('m.episode_id', '=', episodeId)
    .orderBy('m.starts_at')
}
