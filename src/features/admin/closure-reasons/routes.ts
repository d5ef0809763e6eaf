import { formSchema, integer, text, yesNo, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { codeParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { STEP_UP_REASON } from '../../closure/use-cases.ts'
import { ConfigRuleBroken } from '../caf-config/use-cases.ts'
import { CONFLICT_MESSAGE, EditConflict } from '../conflict.ts'
import { addClosureReason, getClosureReason, listClosureReasons, updateClosureReason, type ClosureReason } from './use-cases.ts'

const PERMISSION = 'admin.organisation'
const VIEWS = 'admin/closure-reasons/views'
const LIST = '/admin/closure-reasons'

const label = text('Name of the reason', { max: 200 })
const addBody = formSchema({ label })
const editBody = formSchema({
  label,
  visible: yesNo('Shown', 'Select yes if practitioners can choose this reason'),
  version: integer('Version', { min: 1, max: 1_000_000_000 }),
})

async function editPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, theirs?: ClosureReason, status = 200) {
  const reason = await getClosureReason(ctx.services.db, ctx.actor, codeParam(ctx.params.code))
  return page(
    `${VIEWS}/form.njk`,
    withErrors({ title: 'Change a closure reason', reason, isStepUp: reason.code === STEP_UP_REASON, values, action: ctx.path, theirs }, errors, [
      'label',
      'visible',
    ]),
    { status },
  )
}

const editValues = (r: { label: string; hidden: boolean; version: number }) => ({
  label: r.label,
  visible: r.hidden ? 'no' : 'yes',
  version: String(r.version),
})

export const closureReasonRoutes: Route[] = [
  {
    method: 'GET',
    url: LIST,
    permission: PERMISSION,
    handler: async (ctx) => {
      const reasons = await listClosureReasons(ctx.services.db, ctx.actor)
      return page(`${VIEWS}/list.njk`, {
        title: 'Closure reasons',
        reasons,
        stepUpLabel: reasons.find((r) => r.code === STEP_UP_REASON)?.label,
        flash: ctx.query.saved ? 'Closure reason saved' : null,
      })
    },
  },
  ...formRoutes({
    url: `${LIST}/new`,
    permission: PERMISSION,
    body: addBody,
    render: async (ctx, values, errors) =>
      page(`${VIEWS}/form.njk`, withErrors({ title: 'Add a closure reason', values, action: ctx.path }, errors, ['label'])),
    submit: async (ctx, input) => {
      try {
        await addClosureReason(ctx.services.db, ctx.actor, input)
      } catch (error) {
        if (error instanceof ConfigRuleBroken) return invalid({ [error.field]: error.message })
        throw error
      }
      return redirect(`${LIST}?saved=1`)
    },
  }),
  ...formRoutes({
    url: `${LIST}/:code/edit`,
    permission: PERMISSION,
    body: editBody,
    render: (ctx, values, errors) => editPage(ctx, values, errors),
    initial: async (ctx) => editValues(await getClosureReason(ctx.services.db, ctx.actor, codeParam(ctx.params.code))),
    submit: async (ctx, input) => {
      const code = codeParam(ctx.params.code)
      const change = { label: input.label, hidden: !input.visible, version: input.version }
      try {
        await updateClosureReason(ctx.services.db, ctx.actor, code, change)
      } catch (error) {
        if (error instanceof ConfigRuleBroken) return invalid({ [error.field]: error.message })
        if (error instanceof EditConflict) {
          const theirs = await getClosureReason(ctx.services.db, ctx.actor, code)
          return editPage(ctx, editValues({ ...change, version: theirs.version }), { form: CONFLICT_MESSAGE }, theirs, 409)
        }
        throw error
      }
      return redirect(`${LIST}?saved=1`)
    },
  }),
]
