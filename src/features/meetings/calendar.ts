import { createEvent } from 'ics'
import type { MailAttachment } from '../../db/schema.ts'

export interface CalendarPerson {
  name: string
  email: string
}

export interface CalendarMeeting {
  uid: string
  sequence: number
  startsAt: Date
  durationMinutes: number
  place: string
  /** What the invitation is called in the calendar. Never a child's name: calendars are widely shared. */
  title: string
  description: string
  organizer: CalendarPerson
  attendees: CalendarPerson[]
}

/**
 * A calendar invitation (iCalendar, RFC 5545) for a meeting: METHOD:REQUEST for an invitation or a
 * change, METHOD:CANCEL for a cancellation. A change or cancellation keeps the UID and carries a higher
 * SEQUENCE, so calendars update the event they already have rather than adding another.
 */
export function calendarInvitation(meeting: CalendarMeeting, method: 'REQUEST' | 'CANCEL'): string {
  const start = meeting.startsAt
  const { error, value } = createEvent({
    method,
    productId: 'caf-hub/meetings',
    uid: meeting.uid,
    sequence: meeting.sequence,
    start: start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: meeting.durationMinutes },
    title: meeting.title,
    description: meeting.description,
    location: meeting.place,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: meeting.organizer.name, email: meeting.organizer.email },
    attendees: meeting.attendees.map((a) => ({ name: a.name, email: a.email, rsvp: true, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' })),
  })
  if (error || !value) throw error ?? new Error('the calendar invitation could not be made')
  return value
}

/** The invitation as an email attachment that calendar programs recognise. */
export function calendarAttachment(ics: string, method: 'REQUEST' | 'CANCEL'): MailAttachment {
  return {
    filename: method === 'CANCEL' ? 'cancelled.ics' : 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: Buffer.from(ics, 'utf8').toString('base64'),
  }
}
