import { page } from '../../web/outcome.ts'
import type { Route } from '../../web/router.ts'
import { NO_FILTERS } from '../desk/filters.ts'
import { deskCounts } from '../desk/queries.ts'
import { QUEUE_KEYS, QUEUES } from '../desk/queues.ts'
import { feedbackFor } from '../quality/queries.ts'
import { myWork, shownEpisodes } from './queries.ts'

export const workRoutes: Route[] = [
  {
    method: 'GET',
    url: '/my-work',
    permission: 'episode.work',
    audit: { action: 'work.viewed', recordType: 'episode-list' },
    handler: async (ctx) => {
      const [work, desk, feedback] = await Promise.all([
        myWork(ctx.services.db, ctx.actor),
        deskCounts(ctx.services.db, ctx.actor, { ...NO_FILTERS, scope: 'mine' }),
        feedbackFor(ctx.services.db, ctx.actor),
      ])
      // What has slipped in the families they are responsible for: each count a link to the list.
      const needsDoing = QUEUE_KEYS.filter((key) => desk.counts[key] > 0).map((key) => ({
        title: QUEUES[key].title,
        count: desk.counts[key],
        href: `/desk/${key}?for=mine`,
      }))
      return page(
        'work/views/my-work.njk',
        { title: 'My work', ...work, needsDoing, feedback, columns: 'full' },
        { auditDetail: { shown: [...new Set([...shownEpisodes(work), ...feedback.map((f) => f.episodeId)])] } },
      )
    },
  },
]
