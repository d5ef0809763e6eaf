import type { Writable } from 'node:stream'
import type { FieldErrors } from './forms.ts'

/** What a route handler returns; the router audits, then renders or redirects. */
export type Outcome =
  | {
      type: 'page'
      template: string
      data: Record<string, unknown>
      status: number
      record?: AuditedRecord
      auditDetail?: Record<string, unknown>
      /** The page of an audited route shows no one's data this time (the start page to someone without a right): no view is recorded. */
      showsNoOne?: true
    }
  | { type: 'redirect'; to: string }
  | { type: 'json'; body: unknown; status: number }
  | { type: 'download'; filename: string; contentType: string; body: Buffer | string; auditDetail?: Record<string, unknown> }
  /** A file written as it is made (an export of any size): `write` fills the stream, which the router then ends. */
  | { type: 'stream'; filename: string; contentType: string; write(out: Writable): Promise<unknown>; auditDetail?: Record<string, unknown> }

/** A submission the use case refused (for example, an email address already in use): re-render with these. */
export interface Invalid {
  type: 'invalid'
  errors: FieldErrors
}

export interface AuditedRecord {
  type: string
  id: string | number
}

export function page(
  template: string,
  data: Record<string, unknown> = {},
  opts: { status?: number; record?: AuditedRecord; auditDetail?: Record<string, unknown>; showsNoOne?: true } = {},
): Outcome {
  return {
    type: 'page',
    template,
    data,
    status: opts.status ?? 200,
    ...(opts.record ? { record: opts.record } : {}),
    ...(opts.auditDetail ? { auditDetail: opts.auditDetail } : {}),
    ...(opts.showsNoOne ? { showsNoOne: true as const } : {}),
  }
}

export function redirect(to: string): Outcome {
  return { type: 'redirect', to }
}

export function json(body: unknown, status = 200): Outcome {
  return { type: 'json', body, status }
}

export function invalid(errors: FieldErrors): Invalid {
  return { type: 'invalid', errors }
}

/** Thrown by a handler when the thing asked for does not exist in the user's council. */
export class NotFound extends Error {
  constructor() {
    super('not found')
  }
}

/** Thrown when the user is signed in but may not do this. */
export class Forbidden extends Error {
  constructor() {
    super('forbidden')
  }
}

/** Thrown when a record has moved on from the step the user is trying to take (it was already done). */
export class WrongStage extends Error {
  constructor() {
    super('wrong stage')
  }
}
