import type { FastifyRequest } from 'fastify'

/**
 * Log lines carry a request id and never personal data. A request is logged by the route it matched
 * (for example /people/:id), not by its address: addresses can hold names typed into a search or a
 * mistyped URL, and tokens such as a set-password link.
 */
export function safePath(req: { routeOptions?: { url?: string | undefined } }): string {
  return req.routeOptions?.url ?? '[no matching route]'
}

export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.token', '*.email', '*.full_name', '*.name'],
      censor: '[redacted]',
    },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: safePath(req), remoteAddress: req.ip }
      },
      err(err: Error & { code?: unknown; constraint?: unknown; statusCode?: unknown; severity?: unknown }) {
        // A database error's message and detail can quote the values that caused it: log only its code.
        const fromDatabase = typeof err.severity === 'string'
        return {
          type: err.name,
          message: fromDatabase ? `database error ${String(err.code)}` : err.message,
          code: err.code,
          constraint: err.constraint,
          statusCode: err.statusCode,
          stack: fromDatabase ? '' : (err.stack ?? ''),
        }
      },
    },
  }
}
