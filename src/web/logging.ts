import type { FastifyRequest } from 'fastify'

/**
 * Log lines carry a request id and never personal data. Only the path is logged (query strings can
 * hold search terms such as names), and any path segment after a token route is masked.
 */
export function safePath(url: string): string {
  const path = url.split('?')[0] ?? '/'
  return path.replace(/^(\/set-password\/)[^/]+/, '$1[token]')
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
        return { method: req.method, url: safePath(req.url), remoteAddress: req.ip }
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
