import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../services.ts'
import { csrfToken } from './csrf.ts'
import type { Outcome } from './outcome.ts'
import { layoutContext } from './render.ts'
import { csrfBinding } from './session.ts'

/** Sends a handler's outcome: renders a page inside the layout, redirects, or sends JSON or a file. */
export async function renderPage(req: FastifyRequest, reply: FastifyReply, services: Services, outcome: Outcome): Promise<void> {
  // Every answer a route gives may carry someone's personal data (a page, a PDF, a calendar file): none is cached.
  reply.header('cache-control', 'no-store')
  switch (outcome.type) {
    case 'redirect':
      return void reply.redirect(outcome.to, 303)
    case 'json':
      return void reply.code(outcome.status).send(outcome.body)
    case 'download':
      return void reply.header('content-disposition', attachment(outcome.filename)).type(outcome.contentType).send(outcome.body)
    case 'stream': {
      const out = new PassThrough()
      // Once the first bytes are sent the status cannot change: a failure part way ends the download
      // short (the browser reports it failed), and is logged without the data.
      outcome.write(out).catch((error: unknown) => {
        req.log.error({ err: error instanceof Error ? { message: error.message } : {} }, 'a streamed download failed')
        out.destroy(error instanceof Error ? error : new Error('download failed'))
      })
      return void reply.header('content-disposition', attachment(outcome.filename)).type(outcome.contentType).send(out)
    }
    case 'page': {
      const html = await renderToString(req, reply, services, outcome.template, outcome.data)
      return void reply.code(outcome.status).type('text/html; charset=utf-8').send(html)
    }
  }
}

function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`
}

export function renderToString(req: FastifyRequest, reply: FastifyReply, services: Services, template: string, data: Record<string, unknown>): Promise<string> {
  const binding = csrfBinding(req)
  const context = {
    ...layoutContext({
      actor: req.actor,
      cspNonce: (reply as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script ?? '',
      csrfToken: binding ? csrfToken(services.config.sessionSecret, binding) : '',
      demo: services.config.demo,
      councilName: req.councilName,
      feedbackAddress: req.feedbackAddress,
      currentPath: req.url.split('?')[0] ?? '/',
    }),
    ...data,
  }
  return new Promise((resolve, reject) => {
    services.views.render(template, context, (err, html) => (err ? reject(err) : resolve(html ?? '')))
  })
}
