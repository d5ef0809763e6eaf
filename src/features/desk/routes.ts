import { NotFound, page, redirect } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import { rolesAllow } from '../../web/permissions.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { flash } from '../episodes/routes/shared.ts'
import { filterChoices, FILTER_FIELDS, filterQuery, readFilters, type DeskFilters } from './filters.ts'
import { deskCounts, queueList, ScopeNotAllowed } from './queries.ts'
import { isQueueKey, QUEUE_KEYS, QUEUES } from './queues.ts'
import { SCOPE_NAMES, scopesFor, type Scope } from './scope.ts'
import { isHub } from '../../policies/hub.ts'
import { waitingCount } from '../panel/queries.ts'
import { interfaceWaiting } from '../social-care/desk.ts'
import { signpostingCounts } from '../signposting/queries.ts'

/** The banner after acting on an item from a list (the forms come back with ?done=). */
const DONE = { 'follow-up': 'Follow-up recorded', note: 'Note added' }
/**
 * What the user may do from a list. The hub works on every family, and a practitioner on their own;
 * a manager's agency list holds families they may only read, whatever other role they have.
 */
const actionsFor = (ctx: RequestContext, scope: Scope) => ({
  work: scope !== 'agency' && rolesAllow(ctx.actor.roles, 'episode.work'),
  followUp: scope !== 'agency' && rolesAllow(ctx.actor.roles, 'episode.follow-up'),
})

const SCOPE_REFUSED = { for: 'Whose work must be chosen from the list' }

/** What every desk page shows around its content: the filters, the scopes the user may choose, their choices. */
async function frame(ctx: RequestContext, raw: Record<string, unknown>) {
  const choices = await filterChoices(ctx.services.db, ctx.actor.laId)
  const scopes = scopesFor(ctx.actor).map((value) => ({ value, text: SCOPE_NAMES[value] }))
  return { ...choices, scopes, values: raw, columns: 'full' }
}

function badFilters(template: string, base: Record<string, unknown>, errors: Record<string, string>) {
  return page(template, withErrors(base, errors, [...FILTER_FIELDS]), { status: 400 })
}

export const deskRoutes: Route[] = [
  {
    method: 'GET',
    url: '/desk',
    permission: 'queues.view',
    handler: async (ctx) => {
      const read = readFilters(ctx.query)
      const base = { title: 'Work queues', ...(await frame(ctx, read.raw)) }
      if (!read.ok) return badFilters('desk/views/desk.njk', base, read.errors)
      try {
        const { scope, counts } = await deskCounts(ctx.services.db, ctx.actor, read.filters)
        const query = filterQuery({ ...read.filters, scope })
        const queues = QUEUE_KEYS.map((key) => ({ ...QUEUES[key], count: counts[key], href: `/desk/${key}${query}` }))
        // The hub's own lists around the episodes: signposting to decide, cases waiting for a panel, the social care interface.
        const around = isHub(ctx.actor)
          ? {
              signposting: await signpostingCounts(ctx.services.db, ctx.actor.laId),
              panelWaiting: await waitingCount(ctx.services.db, ctx.actor.laId),
              socialCare: await interfaceWaiting(ctx.services.db, ctx.actor.laId),
            }
          : null
        return page('desk/views/desk.njk', { ...base, title: scope === 'council' ? 'The hub’s desk' : 'Work queues', scope, queues, around })
      } catch (error) {
        if (error instanceof ScopeNotAllowed) return badFilters('desk/views/desk.njk', base, SCOPE_REFUSED)
        throw error
      }
    },
  },
  {
    method: 'GET',
    url: '/desk/:queue',
    permission: 'queues.view',
    audit: { action: 'desk.listed', recordType: 'episode-list' },
    handler: async (ctx) => {
      const key = ctx.params.queue
      if (!isQueueKey(key)) throw new NotFound()
      const read = readFilters(ctx.query)
      const base = { title: QUEUES[key].title, queue: QUEUES[key], items: [], ...(await frame(ctx, read.raw)) }
      if (!read.ok) return badFilters('desk/views/queue.njk', base, read.errors)
      try {
        const list = await queueList(ctx.services.db, ctx.actor, key, read.filters)
        const f: DeskFilters = { ...read.filters, scope: list.scope }
        const query = filterQuery(f)
        const pageHref = (n: number) => `/desk/${key}${query}${query ? '&' : '?'}page=${n}`
        if (read.filters.page > list.pages) return redirect(pageHref(list.pages))
        const pagination = {
          ...(read.filters.page > 1
            ? { previous: { href: pageHref(read.filters.page - 1), labelText: `Page ${read.filters.page - 1} of ${list.pages}` } }
            : {}),
          ...(read.filters.page < list.pages
            ? { next: { href: pageHref(read.filters.page + 1), labelText: `Page ${read.filters.page + 1} of ${list.pages}` } }
            : {}),
        }
        return page(
          'desk/views/queue.njk',
          {
            ...base,
            ...list,
            page: read.filters.page,
            query,
            backHref: `/desk${query}`,
            pagination,
            flash: flash(ctx, DONE),
            can: actionsFor(ctx, list.scope),
          },
          { auditDetail: { queue: key, shown: [...new Set(list.items.map((i) => i.episodeId))] } },
        )
      } catch (error) {
        if (error instanceof ScopeNotAllowed) return badFilters('desk/views/queue.njk', base, SCOPE_REFUSED)
        throw error
      }
    },
  },
  // Where the intentions list and the attendance page were before the desk: bookmarks still arrive.
  { method: 'GET', url: '/episodes/intentions', permission: 'queues.view', handler: async () => redirect('/desk/intentions') },
  { method: 'GET', url: '/meetings/attendance', permission: 'queues.view', handler: async () => redirect('/desk/non-attendance') },
]
