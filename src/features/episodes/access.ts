import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'

/**
 * Need to know for an episode's content. The hub always. Otherwise the initiator, the lead professional
 * (or the one proposed, so they can read before accepting), members of the Team Around the Family,
 * users of the agencies named in the family's current consent, and (reading only) managers of the
 * agency that started the episode or has someone in its team. Once the family withdraws consent for an
 * agency, its users lose access from that moment, whatever else they are — except that when the family
 * refuses or withdraws consent altogether, the lead professional and the initiator keep access to
 * record what happens next. Anyone else only by breaking the glass, for the rest of that session,
 * audited and reviewed by the hub.
 */
export type EpisodeBasis = 'hub' | 'initiator' | 'lead' | 'team' | 'consented-agency' | 'manager' | 'break-glass'
export type EpisodeAccess = { allowed: true; basis: EpisodeBasis; canChange: boolean } | { allowed: false }

/** Bases that let a user change the episode, not only read it. */
const WORKING: readonly EpisodeBasis[] = ['hub', 'initiator', 'lead', 'team']

interface Grounds {
  initiator: boolean
  lead: boolean
  team: boolean
  consented: boolean
  withdrawn: boolean
  consentEnded: boolean
  agencyWork: boolean
  glass: boolean
}

async function grounds(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<Grounds | null> {
  const row = await db
    .selectFrom('episodes as e')
    .select([
      sql<boolean>`e.initiator_user_id = ${actor.userId}`.as('initiator'),
      sql<boolean>`exists (select 1 from lead_professionals l where l.episode_id = e.id and l.user_id = ${actor.userId}
        and l.ended_at is null and l.declined_at is null)`.as('lead'),
      sql<boolean>`exists (select 1 from team_members t where t.episode_id = e.id and t.user_id = ${actor.userId} and t.left_at is null)`.as('team'),
      sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is null)`.as(
        'consented',
      ),
      sql<boolean>`exists (select 1 from consent_agencies c where c.episode_id = e.id and c.agency_id = ${actor.agencyId} and c.removed_at is not null)`.as(
        'withdrawn',
      ),
      sql<boolean>`coalesce((select c.decision = 'refused' or c.withdrawn_on is not null from consents c where c.episode_id = e.id
        order by c.recorded_at desc, c.id desc limit 1), false)`.as('consentEnded'),
      sql<boolean>`e.initiator_agency_id = ${actor.agencyId} or exists (select 1 from team_members t where t.episode_id = e.id
        and t.agency_id = ${actor.agencyId} and t.left_at is null)`.as('agencyWork'),
      sql<boolean>`exists (select 1 from break_glass b where b.session_id = ${actor.sessionId} and b.episode_id = e.id)`.as('glass'),
    ])
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', actor.laId)
    .executeTakeFirst()
  return row ?? null
}

/** Throws NotFound for an episode that is not the actor's council's. */
export async function episodeAccess(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<EpisodeAccess> {
  const g = await grounds(db, actor, episodeId)
  if (!g) throw new NotFound()
  if (actor.roles.includes('coordinator')) return allowed('hub')
  // Withdrawn and not given again: the family said no to this agency, so nothing else counts.
  const keepsCase = g.consentEnded && (g.lead || g.initiator)
  const cutOff = g.withdrawn && !g.consented && !keepsCase
  if (!cutOff) {
    if (g.lead) return allowed('lead')
    if (g.initiator) return allowed('initiator')
    if (g.team) return allowed('team')
    if (g.consented) return allowed('consented-agency')
    if (g.agencyWork && actor.roles.includes('manager')) return allowed('manager')
  }
  return g.glass ? allowed('break-glass') : { allowed: false }
}

function allowed(basis: EpisodeBasis): EpisodeAccess {
  return { allowed: true, basis, canChange: WORKING.includes(basis) }
}

/** For a use case that changes an episode: throws Forbidden unless the actor works on it. */
export async function requireWorking(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  const access = await episodeAccess(db, actor, episodeId)
  if (!access.allowed || !access.canChange) throw new Forbidden()
}

/** Whether the actor may see a person's record because of an episode about them that they may see. */
export async function episodeGrantsPerson(db: Kysely<DB>, actor: Actor, personId: number): Promise<boolean> {
  const episodes = await db.selectFrom('episode_people').select('episode_id').where('la_id', '=', actor.laId).where('person_id', '=', personId).execute()
  for (const e of episodes) {
    const access = await episodeAccess(db, actor, e.episode_id)
    if (access.allowed && access.basis !== 'break-glass') return true
  }
  return false
}

export async function breakGlassEpisode(db: Kysely<DB>, actor: Actor, episodeId: number, reason: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('break_glass')
      .values({ la_id: actor.laId, user_id: actor.userId, session_id: actor.sessionId, episode_id: episodeId, reason })
      .execute()
    await auditAs(tx, actor, 'episode.break-glass', { type: 'episode', id: episodeId }, { flagged: true })
  })
}
