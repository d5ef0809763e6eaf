import { idParam } from '../../web/params.ts'
import { NotFound } from '../../web/outcome.ts'
import type { RequestContext } from '../../web/router.ts'
import type { Episode } from '../episodes/repository.ts'
import { loadMeeting, type Meeting } from './repository.ts'

/** The meeting in the address, which must be of the episode in the address. */
export async function meetingOf(ctx: RequestContext, episode: Episode): Promise<Meeting> {
  const meeting = await loadMeeting(ctx.services.db, ctx.actor.laId, idParam(ctx.params.meetingId))
  if (meeting.episode_id !== episode.id) throw new NotFound()
  return meeting
}

/** The meeting in the address, for a change to it: refused (404) unless it is one of the episode in the address. */
export async function meetingIdIn(ctx: RequestContext): Promise<number> {
  const id = idParam(ctx.params.meetingId)
  const row = await ctx.services.db.selectFrom('meetings').select('episode_id').where('id', '=', id).where('la_id', '=', ctx.actor.laId).executeTakeFirst()
  if (!row || row.episode_id !== idParam(ctx.params.id)) throw new NotFound()
  return id
}
