import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../services.ts'
import { Forbidden, NotFound, WrongStage } from './outcome.ts'
import { renderPage } from './respond.ts'

/** 404, 400 and 500 pages that say what to do next and reveal nothing internal. */
export function registerErrorPages(app: FastifyInstance, services: Services): void {
  app.setNotFoundHandler(async (req, reply) => send(req, reply, services, 'errors/not-found.njk', 404))

  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (error instanceof NotFound) return send(req, reply, services, 'errors/not-found.njk', 404)
    if (error instanceof Forbidden) return send(req, reply, services, 'errors/forbidden.njk', 403)
    if (error instanceof WrongStage) return send(req, reply, services, 'errors/wrong-stage.njk', 409)
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      // Malformed bodies, wrong content types, bodies too large: the user's request, not our fault.
      req.log.info({ code: error.code, statusCode: status }, 'request refused')
      return send(req, reply, services, 'errors/bad-request.njk', 400, {
        errorList: [{ text: 'We could not read what was sent. Go back, check your answers and try again', href: '#main-content' }],
      })
    }
    req.log.error({ err: error }, 'unhandled error')
    return send(req, reply, services, 'errors/server-error.njk', 500, { requestId: req.id })
  })
}

async function send(req: FastifyRequest, reply: FastifyReply, services: Services, template: string, status: number, data: Record<string, unknown> = {}) {
  try {
    await renderPage(req, reply, services, { type: 'page', template, data, status })
  } catch (error) {
    req.log.error({ err: error }, 'error page failed to render')
    await reply.code(status).type('text/plain; charset=utf-8').send('Sorry, there is a problem with the service. Try again later.')
  }
}
