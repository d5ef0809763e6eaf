import { sql } from 'kysely'
import { json, page, redirect } from '../../web/outcome.ts'
import { isHub } from '../../policies/hub.ts'
import { isSocialCare } from '../../policies/social-care.ts'
import { rolesAllow, ROLE_LABELS } from '../../web/permissions.ts'
import type { Route } from '../../web/router.ts'

export const homeRoutes: Route[] = [
  {
    method: 'GET',
    url: '/',
    permission: 'signed-in',
    handler: async (ctx) => {
      // The hub's home is its desk: what has slipped across the council.
      if (isHub(ctx.actor)) return redirect('/desk')
      // Social care's home is the interface: its step ups to decide, its step downs, what it sent.
      if (isSocialCare(ctx.actor)) return redirect('/social-care')
      const agency = await ctx.services.db
        .selectFrom('agencies')
        .select('name')
        .where('id', '=', ctx.actor.agencyId)
        .where('la_id', '=', ctx.actor.laId)
        .executeTakeFirst()
      return page('home/views/home.njk', {
        title: 'Home',
        agencyName: agency?.name ?? '',
        roleLabels: ctx.actor.roles.map((r) => ROLE_LABELS[r]),
        canAdminister: rolesAllow(ctx.actor.roles, 'admin.organisation'),
        canAudit: rolesAllow(ctx.actor.roles, 'audit.read'),
        canWork: rolesAllow(ctx.actor.roles, 'episode.work'),
        canSeeQueues: rolesAllow(ctx.actor.roles, 'queues.view'),
        canSeeInterfaceCounts: rolesAllow(ctx.actor.roles, 'interface.counts'),
        canSeeReports: rolesAllow(ctx.actor.roles, 'reports.view'),
      })
    },
  },
  {
    method: 'GET',
    url: '/health',
    permission: 'public',
    handler: async (ctx) => {
      try {
        await sql`select 1`.execute(ctx.services.db)
        return json({ status: 'ok', database: 'ok', engine: ctx.services.database.kind })
      } catch {
        return json({ status: 'error', database: 'unreachable' }, 503)
      }
    },
  },
  {
    method: 'GET',
    url: '/accessibility',
    permission: 'public',
    handler: async () => page('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  },
  { method: 'GET', url: '/privacy', permission: 'public', handler: async () => page('home/views/privacy.njk', { title: 'How we use information' }) },
]
