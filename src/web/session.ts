import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findActiveSession } from '../features/auth/session-store.ts'
import { newToken } from '../features/auth/session-store.ts'
import type { Services } from '../services.ts'
import { isStatic } from './static.ts'
import type { Actor } from './actor.ts'

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null
    councilName: string | null
    feedbackAddress: string | null
    /** The random value that binds CSRF tokens before sign-in. */
    preSession: string | null
  }
}

export function sessionCookieName(production: boolean): string {
  // __Host- cookies must be Secure, have no Domain and Path=/: the browser then refuses any
  // attempt by another (sub)domain to set them.
  return production ? '__Host-caf_session' : 'caf_session'
}
const PRE_SESSION_COOKIE = 'caf_pre'

export function cookieOptions(production: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: production }
}

/** Reads the session cookie on every request and sets req.actor when the session is live. */
export function registerSessions(app: FastifyInstance, services: Services): void {
  const { config, db } = services
  const cookieName = sessionCookieName(config.production)
  app.decorateRequest('actor', null)
  app.decorateRequest('councilName', null)
  app.decorateRequest('feedbackAddress', null)
  app.decorateRequest('preSession', null)
  app.addHook('preHandler', async (req, reply) => {
    if (isStatic(req.url)) return
    const token = req.cookies[cookieName]
    if (token) {
      const session = await findActiveSession(db, token, { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours })
      if (session) {
        req.actor = session.actor
        req.councilName = session.councilName
        req.feedbackAddress = session.feedbackAddress
      } else {
        reply.clearCookie(cookieName, cookieOptions(config.production))
      }
    }
    if (!req.actor) {
      const pre = req.cookies[PRE_SESSION_COOKIE]
      if (pre && /^[A-Za-z0-9_-]{20,100}$/.test(pre)) req.preSession = pre
      else {
        // A POST without the cookie fails its CSRF check, but the form it re-renders gets a token that works.
        req.preSession = newToken()
        reply.setCookie(PRE_SESSION_COOKIE, req.preSession, cookieOptions(config.production))
      }
    }
  })
}

export function setSessionCookie(reply: FastifyReply, services: Services, token: string): void {
  reply.setCookie(sessionCookieName(services.config.production), token, cookieOptions(services.config.production))
}

export function clearSessionCookie(reply: FastifyReply, services: Services): void {
  reply.clearCookie(sessionCookieName(services.config.production), cookieOptions(services.config.production))
}

/** What a CSRF token is bound to on this request. */
export function csrfBinding(req: FastifyRequest): string | undefined {
  return req.actor?.sessionId ?? req.preSession ?? undefined
}
