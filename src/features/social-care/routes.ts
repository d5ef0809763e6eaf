import { page, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { isSocialCare } from '../../policies/social-care.ts'
import { countsCsv, interfaceCounts, readRange } from './counts.ts'
import { notificationLists } from './notification-queries.ts'
import { stepDownLists } from './step-down-queries.ts'
import { decidedStepUps, waitingStepUps } from './step-up-queries.ts'

/** The social care interface's page (social care's home, and the hub's view of it) and its counts by month. */

async function countsPage(ctx: RequestContext): Promise<Outcome> {
  const read = readRange(ctx.query)
  const base = { title: 'Step ups, step downs and notifications by month' }
  if ('errors' in read)
    return page('social-care/views/counts.njk', withErrors({ ...base, tables: [], values: read.values }, read.errors, ['from', 'to']), { status: 400 })
  const tables = await interfaceCounts(ctx.services.db, ctx.actor.laId, read.range)
  const query = new URLSearchParams({ from: read.range.from, to: read.range.to }).toString()
  return page('social-care/views/counts.njk', { ...base, tables, values: read.range, csvHref: `/social-care/counts.csv?${query}` })
}

export const socialCareRoutes: Route[] = [
  {
    method: 'GET',
    url: '/social-care',
    permission: 'interface.view',
    audit: { action: 'social-care.listed', recordType: 'social-care-lists' },
    handler: async (ctx) => {
      const db = ctx.services.db
      const laId = ctx.actor.laId
      const [notifications, waiting, decided, stepDowns] = await Promise.all([
        notificationLists(db, laId),
        waitingStepUps(db, laId),
        decidedStepUps(db, laId),
        stepDownLists(db, laId),
      ])
      const shown = {
        notifications: [...notifications.waiting, ...notifications.decided].map((n) => n.id),
        stepUps: [...waiting, ...decided].map((s) => s.id),
        stepDowns: [...stepDowns.open, ...stepDowns.ended].map((d) => d.id),
      }
      return page(
        'social-care/views/home.njk',
        {
          title: isSocialCare(ctx.actor) ? 'Social care and early help' : 'The social care interface',
          socialCare: isSocialCare(ctx.actor),
          notifications,
          stepUps: { waiting, decided },
          stepDowns,
        },
        { auditDetail: shown },
      )
    },
  },
  { method: 'GET', url: '/social-care/counts', permission: 'interface.counts', handler: countsPage },
  {
    method: 'GET',
    url: '/social-care/counts.csv',
    permission: 'interface.counts',
    handler: async (ctx) => {
      const read = readRange(ctx.query)
      if ('errors' in read) return countsPage(ctx)
      const csv = countsCsv(await interfaceCounts(ctx.services.db, ctx.actor.laId, read.range))
      return {
        type: 'download',
        filename: `social-care-interface-${read.range.from}-to-${read.range.to}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: csv,
      }
    },
  },
]
