import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { audit } from '../features/audit/audit-log.ts'
import type { AuditAction } from '../features/audit/actions.ts'
import { decide, declaredRight, type Grant, type RecordDeclaration, type RecordKind } from '../policies/index.ts'
import type { EpisodeAccess } from '../policies/episode.ts'
import type { PersonAccess } from '../policies/person.ts'
import type { SignpostingAccess } from '../policies/signposting.ts'
import type { PanelAccess } from '../policies/panel.ts'
import type { InterfaceAccess } from '../policies/social-care.ts'
import type { TransferAccess } from '../policies/transfer.ts'
import type { Services } from '../services.ts'
import type { Actor } from './actor.ts'
import { csrfValid } from './csrf.ts'
import { keptValues, validate, type FieldErrors } from './forms.ts'
import type { Invalid, Outcome } from './outcome.ts'
import { isPermission, rolesAllow, type Permission } from './permissions.ts'
import { csrfBinding } from './session.ts'
import { renderPage } from './respond.ts'
import { withErrors } from './render.ts'

/** The page a refused POST gets when its form cannot be shown again: it shows no one's data. */
const PLAIN_ERROR_PAGE = 'errors/bad-request.njk'

/** Declared by a page that shows a person's data: the router writes this audit entry for every view. */
export interface AuditDeclaration {
  action: AuditAction
  recordType: string
}

export interface RequestContext {
  req: FastifyRequest
  /** For cookies only (sign-in and sign-out); pages are rendered by the router from the outcome. */
  reply: FastifyReply
  services: Services
  /** The signed-in user. Throws on a public route with nobody signed in. */
  actor: Actor
  maybeActor: Actor | null
  params: Record<string, string>
  /** The record id in the address (`:id`), parsed. Throws on a route without one. */
  id: number
  /** The access the router found to the record the route declares. Throws on a route that declares none. */
  episodeAccess: EpisodeAccess
  personAccess: PersonAccess
  signpostingAccess: SignpostingAccess
  panelAccess: PanelAccess
  /** For a notification, step up or step down. */
  interfaceAccess: InterfaceAccess
  transferAccess: TransferAccess
  query: Record<string, unknown>
  /** The address's path, without its query string (a form's action, the current page in the menu). */
  path: string
}

interface RouteBase {
  url: string
  permission: Permission
  /** The record in the address and the right needed to it: the router decides (404/403) before the handler runs. */
  record?: RecordDeclaration
  audit?: AuditDeclaration
}

export interface GetRoute extends RouteBase {
  method: 'GET'
  handler(ctx: RequestContext): Promise<Outcome>
}

export interface PostRoute<S extends z.ZodType = z.ZodType> extends RouteBase {
  method: 'POST'
  /** A strict schema for the body. A POST route without one makes start-up fail. */
  body: S
  /** Fields never echoed back into a re-rendered form. */
  secretFields?: readonly string[]
  /** Re-renders the form (status 400) with the errors and what the user typed. Without it, a plain error page. */
  invalid?(ctx: RequestContext, errors: FieldErrors, values: Record<string, unknown>): Promise<Outcome>
  // Method syntax on purpose: routes with different schemas share one list (parameter bivariance).
  handler(ctx: RequestContext, input: z.infer<S>): Promise<Outcome | Invalid>
}

export type Route = GetRoute | PostRoute

/** What each route parameter may be; anything else is a page that does not exist (404), checked before anything else. */
const ID_PARAM = /^\d{1,9}$/
const CODE_PARAM = /^[A-Za-z0-9_-]{1,60}$/
const isIdParam = (name: string) => name === 'id' || name.endsWith('Id')

function paramsValid(params: Record<string, string>): boolean {
  return Object.entries(params).every(([name, value]) => (isIdParam(name) ? ID_PARAM : CODE_PARAM).test(value))
}

const RECORD_URL = /^\/(episodes|people|signposting|panel|notifications|step-ups|step-downs|transfers)\/:id(\/|$)/

const EXPIRED_FORM = 'This form could not be checked, perhaps because you left it open for a long time. Check your answers and submit it again'

/** Registers routes after checking each declares a known permission (and each POST a schema). */
export function registerRoutes(app: FastifyInstance, services: Services, routes: readonly Route[]): void {
  for (const route of routes) {
    if (!isPermission(route.permission)) {
      throw new Error(`Route ${route.method} ${route.url} declares no known permission ("${String(route.permission)}")`)
    }
    if (route.method === 'POST' && !route.body) throw new Error(`Route POST ${route.url} has no body schema`)
    if (route.record && !route.url.includes('/:id')) throw new Error(`Route ${route.method} ${route.url} declares a record but has no :id`)
    // A page about a child's record or an episode cannot forget to say what access it needs.
    if (!route.record && RECORD_URL.test(route.url)) throw new Error(`Route ${route.method} ${route.url} is about a record but declares no record access`)
    app.route({
      method: route.method,
      url: route.url,
      config: { permission: route.permission },
      // The reply is returned, as fastify asks of an async handler that has sent it: a streamed
      // download would otherwise be cut off when the handler's promise settles.
      handler: async (req, reply) => {
        await handle(route, services, req, reply)
        return reply
      },
    })
  }
}

async function handle(route: Route, services: Services, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const actor = req.actor
  if (route.permission !== 'public') {
    if (!actor) {
      const returnTo = route.method === 'GET' ? `?returnTo=${encodeURIComponent(req.url)}` : ''
      return void reply.redirect(`/sign-in${returnTo}`, 303)
    }
    if (!rolesAllow(actor.roles, route.permission)) {
      await audit(services.db, {
        laId: actor.laId,
        actorUserId: actor.userId,
        sessionId: actor.sessionId,
        action: 'access.denied',
        detail: { route: route.url },
      })
      return renderPage(req, reply, services, { type: 'page', template: 'errors/forbidden.njk', data: {}, status: 403 })
    }
  }
  const params = (req.params ?? {}) as Record<string, string>
  if (!paramsValid(params)) return renderPage(req, reply, services, { type: 'page', template: 'errors/not-found.njk', data: {}, status: 404 })
  let grant: Grant | null = null
  if (route.record && actor) {
    const id = Number(params.id)
    const decision = await decide(services.db, actor, route.record, id)
    if (decision.type !== 'allowed') {
      await audit(services.db, {
        laId: actor.laId,
        actorUserId: actor.userId,
        sessionId: actor.sessionId,
        action: `${decision.kind}.access-refused`,
        recordType: decision.kind,
        recordId: String(id),
        detail: { route: route.url, right: declaredRight(route.record) },
      })
      return renderPage(req, reply, services, refusal(decision.type, decision.kind, id))
    }
    grant = decision.grant
  }
  const ctx = context(req, reply, services, grant)
  let outcome: Outcome
  if (route.method === 'POST') {
    const values = keptValues(req.body, route.secretFields)
    const body = (req.body ?? {}) as Record<string, unknown>
    let errors: FieldErrors | null = null
    let input: unknown
    if (!csrfValid(services.config.sessionSecret, csrfBinding(req), body._csrf)) {
      errors = { form: EXPIRED_FORM }
    } else {
      const { _csrf: _token, ...fields } = body
      const result = validate(route.body, fields)
      if (result.ok) input = result.data
      else errors = result.errors
    }
    if (!errors) {
      const result = await route.handler(ctx, input)
      if (result.type === 'invalid') errors = result.errors
      else outcome = result
    }
    if (errors) {
      const plain: Outcome = {
        type: 'page',
        template: PLAIN_ERROR_PAGE,
        data: { errorList: [{ text: Object.values(errors)[0], href: '#main-content' }] },
        status: 400,
      }
      outcome = route.invalid ? await route.invalid(ctx, errors, values) : plain
      // A form that cannot be shown again (the record has moved on) still answers 400 with the error, never a redirect.
      if (outcome.type !== 'page') outcome = plain
      outcome.status = 400
    }
  } else {
    outcome = await route.handler(ctx)
  }
  if (route.audit && outcome!.type !== 'redirect' && actor) {
    const status = outcome!.type === 'page' || outcome!.type === 'json' ? outcome!.status : 200
    // A refused form shown again (400, or 409 after a conflict) shows the person's data as much as the
    // form did. The plain error page shows none; nor do refused searches (GET) and refusals of access.
    const refusedForm = route.method === 'POST' && (status === 400 || status === 409) && outcome!.type === 'page' && outcome!.template !== PLAIN_ERROR_PAGE
    const showsData = (status < 400 || refusedForm) && !(outcome!.type === 'page' && outcome!.showsNoOne)
    if (showsData) {
      const record = outcome!.type === 'page' ? outcome!.record : undefined
      const extra = outcome!.type === 'page' || outcome!.type === 'download' || outcome!.type === 'stream' ? outcome!.auditDetail : undefined
      await audit(services.db, {
        laId: actor.laId,
        actorUserId: actor.userId,
        sessionId: actor.sessionId,
        action: route.audit.action,
        recordType: route.audit.recordType,
        // The record a page shows is the one it names, or else the one in its address (/people/:id).
        recordId: record?.id ?? params.id ?? null,
        // Why they could read it: a member of a panel reading a case on its agenda shows as "panel".
        detail: { route: route.url, ...(grant?.kind === 'episode' && grant.access?.basis ? { basis: grant.access.basis } : {}), ...extra },
      })
    }
  }
  return renderPage(req, reply, services, outcome!)
}

/**
 * The answer to someone who may not do this with the record. One who may not read it gets the same
 * page (404) whether the record exists or not, naming no one, with the way to ask for access.
 */
export function refusal(type: 'hidden' | 'forbidden', kind: RecordKind, id: number, errors?: FieldErrors, values: Record<string, unknown> = {}): Outcome {
  if (type === 'forbidden') return { type: 'page', template: 'errors/forbidden.njk', data: { kind }, status: 403 }
  // Only episodes and people's records can be opened by breaking the glass.
  if (kind !== 'episode' && kind !== 'person') return { type: 'page', template: 'errors/not-found.njk', data: {}, status: 404 }
  const data = { title: 'You cannot open this record', kind, action: `/${kind === 'episode' ? 'episodes' : 'people'}/${id}/break-glass`, values }
  return { type: 'page', template: 'errors/no-access.njk', data: errors ? withErrors(data, errors, ['reason']) : data, status: errors ? 400 : 404 }
}

function context(req: FastifyRequest, reply: FastifyReply, services: Services, grant: Grant | null): RequestContext {
  const maybeActor = req.actor
  const params = (req.params ?? {}) as Record<string, string>
  const granted = (...kinds: Grant['kind'][]) => {
    if (!grant || !kinds.includes(grant.kind) || !grant.access) throw new Error(`This route declares no ${kinds.join(' or ')} it may open`)
    return grant.access
  }
  return {
    req,
    reply,
    services,
    maybeActor,
    get actor(): Actor {
      if (!maybeActor) throw new Error('This route is public: there is no signed-in user')
      return maybeActor
    },
    params,
    get id(): number {
      if (!params.id) throw new Error('This route has no :id')
      return Number(params.id)
    },
    get episodeAccess() {
      return granted('episode') as EpisodeAccess
    },
    get personAccess() {
      return granted('person') as PersonAccess
    },
    get signpostingAccess() {
      return granted('signposting') as SignpostingAccess
    },
    get panelAccess() {
      return granted('panel') as PanelAccess
    },
    get interfaceAccess() {
      return granted('notification', 'step-up', 'step-down') as InterfaceAccess
    },
    get transferAccess() {
      return granted('transfer') as TransferAccess
    },
    query: (req.query ?? {}) as Record<string, unknown>,
    path: req.url.split('?')[0] ?? '/',
  }
}
