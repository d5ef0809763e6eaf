import { dateParts, today } from '../../../web/dates.ts'
import { page, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { CONTENT_TYPES } from '../exports/stream.ts'
import { writeList2 } from './list-2.ts'
import { requestFromForm, type RequestRead } from './request.ts'

const TEMPLATE = 'reports/annex-a/views/annex-a.njk'
const TITLE = 'Ofsted Annex A, list 2 (early help)'

function formPage(values: Record<string, unknown>, read?: Extract<RequestRead, { errors: unknown }>): Outcome {
  if (!read) return page(TEMPLATE, { title: TITLE, values })
  const errors = { ...(read.errors.date ? { 'date-day': read.errors.date } : {}), ...(read.errors.format ? { format: read.errors.format } : {}) }
  return page(TEMPLATE, withErrors({ title: TITLE, values }, errors, ['date-day', 'format']), { status: 400 })
}

export const annexARoutes: Route[] = [
  {
    method: 'GET',
    url: '/reports/annex-a',
    permission: 'inspection.export',
    handler: async () => formPage({ ...dateParts(today(), 'date'), format: 'xlsx' }),
  },
  {
    method: 'GET',
    url: '/reports/annex-a/list-2',
    permission: 'inspection.export',
    audit: { action: 'inspection.annex-a-exported', recordType: 'annex-a' },
    handler: async (ctx: RequestContext) => {
      const read = requestFromForm(ctx.query)
      if ('errors' in read) return formPage(ctx.query, read)
      const { date, format } = read.request
      return {
        type: 'stream',
        filename: `annex-a-list-2-${date}.${format}`,
        contentType: CONTENT_TYPES[format],
        write: (out) => writeList2(ctx.services.reportingDb, ctx.actor.laId, date, format, out),
        auditDetail: { date, format },
      }
    },
  },
]
