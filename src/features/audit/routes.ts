import { z } from 'zod'
import { validate } from '../../web/forms.ts'
import { page } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { Route } from '../../web/router.ts'
import { searchAudit, type AuditQuery } from './search.ts'

const isoDate = (label: string) =>
  z
    .preprocess((v) => (v === undefined ? '' : v), z.string({ error: `${label} must be a single date` }).trim())
    .refine(
      (v) =>
        v === '' || (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)),
      `${label} must be a real date, like 2026-11-23`,
    )
    .transform((v) => (v === '' ? null : v))

const optional = (label: string, pattern: RegExp, hint: string) =>
  z
    .preprocess(
      (v) => (v === undefined ? '' : v),
      z
        .string({ error: `${label} must be a single value` })
        .trim()
        .max(100, `${label} must be 100 characters or fewer`),
    )
    .refine((v) => v === '' || pattern.test(v), `${label} ${hint}`)
    .transform((v) => (v === '' ? null : v))

const querySchema = z.object({
  userId: optional('User', /^\d{1,9}$/, 'must be chosen from the list').transform((v) => (v ? Number(v) : null)),
  recordType: optional('Record type', /^[a-z-]+$/, 'must be lower-case letters and hyphens, like user'),
  recordId: optional('Record number', /^[A-Za-z0-9-]+$/, 'must be letters, numbers and hyphens only'),
  action: optional('Action', /^[a-z.-]+$/, 'must be lower-case letters, dots and hyphens, like sign-in'),
  from: isoDate('Start date'),
  to: isoDate('End date'),
  page: optional('Page', /^\d{1,5}$/, 'must be a number').transform((v) => (v ? Math.max(1, Number(v)) : 1)),
})

export const auditRoutes: Route[] = [
  {
    method: 'GET',
    url: '/admin/audit',
    permission: 'audit.read',
    audit: { action: 'audit.searched', recordType: 'audit-log' },
    handler: async (ctx) => {
      const users = await ctx.services.db
        .selectFrom('users')
        .select(['id', 'full_name as name'])
        .where('la_id', '=', ctx.actor.laId)
        .orderBy('full_name')
        .execute()
      const raw = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => k in querySchema.shape))
      const parsed = validate(querySchema, raw)
      const base = { title: 'Audit log', columns: 'full', users, values: raw }
      if (!parsed.ok) return page('audit/views/search.njk', withErrors({ ...base, rows: [] }, parsed.errors, Object.keys(querySchema.shape)), { status: 400 })
      const q: AuditQuery = parsed.data
      if (q.from && q.to && q.from > q.to) {
        return page('audit/views/search.njk', withErrors({ ...base, rows: [] }, { to: 'End date must be the same as or after the start date' }), {
          status: 400,
        })
      }
      const result = await searchAudit(ctx.services.db, ctx.actor, q)
      const params = new URLSearchParams(Object.entries(raw).filter(([k, v]) => k !== 'page' && typeof v === 'string' && v !== '') as [string, string][])
      const link = (n: number) => `/admin/audit?${new URLSearchParams([...params, ['page', String(n)]]).toString()}`
      return page('audit/views/search.njk', {
        ...base,
        rows: result.rows.map((r) => ({ ...r, detail: JSON.stringify(r.detail), session: r.sessionId?.slice(0, 8) ?? '' })),
        previous: q.page > 1 ? link(q.page - 1) : null,
        next: result.hasNext ? link(q.page + 1) : null,
        pageNumber: q.page,
      })
    },
  },
]
