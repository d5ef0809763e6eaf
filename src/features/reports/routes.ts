import type { Outcome } from '../../web/outcome.ts'
import { NotFound, page } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { today, dateWords } from '../../web/dates.ts'
import { reportScope } from '../../policies/reports.ts'
import { barChart } from './chart.ts'
import { runFigure, type FigureContext } from './figure.ts'
import { filterQuery, formValues, readFilters, shortcuts, type ReportFilters } from './filters.ts'
import { REPORTS, type Report } from './reports.ts'
import { annexARoutes } from './annex-a/routes.ts'
import { inspectionPackRoutes } from './inspection-pack/routes.ts'
import { reportSetting } from './settings.ts'
import { reportWorkbook, shown, tableCsv, type ReportTable } from './table.ts'

const FILTER_FIELDS = ['from-day', 'to-day', 'locality']

/** What every report page needs before its figures: the council's localities, whose work it counts, the small-number threshold. */
async function setUp(ctx: RequestContext) {
  const setting = await reportSetting(ctx.services.reportingDb, ctx.actor)
  return {
    ...setting,
    read: readFilters(
      ctx.query,
      setting.localities.map((l) => l.id),
    ),
  }
}

async function tablesOf(ctx: RequestContext, report: Report, filters: ReportFilters): Promise<ReportTable[]> {
  const fc: FigureContext = { scope: reportScope(ctx.actor), filters, today: today() }
  const all = await Promise.all(report.figures.map((f) => runFigure(ctx.services.reportingDb, f, fc)))
  return all.flat()
}

/** The period and scope in words: at the top of the page, and on the workbook's first sheet. */
function about(filters: ReportFilters, setting: Awaited<ReturnType<typeof setUp>>): string[] {
  const locality = setting.localities.find((l) => l.id === filters.localityId)
  return [
    `From ${dateWords(filters.period.from)} to ${dateWords(filters.period.to)}, both included.`,
    `${setting.scopeText}${locality ? `, in ${locality.name}` : ''}.`,
  ]
}

async function reportPage(ctx: RequestContext, report: Report): Promise<Outcome> {
  const setting = await setUp(ctx)
  const base = {
    title: report.title,
    report,
    shortcuts: shortcuts().map((s) => ({ text: s.text, href: `/reports/${report.key}?${filterQuery({ period: s.period, localityId: null })}` })),
    localities: setting.localities,
  }
  if ('errors' in setting.read)
    return page('reports/views/report.njk', withErrors({ ...base, values: setting.read.values, tables: [] }, setting.read.errors, FILTER_FIELDS), {
      status: 400,
    })
  const filters = setting.read.filters
  const tables = await tablesOf(ctx, report, filters)
  return page(
    'reports/views/report.njk',
    {
      ...base,
      values: { ...formValues(filters), locality: filters.localityId === null ? '' : String(filters.localityId) },
      about: about(filters, setting),
      xlsxHref: `/reports/${report.key}.xlsx?${filterQuery(filters)}`,
      tables: tables.map((t) => ({
        ...t,
        chart: barChart(`chart-${t.key}`, t),
        head: t.columns.map((c) => ({ text: c.text, ...(c.kind === 'text' ? {} : { format: 'numeric' }) })),
        body: t.rows.map((r) => t.columns.map((c, i) => ({ text: shown(c, r[c.key] ?? null), ...(i > 0 && c.kind !== 'text' ? { format: 'numeric' } : {}) }))),
        csvHref: `/reports/${report.key}.csv?${filterQuery(filters, { table: t.key })}`,
      })),
    },
    { auditDetail: { ...filters.period } },
  )
}

function reportRoutes(report: Report): Route[] {
  const audited = report.audit ? { audit: report.audit } : {}
  return [
    { method: 'GET', url: `/reports/${report.key}`, permission: 'reports.view', ...audited, handler: (ctx) => reportPage(ctx, report) },
    {
      method: 'GET',
      url: `/reports/${report.key}.csv`,
      permission: 'reports.view',
      ...audited,
      handler: async (ctx) => {
        const setting = await setUp(ctx)
        if ('errors' in setting.read) return reportPage(ctx, report)
        const table = (await tablesOf(ctx, report, setting.read.filters)).find((t) => t.key === ctx.query.table)
        if (!table) throw new NotFound()
        const { from, to } = setting.read.filters.period
        return {
          type: 'download',
          filename: `${report.key}-${table.key}-${from}-to-${to}.csv`,
          contentType: 'text/csv; charset=utf-8',
          body: tableCsv(table, setting.threshold),
          auditDetail: { from, to, table: table.key },
        }
      },
    },
    {
      method: 'GET',
      url: `/reports/${report.key}.xlsx`,
      permission: 'reports.view',
      ...audited,
      handler: async (ctx) => {
        const setting = await setUp(ctx)
        if ('errors' in setting.read) return reportPage(ctx, report)
        const filters = setting.read.filters
        const tables = await tablesOf(ctx, report, filters)
        const body = await reportWorkbook(report.title, about(filters, setting), tables, setting.threshold)
        return {
          type: 'download',
          filename: `${report.key}-${filters.period.from}-to-${filters.period.to}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          body,
          auditDetail: { ...filters.period },
        }
      },
    },
  ]
}

export const reportsRoutes: Route[] = [
  {
    method: 'GET',
    url: '/reports',
    permission: 'reports.view',
    handler: async (ctx) => {
      const setting = await reportSetting(ctx.services.reportingDb, ctx.actor)
      return page('reports/views/index.njk', { title: 'Reports', reports: REPORTS, scopeText: setting.scopeText, canExport: setting.canExport })
    },
  },
  ...REPORTS.flatMap(reportRoutes),
  ...annexARoutes,
  ...inspectionPackRoutes,
]
