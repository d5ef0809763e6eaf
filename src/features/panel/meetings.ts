import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Attendance, DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { momentWords } from '../../web/dates.ts'
import { rolesWith } from '../../web/permissions.ts'
import { requirePanel } from '../../policies/panel.ts'
import { auditAs } from '../audit/audit-log.ts'
import { queueMail } from '../mail/outbox.ts'
import { calendarAttachment, calendarInvitation } from '../meetings/calendar.ts'

/**
 * Multi-agency panel meetings: arranged by the hub with a chair and members from the agencies, who are
 * invited by email with a calendar invitation; cases go on the agenda, the agenda is published (which
 * opens the cases to the members until the end of the meeting day) and attendance is recorded.
 */

export interface PanelMeetingInput {
  startsAt: Date
  durationMinutes: number
  place: string
  chairId: number
  memberIds: number[]
}

/** What a meeting needs and was not given, field to message. */
export class PanelRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('panel refused')
  }
}

/** Who may chair or sit on a panel: the council's users who may see its meetings, with their agency. */
export function panelPeople(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.full_name as name', 'u.email', 'u.agency_id as agencyId', 'a.name as agencyName'])
    .where('u.la_id', '=', laId)
    .where('u.disabled_at', 'is', null)
    .where(sql<boolean>`u.roles && ${sql.val(rolesWith('panel.view'))}::text[]`)
    .orderBy('u.full_name')
    .limit(500)
    .execute()
}

/** Who sits on the meeting (the chair among them), to write to. */
function membersOf(tx: Kysely<DB>, meetingId: number) {
  return tx
    .selectFrom('panel_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.full_name as name', 'u.email'])
    .where('m.meeting_id', '=', meetingId)
    .execute()
}

/** The calendar invitation of a meeting, for its chair and members: it names no child, as calendars are widely shared. */
async function invite(tx: Kysely<DB>, actor: Actor, meetingId: number, baseUrl: string) {
  const m = await tx
    .selectFrom('panel_meetings as pm')
    .innerJoin('users as c', 'c.id', 'pm.chair_user_id')
    .select(['pm.uid', 'pm.sequence', 'pm.starts_at', 'pm.duration_minutes', 'pm.place', 'c.full_name as chair', 'c.email as chairEmail'])
    .where('pm.id', '=', meetingId)
    .executeTakeFirstOrThrow()
  const members = await membersOf(tx, meetingId)
  const ics = calendarInvitation(
    {
      uid: m.uid,
      sequence: m.sequence,
      startsAt: m.starts_at,
      durationMinutes: m.duration_minutes,
      place: m.place,
      title: 'Multi-agency panel',
      description: `The agenda and papers: ${baseUrl}/panel/${meetingId}`,
      organizer: { name: m.chair, email: m.chairEmail },
      attendees: members,
    },
    'REQUEST',
  )
  for (const to of members) {
    await queueMail(tx, {
      laId: actor.laId,
      to: to.email,
      subject: `Multi-agency panel, ${momentWords(m.starts_at)}`,
      text: [
        `Hello ${to.name},`,
        '',
        `You are invited to the multi-agency panel on ${momentWords(m.starts_at)}, at ${m.place}, chaired by ${m.chair}.`,
        '',
        `When the agenda is published you can read the cases on it, until the end of the meeting day: ${baseUrl}/panel/${meetingId}`,
        '',
        'This email names no family, to keep their information safe.',
      ].join('\n'),
      attachments: [calendarAttachment(ics, 'REQUEST')],
    })
  }
}

export async function arrangePanelMeeting(db: Kysely<DB>, actor: Actor, input: PanelMeetingInput, baseUrl: string): Promise<number> {
  const people = await panelPeople(db, actor.laId)
  const chair = people.find((p) => p.id === input.chairId)
  if (!chair) throw new PanelRefused({ chair: 'Select the chair from the list' })
  const ids = [...new Set([input.chairId, ...input.memberIds])]
  if (!ids.every((id) => people.some((p) => p.id === id))) throw new PanelRefused({ members: 'Select the members from the list' })
  return db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('panel_meetings')
      .values({
        la_id: actor.laId,
        starts_at: input.startsAt,
        duration_minutes: input.durationMinutes,
        place: input.place,
        chair_user_id: input.chairId,
        uid: `${randomUUID()}@caf-hub`,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // The chair sits on the panel too.
    await tx
      .insertInto('panel_members')
      .values(ids.map((u) => ({ la_id: actor.laId, meeting_id: id, user_id: u, agency_id: people.find((p) => p.id === u)!.agencyId })))
      .execute()
    await invite(tx, actor, id, baseUrl)
    await auditAs(tx, actor, 'panel.scheduled', { type: 'panel', id }, { members: ids })
    return id
  })
}

/** The chair puts a waiting request on the meeting's agenda. */
export async function placeOnAgenda(db: Kysely<DB>, actor: Actor, meetingId: number, requestId: number): Promise<void> {
  const access = await requirePanel(db, actor, meetingId, 'chair')
  // Members were told what is on a published agenda; a meeting that has happened hears nothing more.
  if (access.published) throw new PanelRefused({ requestId: 'The agenda is published. Put the case on the next panel’s agenda' })
  if (access.over) throw new PanelRefused({ requestId: 'This meeting has happened. Put the case on the next panel’s agenda' })
  const placed = await db
    .updateTable('panel_requests')
    .set({ meeting_id: meetingId })
    .where('id', '=', requestId)
    .where('la_id', '=', actor.laId)
    .where('meeting_id', 'is', null)
    .executeTakeFirst()
  if (!placed.numUpdatedRows) throw new PanelRefused({ requestId: 'That case is not waiting for a panel. It may already be on an agenda' })
  await auditAs(db, actor, 'panel.placed', { type: 'panel', id: meetingId }, { request: requestId })
}

/** Publishing the agenda opens its cases to the members until the end of the meeting day; they are told by email. */
export async function publishAgenda(db: Kysely<DB>, actor: Actor, meetingId: number, baseUrl: string): Promise<void> {
  await requirePanel(db, actor, meetingId, 'chair')
  await db.transaction().execute(async (tx) => {
    const m = await tx
      .selectFrom('panel_meetings')
      .select(['published_at', 'meets_on', 'starts_at'])
      .where('id', '=', meetingId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    if (m.published_at) throw new PanelRefused({ form: 'The agenda is already published' })
    const cases = await tx.selectFrom('panel_requests').select('id').where('meeting_id', '=', meetingId).execute()
    if (!cases.length) throw new PanelRefused({ form: 'Put at least one case on the agenda before publishing it' })
    await tx
      .updateTable('panel_meetings')
      .set({ published_at: sql<Date>`now()` })
      .where('id', '=', meetingId)
      .execute()
    const members = await membersOf(tx, meetingId)
    for (const to of members) {
      await queueMail(tx, {
        laId: actor.laId,
        to: to.email,
        subject: `The agenda for the multi-agency panel, ${momentWords(m.starts_at)}`,
        text: [
          `Hello ${to.name},`,
          '',
          `The agenda for the panel on ${momentWords(m.starts_at)} is published, with ${cases.length} ${cases.length === 1 ? 'case' : 'cases'}.`,
          `You can read them until the end of the meeting day: ${baseUrl}/panel/${meetingId}`,
          '',
          'This email names no family, to keep their information safe.',
        ].join('\n'),
      })
    }
    await auditAs(tx, actor, 'panel.published', { type: 'panel', id: meetingId }, { cases: cases.map((c) => c.id) })
  })
}

/** Who came, as for a Team Around the Family meeting: a member not named keeps what was recorded before. */
export async function recordPanelAttendance(db: Kysely<DB>, actor: Actor, meetingId: number, attendance: Record<number, Attendance>): Promise<void> {
  await requirePanel(db, actor, meetingId, 'chair')
  await db.transaction().execute(async (tx) => {
    const members = await tx.selectFrom('panel_members').select('user_id').where('meeting_id', '=', meetingId).execute()
    const ids = Object.keys(attendance).map(Number)
    if (!ids.every((id) => members.some((m) => m.user_id === id))) throw new PanelRefused({ form: 'Record attendance only for the panel’s members' })
    for (const id of ids) {
      await tx.updateTable('panel_members').set({ attendance: attendance[id]! }).where('meeting_id', '=', meetingId).where('user_id', '=', id).execute()
    }
    await auditAs(tx, actor, 'panel.attendance', { type: 'panel', id: meetingId }, { members: ids })
  })
}
