import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import fastifyHelmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { adminRoutes } from './features/admin/routes.ts'
import { auditRoutes } from './features/audit/routes.ts'
import { authRoutes } from './features/auth/routes.ts'
import { homeRoutes } from './features/home/routes.ts'
import { assessmentRoutes } from './features/assessment/routes/index.ts'
import { breakGlassRoutes } from './features/break-glass/routes.ts'
import { closureRoutes } from './features/closure/routes.ts'
import { deskRoutes } from './features/desk/routes.ts'
import { reminderRoutes } from './features/desk/reminder-routes.ts'
import { episodesRoutes } from './features/episodes/routes/index.ts'
import { meetingRoutes } from './features/meetings/routes.ts'
import { peopleRoutes } from './features/people/routes/index.ts'
import { planRoutes } from './features/plans/routes.ts'
import { reviewRoutes } from './features/reviews/routes.ts'
import { workRoutes } from './features/work/routes.ts'
import { qualityRoutes } from './features/quality/routes.ts'
import { serviceRoutes } from './features/services/routes.ts'
import { signpostingRoutes } from './features/signposting/routes.ts'
import { stepUpRoutes } from './features/social-care/step-up-routes.ts'
import { notificationRoutes } from './features/social-care/notification-routes.ts'
import { stepDownRoutes } from './features/social-care/step-down-routes.ts'
import { socialCareRoutes } from './features/social-care/routes.ts'
import { transferRoutes } from './features/transfers/routes.ts'
import { panelRoutes } from './features/panel/routes.ts'
import { reportsRoutes } from './features/reports/routes.ts'
import type { Route } from './web/router.ts'
import type { Services } from './services.ts'
import { registerErrorPages } from './web/errors.ts'
import { loggerOptions } from './web/logging.ts'
import { registerRoutes } from './web/router.ts'
import { registerSessions } from './web/session.ts'
import { isStatic } from './web/static.ts'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: string
  }
}

/** Builds the whole web app from its services. Every feature's routes are listed here. */
export async function createApp(services: Services, opts: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(services.config.logLevel),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: services.config.production,
    routerOptions: { maxParamLength: 200 },
  })

  // Every route must declare its permission: one registered any other way stops start-up.
  app.addHook('onRoute', (route) => {
    const config = route.config as { permission?: string } | undefined
    if (!config?.permission && !isStatic(route.url) && route.method !== 'HEAD') {
      throw new Error(`Route ${String(route.method)} ${route.url} was registered without a declared permission`)
    }
  })
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id)
  })

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: services.config.production ? [] : null,
      },
    },
    // DENY agrees with frame-ancestors 'none': no site, this one included, may frame a page.
    frameguard: { action: 'deny' },
    hsts: services.config.production,
  })
  await app.register(fastifyCookie)
  // Forms only: a JSON or plain-text body is refused (415, shown as the 400 page) rather than treated as a form.
  app.removeAllContentTypeParsers()
  await app.register(fastifyFormbody, { bodyLimit: 1024 * 1024 })
  // One form sends a file (a transfer package from another installation): its fields and the file's bytes become the body.
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { files: 1, fileSize: 5 * 1024 * 1024, fields: 10, parts: 11 } })
  await app.register(fastifyStatic, { root: path.join(govuk, 'assets'), prefix: '/assets/', maxAge: '1d' })
  await app.register(fastifyStatic, {
    root: govuk,
    prefix: '/govuk/',
    allowedPath: (p) => /^\/govuk-frontend\.min\.(css|js)$/.test(p),
    decorateReply: false,
    maxAge: '1d',
  })
  await app.register(fastifyStatic, { root: path.join(root, 'src', 'web', 'public'), prefix: '/public/', decorateReply: false })

  registerSessions(app, services)
  registerErrorPages(app, services)
  registerRoutes(app, services, appRoutes())
  return app
}

/** Every feature's routes: the map of the app (the access matrix test walks this list). */
export function appRoutes(): Route[] {
  return [
    ...homeRoutes,
    ...authRoutes,
    ...adminRoutes,
    ...auditRoutes,
    ...peopleRoutes,
    ...breakGlassRoutes,
    ...episodesRoutes,
    ...assessmentRoutes,
    ...meetingRoutes,
    ...planRoutes,
    ...reviewRoutes,
    ...closureRoutes,
    ...workRoutes,
    ...deskRoutes,
    ...reminderRoutes,
    ...qualityRoutes,
    ...serviceRoutes,
    ...signpostingRoutes,
    ...panelRoutes,
    ...stepUpRoutes,
    ...notificationRoutes,
    ...stepDownRoutes,
    ...socialCareRoutes,
    ...transferRoutes,
    ...reportsRoutes,
  ]
}

export type App = Awaited<ReturnType<typeof createApp>>
