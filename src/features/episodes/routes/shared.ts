import type { FieldErrors } from '../../../web/forms.ts'
import { Forbidden, page, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext } from '../../../web/router.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { episodeAccess, type EpisodeAccess } from '../access.ts'
import { loadEpisode, type Episode } from '../repository.ts'

export type Allowed = Extract<EpisodeAccess, { allowed: true }>

/**
 * Opens the episode in the address for a page about it. Without a right to see it, the user gets the
 * "break the glass" page instead (403), and the refusal is audited. Pages that change the episode
 * pass `working`: only those working on it may (break-glass gives reading only).
 */
export async function withEpisode(
  ctx: RequestContext,
  show: (episode: Episode, access: Allowed) => Promise<Outcome>,
  opts: { working?: boolean; errors?: FieldErrors; values?: Record<string, unknown> } = {},
): Promise<Outcome> {
  const id = idParam(ctx.params.id)
  const episode = await loadEpisode(ctx.services.db, ctx.actor.laId, id)
  const access = await episodeAccess(ctx.services.db, ctx.actor, id)
  if (!access.allowed) {
    await auditAs(ctx.services.db, ctx.actor, 'episode.access-refused', { type: 'episode', id })
    return page(
      'episodes/views/no-access.njk',
      withErrors({ title: 'You do not have access to this CAF episode', episode, values: opts.values ?? {} }, opts.errors, ['reason']),
      { status: opts.errors ? 400 : 403 },
    )
  }
  if (opts.working && !access.canChange) throw new Forbidden()
  return show(episode, access)
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
