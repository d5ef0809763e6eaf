import { z } from 'zod'
import { validate } from '../../web/forms.ts'
import { page } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { momentWords } from '../../web/dates.ts'
import { AUDIT_ACTIONS, RECORD_TYPES } from './actions.ts'
import { eventInWords, type Directory } from './in-words.ts'
import { searchAudit, type AuditQuery } from './search.ts'
import { checkCouncilLog } from './verify.ts'

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
  recordType: optional('Record', /^[a-z-]+$/, 'must be chosen from the list'),
  recordId: optional('Record number', /^[A-Za-z0-9-]+$/, 'must be letters, numbers and hyphens only'),
  action: optional('What happened', /^[a-z.-]+$/, 'must be chosen from the list'),
  from: isoDate('Start date'),
  to: isoDate('End date'),
  page: optional('Page', /^\d{1,5}$/, 'must be a number').transform((v) => (v ? Math.max(1, Number(v)) : 1)),
})

/** The council's staff and agencies by id, to name them in the log (people stay as record numbers). */
async function directory(ctx: RequestContext): Promise<Directory & { userList: { id: number; name: string }[] }> {
  const [userList, agencies] = await Promise.all([
    ctx.services.db.selectFrom('users').select(['id', 'full_name as name']).where('la_id', '=', ctx.actor.laId).orderBy('full_name').execute(),
    ctx.services.db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).execute(),
  ])
  return { userList, users: new Map(userList.map((u) => [u.id, u.name])), agencies: new Map(agencies.map((a) => [a.id, a.name])) }
}

/** The filter lists, in words, alphabetically. */
const byText = (a: { text: string }, b: { text: string }) => a.text.localeCompare(b.text)
const ACTION_CHOICES = Object.entries(AUDIT_ACTIONS)
  .map(([value, text]) => ({ value, text }))
  .sort(byText)
const RECORD_TYPE_CHOICES = Object.entries(RECORD_TYPES)
  .map(([value, text]) => ({ value, text }))
  .sort(byText)

export const auditRoutes: Route[] = [
  {
    method: 'GET',
    url: '/admin/audit',
    permission: 'audit.read',
    audit: { action: 'audit.searched', recordType: 'audit-log' },
    handler: async (ctx) => {
      const names = await directory(ctx)
      const raw = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => k in querySchema.shape))
      const parsed = validate(querySchema, raw)
      const base = { title: 'Audit log', columns: 'full', users: names.userList, actions: ACTION_CHOICES, recordTypes: RECORD_TYPE_CHOICES, values: raw }
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
        rows: result.rows.map((r) => ({ ...r, ...eventInWords(r, names), session: r.sessionId?.slice(0, 8) ?? '' })),
        previous: q.page > 1 ? link(q.page - 1) : null,
        next: result.hasNext ? link(q.page + 1) : null,
        pageNumber: q.page,
      })
    },
  },
  {
    method: 'GET',
    url: '/admin/audit/check',
    permission: 'audit.read',
    handler: async (ctx) => {
      const report = await checkCouncilLog(ctx.services.db, ctx.actor)
      return page('audit/views/check.njk', {
        title: report.broken.length ? 'The audit log has been changed' : 'The audit log has not been changed',
        council: report.council,
        events: report.events,
        broken: report.broken.map((b) => ({ id: b.id, when: momentWords(b.occurredAt), reason: b.reason })),
      })
    },
  },
]
