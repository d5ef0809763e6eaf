import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { askForPanel } from '../../src/features/panel/cases.ts'
import { arrangePanelMeeting, placeOnAgenda } from '../../src/features/panel/meetings.ts'
import type { Actor } from '../../src/web/actor.ts'

/** A panel meeting tomorrow at 10am (UK time rounding aside), chaired by the hub actor, with these members. */
export function buildPanel(db: Kysely<DB>, hub: Actor, memberIds: number[], startsAt = new Date(Date.now() + 86_400_000)) {
  return arrangePanelMeeting(db, hub, { startsAt, durationMinutes: 90, place: 'Civic Centre, Room 2', chairId: hub.userId, memberIds }, 'https://caf.example')
}

export const ASK = { stuck: 'School refusal for a term', tried: 'Two TAF meetings and a mentor', asked: 'A place at the nurture group' }

/** The lead asks for panel and the hub puts the case on this meeting's agenda; returns the request's id. */
export async function onAgenda(db: Kysely<DB>, lead: Actor, hub: Actor, episodeId: number, meetingId: number) {
  const request = await askForPanel(db, lead, episodeId, ASK)
  await placeOnAgenda(db, hub, meetingId, request)
  return request
}
