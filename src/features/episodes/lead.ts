import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { isCurrentLead } from './repository.ts'
import { lockEpisode } from './stages.ts'

export type ProposeResult = 'appointed' | 'proposed' | 'not-in-team' | 'already-lead'

/**
 * Proposes a lead professional from the team, with the date the family agreed. Someone proposing
 * themself is appointed at once; anyone else must accept, and until they do the current lead (if
 * any) stays responsible. A newer proposal replaces one still waiting.
 */
export async function proposeLead(db: Kysely<DB>, actor: Actor, episodeId: number, userId: number, familyAgreedOn: string): Promise<ProposeResult> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    await lockEpisode(tx, actor.laId, episodeId)
    const inTeam = await tx
      .selectFrom('team_members')
      .select('id')
      .where('episode_id', '=', episodeId)
      .where('user_id', '=', userId)
      .where('left_at', 'is', null)
      .executeTakeFirst()
    if (!inTeam) return 'not-in-team'
    const current = await tx
      .selectFrom('lead_professionals')
      .select(['id', 'user_id'])
      .where('episode_id', '=', episodeId)
      .where(isCurrentLead())
      .executeTakeFirst()
    if (current?.user_id === userId) return 'already-lead'
    await tx
      .updateTable('lead_professionals')
      .set({ declined_at: sql<Date>`now()` })
      .where('episode_id', '=', episodeId)
      .where('accepted_at', 'is', null)
      .where('declined_at', 'is', null)
      .execute()
    const row = await tx
      .insertInto('lead_professionals')
      .values({ la_id: actor.laId, episode_id: episodeId, user_id: userId, proposed_by: actor.userId, family_agreed_on: familyAgreedOn })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'lead.proposed', { type: 'episode', id: episodeId }, { userId, handover: Boolean(current) })
    if (userId !== actor.userId) return 'proposed'
    await accept(tx, actor, episodeId, row.id)
    return 'appointed'
  })
}

/** The proposed lead accepts: they become the lead, and the one before hands over (their time ends). */
export async function acceptLead(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    const pending = await pendingFor(tx, actor, episodeId)
    await accept(tx, actor, episodeId, pending.id)
  })
}

export async function declineLead(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    const pending = await pendingFor(tx, actor, episodeId)
    await tx
      .updateTable('lead_professionals')
      .set({ declined_at: sql<Date>`now()` })
      .where('id', '=', pending.id)
      .execute()
    await auditAs(tx, actor, 'lead.declined', { type: 'episode', id: episodeId })
  })
}

async function pendingFor(db: Kysely<DB>, actor: Actor, episodeId: number) {
  const pending = await db
    .selectFrom('lead_professionals')
    .select('id')
    .where('episode_id', '=', episodeId)
    .where('la_id', '=', actor.laId)
    .where('user_id', '=', actor.userId)
    .where('accepted_at', 'is', null)
    .where('declined_at', 'is', null)
    .forUpdate()
    .executeTakeFirst()
  if (!pending) throw new Forbidden()
  return pending
}

async function accept(db: Kysely<DB>, actor: Actor, episodeId: number, leadId: number) {
  await db
    .updateTable('lead_professionals')
    .set({ ended_at: sql<Date>`now()` })
    .where('episode_id', '=', episodeId)
    .where(isCurrentLead())
    .execute()
  await db
    .updateTable('lead_professionals')
    .set({ accepted_at: sql<Date>`now()` })
    .where('id', '=', leadId)
    .execute()
  await auditAs(db, actor, 'lead.accepted', { type: 'episode', id: episodeId })
}
