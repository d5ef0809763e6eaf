import type { z } from 'zod'
import type { FieldErrors } from './forms.ts'
import type { Invalid, Outcome } from './outcome.ts'
import type { RecordDeclaration } from '../policies/index.ts'
import type { Permission } from './permissions.ts'
import type { AuditDeclaration, GetRoute, PostRoute, RequestContext } from './router.ts'

export interface FormSpec<S extends z.ZodType> {
  url: string
  permission: Permission
  record?: RecordDeclaration
  audit?: AuditDeclaration
  body: S
  secretFields?: readonly string[]
  /** The page with the form: values to show, and errors when re-rendered after a refused submission. */
  render: (ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors) => Promise<Outcome>
  /** The values the form starts with (an edit form shows what is saved). */
  initial?: (ctx: RequestContext) => Promise<Record<string, unknown>>
  submit: (ctx: RequestContext, input: z.infer<S>) => Promise<Outcome | Invalid>
}

/** The GET and POST routes of one form page, sharing its renderer so a refused POST re-renders it. */
export function formRoutes<S extends z.ZodType>(spec: FormSpec<S>): [GetRoute, PostRoute<S>] {
  const shared = {
    url: spec.url,
    permission: spec.permission,
    ...(spec.record ? { record: spec.record } : {}),
    ...(spec.audit ? { audit: spec.audit } : {}),
  }
  return [
    { ...shared, method: 'GET', handler: async (ctx) => spec.render(ctx, spec.initial ? await spec.initial(ctx) : {}) },
    {
      ...shared,
      method: 'POST',
      body: spec.body,
      ...(spec.secretFields ? { secretFields: spec.secretFields } : {}),
      invalid: (ctx, errors, values) => spec.render(ctx, values, errors),
      handler: spec.submit,
    },
  ]
}
