import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { queueMail } from '../mail/outbox.ts'
import { calendarAttachment } from './calendar.ts'
import type { Meeting } from './repository.ts'

/** How a family member who takes part in the team is invited to a meeting. */
export interface FamilyInvite {
  personId: number
  method: 'email' | 'letter'
  email: string | null
}

export class FamilyNotInTeam extends Error {
  constructor() {
    super('only family members who take part in the team are invited')
  }
}

/** Records who in the family is invited, and how. Only family members who take part in the team may be. */
export async function inviteFamily(tx: Kysely<DB>, actor: Actor, episodeId: number, meetingId: number, family: readonly FamilyInvite[]) {
  if (!family.length) return
  const taking = await tx.selectFrom('episode_people').select('person_id').where('episode_id', '=', episodeId).where('in_team', '=', true).execute()
  if (!family.every((f) => taking.some((p) => p.person_id === f.personId))) throw new FamilyNotInTeam()
  await tx
    .insertInto('meeting_family_invitations')
    .values(
      family.map((f) => ({ la_id: actor.laId, meeting_id: meetingId, person_id: f.personId, method: f.method, email: f.email, invited_by: actor.userId })),
    )
    .execute()
}

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'full', timeStyle: 'short' })

const OPENING = {
  invited: 'You are invited to a meeting about the help your family is getting.',
  updated: 'The meeting about the help your family is getting has changed. The details below are the new ones.',
  cancelled: 'The meeting about the help your family is getting has been cancelled. We will be in touch about another one.',
} as const

/**
 * What the family is told about a meeting, in plain words, for the email and the printed letter alike:
 * when and where, what happens there, and who to contact. It names no child.
 */
export function familyInvitationWords(meeting: Meeting, event: keyof typeof OPENING = 'invited') {
  return {
    opening: OPENING[event],
    when: `${when.format(meeting.starts_at)}, for about ${meeting.duration_minutes} minutes`,
    where: meeting.place,
    who: meeting.invitees.map((i) => `${i.name} (${i.role ? `${i.role}, ` : ''}${i.agencyName})`),
    what: 'The people helping your family meet with you to talk about how things are going and agree what happens next. Your views matter most: you can say what is working and what is not. You can bring someone with you for support.',
    contact: `If you cannot come, need an interpreter or signer, or have a question, contact ${meeting.chair.name}: ${meeting.chair.email}.`,
  }
}

/** Emails the family members invited by email, with the calendar invitation (or its cancellation) attached. */
export async function emailFamily(tx: Kysely<DB>, actor: Actor, meeting: Meeting, event: keyof typeof OPENING, ics: string, method: 'REQUEST' | 'CANCEL') {
  const words = familyInvitationWords(meeting, event)
  for (const f of meeting.family.filter((x) => x.method === 'email')) {
    const text = [
      `Dear ${f.name},`,
      '',
      words.opening,
      '',
      `When: ${words.when}`,
      `Where: ${words.where}`,
      ...(event === 'cancelled' ? [] : ['', 'What happens at the meeting:', words.what, '', 'Who is invited:', ...words.who.map((w) => `- ${w}`)]),
      '',
      words.contact,
    ].join('\n')
    const subject = event === 'cancelled' ? 'Cancelled: a meeting about your family’s support' : 'A meeting about your family’s support'
    await queueMail(tx, { laId: actor.laId, to: f.email!, subject, text, attachments: [calendarAttachment(ics, method)] })
  }
}
