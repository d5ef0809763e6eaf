import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'
import type { Actor } from './actor.ts'
import { rolesAllow, type Permission } from './permissions.ts'
import { dateWords, ukDateTime } from './dates.ts'
import { errorSummary, type FieldErrors } from './forms.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
export const VIEW_ROOTS = [path.join(here, 'views'), path.join(here, '..', 'features'), path.join(here, '..', '..', 'node_modules', 'govuk-frontend', 'dist')]

export function createViewEngine(): nunjucks.Environment {
  const env = nunjucks.configure(VIEW_ROOTS, { autoescape: true, throwOnUndefined: false, noCache: false })
  env.addFilter('dateTime', (d: unknown) => (d instanceof Date ? ukDateTime(d) : ''))
  env.addFilter('date', (d: unknown) => (d instanceof Date || typeof d === 'string' ? dateWords(d) : ''))
  // Like 'string', but null and undefined become '' (for comparing ids with submitted values).
  env.addFilter('str', (v: unknown) => (v === null || v === undefined ? '' : String(v)))
  // A kept form value as a list: one ticked box comes back as a string, several as an array, none as nothing.
  // (Nunjucks' "in" on a string is a substring test: "1" in "10" would tick the wrong box.)
  env.addFilter('asList', (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]))
  env.addFilter('number', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : ''))
  return env
}

/** The navigation a user sees, from what their roles allow. */
const NAVIGATION: { href: string; text: string; permission: Permission }[] = [
  { href: '/', text: 'Home', permission: 'signed-in' },
  { href: '/my-work', text: 'My work', permission: 'episode.work' },
  { href: '/people', text: 'Find a child or adult', permission: 'person.search' },
  { href: '/desk', text: 'Work queues', permission: 'queues.view' },
  { href: '/services', text: 'Services', permission: 'services.view' },
  { href: '/signposting', text: 'Signposting', permission: 'episode.work' },
  { href: '/panel', text: 'Panel', permission: 'panel.view' },
  { href: '/social-care', text: 'Social care', permission: 'interface.view' },
  { href: '/transfers', text: 'Transfers', permission: 'episode.follow-up' },
  { href: '/qa', text: 'Quality assurance', permission: 'qa.audit' },
  { href: '/reports', text: 'Reports', permission: 'reports.view' },
  { href: '/break-glass', text: 'Access reviews', permission: 'break-glass.review' },
  { href: '/admin', text: 'Administration', permission: 'admin.organisation' },
  { href: '/admin/audit', text: 'Audit log', permission: 'audit.read' },
  { href: '/account', text: 'Your account', permission: 'signed-in' },
]

export interface PageContext {
  actor: Actor | null
  cspNonce: string
  csrfToken: string
  demo: boolean
  councilName: string | null
  /** The council's feedback address (an email address or an https page), if its administrator set one. */
  feedbackAddress: string | null
  currentPath: string
}

/** The phase banner's feedback link: a web page as it is, an email address as a mailto link with a subject. */
function feedbackHref(address: string | null): string | null {
  if (!address) return null
  return address.startsWith('https://') ? address : `mailto:${address}?subject=${encodeURIComponent('CAF Hub feedback')}`
}

/** Everything every page's layout needs, built once per request. */
export function layoutContext(ctx: PageContext) {
  const navigation = ctx.actor
    ? NAVIGATION.filter((n) => rolesAllow(ctx.actor!.roles, n.permission)).map((n) => ({
        href: n.href,
        text: n.text,
        active: n.href === '/' ? ctx.currentPath === '/' : ctx.currentPath.startsWith(n.href),
      }))
    : []
  return { ...ctx, navigation, serviceName: 'CAF Hub', feedbackHref: feedbackHref(ctx.feedbackAddress) }
}

/** Adds the error summary list to a page's data when it has errors. */
export function withErrors(data: Record<string, unknown>, errors: FieldErrors | undefined, fieldOrder: readonly string[] = []) {
  return errors && Object.keys(errors).length ? { ...data, errors, errorList: errorSummary(errors, fieldOrder) } : data
}
