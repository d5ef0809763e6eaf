import { page, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { reportScope } from '../../../policies/reports.ts'
import { auditsDownload } from '../../quality/csv.ts'
import { sixMonthsAgo } from '../../quality/queries.ts'
import { CONTENT_TYPES, FORMATS, writeList, type ExportFormat } from '../exports/stream.ts'
import { filterQuery, formValues, readFilters, type FilterRead } from '../filters.ts'
import { childrenWithEpisodes } from './children.ts'

/** The inspection pack: the children with an episode in a period, and the quality audits of the last six months. */

const TEMPLATE = 'reports/inspection-pack/views/pack.njk'
const TITLE = 'The inspection pack'

function packPage(ctx: RequestContext, read: FilterRead): Outcome {
  const base = { title: TITLE, since: sixMonthsAgo() }
  if ('errors' in read) return page(TEMPLATE, withErrors({ ...base, values: read.values }, read.errors, ['from-day', 'to-day']), { status: 400 })
  const query = filterQuery(read.filters)
  return page(TEMPLATE, {
    ...base,
    values: formValues(read.filters),
    period: read.filters.period,
    downloads: FORMATS.map((f) => ({ format: f.toUpperCase(), href: `/reports/inspection-pack/children.${f}?${query}` })),
  })
}

const childrenRoute = (format: ExportFormat): Route => ({
  method: 'GET',
  url: `/reports/inspection-pack/children.${format}`,
  permission: 'inspection.export',
  audit: { action: 'inspection.children-exported', recordType: 'inspection-pack' },
  handler: async (ctx) => {
    const read = readFilters(ctx.query, [])
    if ('errors' in read) return packPage(ctx, read)
    const { from, to } = read.filters.period
    return {
      type: 'stream',
      filename: `children-with-an-episode-${from}-to-${to}.${format}`,
      contentType: CONTENT_TYPES[format],
      write: (out) => writeList(ctx.services.reportingDb, childrenWithEpisodes(reportScope(ctx.actor), read.filters.period), format, out),
      auditDetail: { from, to, format },
    }
  },
})

export const inspectionPackRoutes: Route[] = [
  { method: 'GET', url: '/reports/inspection-pack', permission: 'inspection.export', handler: async (ctx) => packPage(ctx, readFilters(ctx.query, [])) },
  ...FORMATS.map(childrenRoute),
  {
    method: 'GET',
    url: '/reports/inspection-pack/audits.csv',
    permission: 'inspection.export',
    audit: { action: 'qa.downloaded', recordType: 'qa-audit-list' },
    handler: (ctx) => auditsDownload(ctx.services.reportingDb, ctx.actor.laId),
  },
]
