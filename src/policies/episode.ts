import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { isCurrentLead } from '../features/episodes/repository.ts'
import { isHub } from './hub.ts'
import { panelReads } from './panel.ts'
import { rolesAllow } from '../web/permissions.ts'

/**
 * Who may do what with a CAF episode: the one place the rule is written. Routes declare the right
 * they need (`record: { episode: 'read' | 'work' | 'lead' }`) and the router asks `episodeAllows`
 * before the handler runs; use cases ask again with `requireEpisode`.
 *
 * - read: the hub always. Otherwise the initiator, the lead professional (or the one proposed, so they
 *   can read before accepting), members of the Team Around the Family, users of the agencies named in
 *   the family's current consent, managers of the agency that started the episode or has someone
 *   in its team, and a locality's manager for the episodes of the locality they manage. Once the family withdraws consent for an agency, its users lose access from that
 *   moment, whatever else they are — except that when the family refuses or withdraws consent
 *   altogether, the lead professional and the initiator keep access to record what happens next.
 *   Members of a multi-agency panel read the episodes on its published agenda until the end of the
 *   meeting day (policies/panel.ts), reading only. Anyone else only by breaking the glass (reading
 *   only, for the rest of that session, reviewed by the hub).
 * - work (change it): the hub, the initiator, the lead professional and the team.
 * - lead (close, step up, reopen): the lead professional who accepted, or the hub (for a family with no lead).
 */
export type EpisodeRight = 'read' | 'work' | 'lead'
export type EpisodeBasis = 'hub' | 'initiator' | 'lead' | 'team' | 'consented-agency' | 'manager' | 'panel' | 'break-glass'

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

/** The facts about the actor and the episode (as `e`) the rule is decided from, each an SQL condition. */
function facts(actor: Actor) {
  const consentEnded = sql<boolean>`coalesce((select c.decision = 'refused' or c.withdrawn_on is not null
    from consents c where c.episode_id = e.id order by c.recorded_at desc, c.id desc limit 1), false)`
  const lead = sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = e.id and l.user_id = ${actor.userId}
    and l.ended_at is null and l.declined_at is null)`
  const initiator = sql<boolean>`e.initiator_user_id = ${actor.userId}`
  const consented = sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is null)`
  const withdrawn = sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is not null)`
  return {
    lead,
    initiator,
    team: sql<boolean>`exists (select 1 from team_members t where t.episode_id = e.id and t.user_id = ${actor.userId} and t.left_at is null)`,
    consented,
    // Withdrawn and not given again: the family said no to this agency, so nothing else counts —
    // except that when the family refuses or withdraws consent altogether, the lead and the initiator
    // keep the case to record what happens next.
    cutOff: sql<boolean>`(${withdrawn} and not ${consented} and not (${consentEnded} and (${lead} or ${initiator})))`,
    manager: actor.roles.includes('manager') ? managerSees(actor) : sql<boolean>`false`,
    consentEnded,
    // Only those who may sit on a panel can read by it: for everyone else the question is never asked.
    panel: rolesAllow(actor.roles, 'panel.view') ? panelReads(actor) : sql<boolean>`false`,
    glass: sql<boolean>`exists (select 1 from break_glass b where b.session_id = ${actor.sessionId} and b.episode_id = e.id and b.purpose = 'break-glass')`,
  }
}

/** A manager's own scope: the episodes their agency started or has someone in the team of, and those of the locality they manage. */
export function managerSees(actor: Pick<Actor, 'agencyId' | 'managesLocalityId'>) {
  const agencyWork = sql<boolean>`(e.initiator_agency_id = ${actor.agencyId} or exists (select 1 from team_members t where t.episode_id = e.id
    and t.agency_id = ${actor.agencyId} and t.left_at is null))`
  return actor.managesLocalityId ? sql<boolean>`(${agencyWork} or e.locality_id = ${actor.managesLocalityId})` : agencyWork
}

/** Why the actor may read the episode `e`, as SQL: a basis, or null. Breaking the glass counts only when `glass`. */
function basisOf(actor: Actor, glass: boolean) {
  if (isHub(actor)) return sql<EpisodeBasis | null>`'hub'`
  const f = facts(actor)
  const byRight = sql<EpisodeBasis | null>`case when ${f.cutOff} then null when ${f.lead} then 'lead' when ${f.initiator} then 'initiator'
    when ${f.team} then 'team' when ${f.consented} then 'consented-agency' when ${f.manager} then 'manager' when ${f.panel} then 'panel' end`
  return glass ? sql<EpisodeBasis | null>`coalesce(${byRight}, case when ${f.glass} then 'break-glass' end)` : byRight
}

/**
 * For a list of episodes (a work queue, a count): the episodes, as `e`, the actor may read by right —
 * the same rule as `episodeAccess`, without breaking the glass, which opens one record at a time.
 */
export function readableBy(actor: Actor) {
  return isHub(actor) ? sql<boolean>`true` : sql<boolean>`(${basisOf(actor, false)}) is not null`
}

async function grounds(db: Kysely<DB>, actor: Actor, episodeId: number) {
  const row = await db
    .selectFrom('episodes as e')
    .select([
      basisOf(actor, true).as('basis'),
      sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = e.id and l.user_id = ${actor.userId} and ${isCurrentLead('l')})`.as(
        'acceptedLead',
      ),
      sql<boolean>`exists (select 1 from consents c where c.episode_id = e.id) and not ${facts(actor).consentEnded}`.as('consentGiven'),
    ])
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', actor.laId)
    .executeTakeFirst()
  return row ?? null
}

/** The actor's access to an episode of their council, or null when there is no such episode. */
export async function episodeAccess(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<EpisodeAccess | null> {
  const g = await grounds(db, actor, episodeId)
  if (!g) return null
  const canChange = g.basis !== null && WORKING.includes(g.basis)
  return { basis: g.basis, canChange, leads: canChange && (g.basis === 'hub' || g.acceptedLead), consentGiven: g.consentGiven }
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
