import type { EpisodeAccess } from '../../../policies/episode.ts'
import type { Outcome } from '../../../web/outcome.ts'
import type { AuditDeclaration, RequestContext } from '../../../web/router.ts'
import { loadEpisode, type Episode } from '../repository.ts'

/** What every page about an episode audits: a view of the episode (its pages show the family's data). */
export const EPISODE_VIEWED: AuditDeclaration = { action: 'episode.viewed', recordType: 'episode' }

/**
 * Opens the episode in the address for a page about it. The router has already decided, from the
 * route's `record` declaration, that the user may do what the route does: this only loads it.
 */
export async function withEpisode(ctx: RequestContext, show: (episode: Episode, access: EpisodeAccess) => Promise<Outcome>): Promise<Outcome> {
  const access = ctx.episodeAccess
  return show(await loadEpisode(ctx.services.db, ctx.actor.laId, ctx.id), access)
}

/** The banner words for ?done= after a change. */
export function flash(ctx: RequestContext, messages: Record<string, string>): string | null {
  return typeof ctx.query.done === 'string' ? (messages[ctx.query.done] ?? null) : null
}

/** Data every episode page's header shows. */
export function episodeHeader(episode: Episode) {
  return {
    episode,
    childNames: episode.children.map((c) => c.name).join(', '),
    caption: `CAF episode ${episode.id}: ${episode.kind === 'family' ? 'family CAF' : 'single child'}`,
  }
}
