import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { isCurrentLead } from '../features/episodes/repository.ts'
import { isHub } from './hub.ts'

/**
 * Who may do what with a CAF episode: the one place the rule is written. Routes declare the right
 * they need (`record: { episode: 'read' | 'work' | 'lead' }`) and the router asks `episodeAllows`
 * before the handler runs; use cases ask again with `requireEpisode`.
 *
 * - read: the hub always. Otherwise the initiator, the lead professional (or the one proposed, so they
 *   can read before accepting), members of the Team Around the Family, users of the agencies named in
 *   the family's current consent, and managers of the agency that started the episode or has someone
 *   in its team. Once the family withdraws consent for an agency, its users lose access from that
 *   moment, whatever else they are — except that when the family refuses or withdraws consent
 *   altogether, the lead professional and the initiator keep access to record what happens next.
 *   Anyone else only by breaking the glass (reading only, for the rest of that session, reviewed by
 *   the hub).
 * - work (change it): the hub, the initiator, the lead professional and the team.
 * - lead (close, step up, reopen): the lead professional who accepted, or the hub (for a family with no lead).
 */
export type EpisodeRight = 'read' | 'work' | 'lead'
export type EpisodeBasis = 'hub' | 'initiator' | 'lead' | 'team' | 'consented-agency' | 'manager' | 'break-glass'

export interface EpisodeAccess {
  /** Why the actor may read it, or null: they may not. */
  basis: EpisodeBasis | null
  canChange: boolean
  /** The hub, or the lead professional who has accepted: may close, step up and reopen. */
  leads: boolean
  /** The family has given consent (and not withdrawn it altogether): the episode's people's records open up to those who work on it. */
  consentGiven: boolean
}

/** Bases that let a user change the episode, not only read it. */
const WORKING: readonly EpisodeBasis[] = ['hub', 'initiator', 'lead', 'team']

async function grounds(db: Kysely<DB>, actor: Actor, episodeId: number) {
  const row = await db
    .selectFrom('episodes as e')
    .select([
      sql<boolean>`e.initiator_user_id = ${actor.userId}`.as('initiator'),
      sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = e.id and l.user_id = ${actor.userId}
        and l.ended_at is null and l.declined_at is null)`.as('lead'),
      sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = e.id and l.user_id = ${actor.userId} and ${isCurrentLead('l')})`.as(
        'acceptedLead',
      ),
      sql<boolean>`exists (select 1 from team_members t where t.episode_id = e.id and t.user_id = ${actor.userId} and t.left_at is null)`.as('team'),
      sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is null)`.as(
        'consented',
      ),
      sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is not null)`.as(
        'withdrawn',
      ),
      sql<string | null>`(select case when c.decision = 'refused' or c.withdrawn_on is not null then 'ended' else 'given' end
        from consents c where c.episode_id = e.id order by c.recorded_at desc, c.id desc limit 1)`.as('consent'),
      sql<boolean>`e.initiator_agency_id = ${actor.agencyId} or exists (select 1 from team_members t where t.episode_id = e.id
        and t.agency_id = ${actor.agencyId} and t.left_at is null)`.as('agencyWork'),
      sql<boolean>`exists (select 1 from break_glass b where b.session_id = ${actor.sessionId} and b.episode_id = e.id and b.purpose = 'break-glass')`.as(
        'glass',
      ),
    ])
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', actor.laId)
    .executeTakeFirst()
  return row ?? null
}

function basisFrom(actor: Actor, g: NonNullable<Awaited<ReturnType<typeof grounds>>>): EpisodeBasis | null {
  if (isHub(actor)) return 'hub'
  // Withdrawn and not given again: the family said no to this agency, so nothing else counts.
  const keepsCase = g.consent === 'ended' && (g.lead || g.initiator)
  const cutOff = g.withdrawn && !g.consented && !keepsCase
  if (!cutOff) {
    if (g.lead) return 'lead'
    if (g.initiator) return 'initiator'
    if (g.team) return 'team'
    if (g.consented) return 'consented-agency'
    if (g.agencyWork && actor.roles.includes('manager')) return 'manager'
  }
  return g.glass ? 'break-glass' : null
}

/** The actor's access to an episode of their council, or null when there is no such episode. */
export async function episodeAccess(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<EpisodeAccess | null> {
  const g = await grounds(db, actor, episodeId)
  if (!g) return null
  const basis = basisFrom(actor, g)
  const canChange = basis !== null && WORKING.includes(basis)
  return { basis, canChange, leads: canChange && (basis === 'hub' || g.acceptedLead), consentGiven: g.consent === 'given' }
}

export function episodeAllows(access: EpisodeAccess | null, right: EpisodeRight): boolean {
  if (!access || access.basis === null) return false
  if (right === 'read') return true
  return right === 'work' ? access.canChange : access.leads
}

/**
 * For a use case: the same decision the router made, taken again inside the change. Throws NotFound
 * when the actor may not even read the episode (so a refusal and an unknown id look the same), and
 * Forbidden when they may read but not do this.
 */
export async function requireEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, right: EpisodeRight): Promise<EpisodeAccess> {
  const access = await episodeAccess(db, actor, episodeId)
  if (!episodeAllows(access, 'read')) throw new NotFound()
  if (!episodeAllows(access, right)) throw new Forbidden()
  return access!
}
