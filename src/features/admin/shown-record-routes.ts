import type { FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { formSchema, integer, text, yesNo } from '../../web/forms.ts'
import { invalid, redirect, type Outcome } from '../../web/outcome.ts'
import { codeParam } from '../../web/params.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { ConfigRuleBroken } from './caf-config/use-cases.ts'
import { EditConflict } from '../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../web/forms.ts'

/** A council's configuration record with a name that can be hidden from practitioners, edited by its code. */
export interface ShownRecord {
  label: string
  hidden: boolean
  version: number
}

export interface ShownRecordSpec<R extends ShownRecord> {
  /** The edit page's URL, with :code in it. */
  url: string
  /** The label of the name field, for its error messages: "Name of the element". */
  nameLabel: string
  /** The error when neither yes nor no is chosen. */
  shownMessage: string
  load: (ctx: RequestContext, code: string) => Promise<R>
  save: (ctx: RequestContext, code: string, change: ShownRecord) => Promise<void>
  /** The form page; after a conflict, `theirs` is the version someone else saved (status 409). */
  page: (ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, theirs?: R, status?: number) => Promise<Outcome>
  /** Where a save goes back to. */
  savedUrl: string
}

const formValues = (r: ShownRecord) => ({ label: r.label, visible: r.hidden ? 'no' : 'yes', version: String(r.version) })

/**
 * The edit form of such a record (an assessment element, a closure reason): rename it or hide it,
 * refused where a rule of the council's configuration would break, and checked against the version
 * the administrator started from.
 */
export function shownRecordRoutes<R extends ShownRecord>(spec: ShownRecordSpec<R>): Route[] {
  const body = formSchema({
    label: text(spec.nameLabel, { max: 200 }),
    visible: yesNo('Shown', spec.shownMessage),
    version: integer('Version', { min: 1, max: 1_000_000_000 }),
  })
  return formRoutes({
    url: spec.url,
    permission: 'admin.organisation',
    body,
    render: (ctx, values, errors) => spec.page(ctx, values, errors),
    initial: async (ctx) => formValues(await spec.load(ctx, codeParam(ctx.params.code))),
    submit: async (ctx, input) => {
      const code = codeParam(ctx.params.code)
      const change = { label: input.label, hidden: !input.visible, version: input.version }
      try {
        await spec.save(ctx, code, change)
      } catch (error) {
        if (error instanceof ConfigRuleBroken) return invalid({ [error.field]: error.message })
        if (error instanceof EditConflict) {
          const theirs = await spec.load(ctx, code)
          return spec.page(ctx, formValues({ ...change, version: theirs.version }), { form: CONFLICT_MESSAGE }, theirs, 409)
        }
        throw error
      }
      return redirect(spec.savedUrl)
    },
  })
}
