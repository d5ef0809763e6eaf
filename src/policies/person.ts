import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { episodeAccess } from './episode.ts'
import { isHub } from './hub.ts'

/**
 * Who may see or change a person's record on the register: the one place the rule is written.
 *
 * - full (every detail, the household, the history): the hub; the agency that made the record;
 *   anyone who works on or may read an episode about the person, once the family has given consent;
 *   anyone who broke the glass with a reason in this session (reviewed by the hub).
 * - limited: the initiator of an episode about the person before the family's consent is recorded sees
 *   what the assessment needs (name, date of birth, address, school) and the episode, not the
 *   register's history, the household or other agencies' records.
 *
 * Rights a route may declare: `start` (start a CAF for someone found in a search: anyone who may search),
 * `read` (the record, full or limited), `edit` (change it: full, and not by breaking the glass).
 */
export type PersonRight = 'start' | 'read' | 'edit'
export type PersonView = 'full' | 'limited'
export type PersonBasis = 'hub' | 'creator-agency' | 'episode' | 'initiator-before-consent' | 'break-glass'

export interface PersonAccess {
  view: PersonView | null
  basis: PersonBasis | null
}

const NONE: PersonAccess = { view: null, basis: null }

/** Whether any episode about the person opens the record to the actor, and how far. */
async function throughEpisodes(db: Kysely<DB>, actor: Actor, personId: number): Promise<PersonView | null> {
  const episodes = await db.selectFrom('episode_people').select('episode_id').where('la_id', '=', actor.laId).where('person_id', '=', personId).execute()
  let view: PersonView | null = null
  for (const e of episodes) {
    const access = await episodeAccess(db, actor, e.episode_id)
    // Breaking the glass, or reading a case at panel, opens the episode, not the register's records.
    if (!access?.basis || access.basis === 'break-glass' || access.basis === 'panel') continue
    if (access.basis !== 'initiator' || access.consentGiven) return 'full'
    view = 'limited'
  }
  return view
}

/** The actor's access to a person of their council, or null when there is no such person. */
export async function personAccess(db: Kysely<DB>, actor: Actor, personId: number): Promise<PersonAccess | null> {
  const person = await db.selectFrom('people').select(['created_by_agency']).where('id', '=', personId).where('la_id', '=', actor.laId).executeTakeFirst()
  if (!person) return null
  if (isHub(actor)) return { view: 'full', basis: 'hub' }
  if (person.created_by_agency === actor.agencyId) return { view: 'full', basis: 'creator-agency' }
  const view = await throughEpisodes(db, actor, personId)
  if (view === 'full') return { view, basis: 'episode' }
  const glass = await db
    .selectFrom('break_glass')
    .select('id')
    .where('session_id', '=', actor.sessionId)
    .where('person_id', '=', personId)
    .where('la_id', '=', actor.laId)
    .where('purpose', '=', 'break-glass')
    .executeTakeFirst()
  if (glass) return { view: 'full', basis: 'break-glass' }
  return view ? { view, basis: 'initiator-before-consent' } : NONE
}

export function personAllows(access: PersonAccess | null, right: PersonRight): boolean {
  if (right === 'start') return true
  if (!access?.view) return false
  // Breaking the glass opens a record for reading, never for changing.
  return right === 'read' || (access.view === 'full' && access.basis !== 'break-glass')
}

/** For a use case: the router's decision taken again. NotFound when the actor may not read it at all; Forbidden when they may read but not this. */
export async function requirePerson(db: Kysely<DB>, actor: Actor, personId: number, right: Exclude<PersonRight, 'start'>): Promise<PersonAccess> {
  const access = await personAccess(db, actor, personId)
  if (!personAllows(access, 'read')) throw new NotFound()
  if (!personAllows(access, right)) throw new Forbidden()
  return access!
}
