import { page } from '../../web/outcome.ts'
import type { Route } from '../../web/router.ts'
import { myWork, shownEpisodes } from './queries.ts'

export const workRoutes: Route[] = [
  {
    method: 'GET',
    url: '/my-work',
    permission: 'episode.work',
    audit: { action: 'work.viewed', recordType: 'episode-list' },
    handler: async (ctx) => {
      const work = await myWork(ctx.services.db, ctx.actor)
      return page('work/views/my-work.njk', { title: 'My work', ...work, columns: 'full' }, { auditDetail: { shown: shownEpisodes(work) } })
    },
  },
]
