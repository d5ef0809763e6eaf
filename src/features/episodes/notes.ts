import type { Expression, Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { auditAs } from '../audit/audit-log.ts'

/** A note on an episode (the hub's, from a queue, or anyone working on it): kept as written, shown on the episode. */
export async function addNote(db: Kysely<DB>, actor: Actor, episodeId: number, body: string): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('episode_notes').values({ la_id: actor.laId, episode_id: episodeId, body, written_by: actor.userId }).execute()
    await auditAs(tx, actor, 'episode.note-added', { type: 'episode', id: episodeId })
  })
}

/** An episode's notes, the latest first, with who wrote each and their agency. */
export function notesOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return db
    .selectFrom('episode_notes as n')
    .innerJoin('users as u', 'u.id', 'n.written_by')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['n.id', 'n.body', 'n.written_at as writtenAt', 'u.full_name as by', 'a.name as agency'])
    .where('n.episode_id', '=', episodeId)
    .orderBy('n.written_at', 'desc')
    .orderBy('n.id', 'desc')
}
