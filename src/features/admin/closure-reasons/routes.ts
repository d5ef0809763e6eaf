import { formSchema, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { codeParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { STEP_UP_REASON } from '../../closure/use-cases.ts'
import { ConfigRuleBroken } from '../caf-config/use-cases.ts'
import { shownRecordRoutes } from '../shown-record-routes.ts'
import { addClosureReason, getClosureReason, listClosureReasons, updateClosureReason, type ClosureReason } from './use-cases.ts'

const PERMISSION = 'admin.organisation'
const VIEWS = 'admin/closure-reasons/views'
const LIST = '/admin/closure-reasons'

const addBody = formSchema({ label: text('Name of the reason', { max: 200 }) })

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
        stepUpCode: STEP_UP_REASON,
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
  ...shownRecordRoutes({
    url: `${LIST}/:code/edit`,
    nameLabel: 'Name of the reason',
    shownMessage: 'Select yes if practitioners can choose this reason',
    load: (ctx, code) => getClosureReason(ctx.services.db, ctx.actor, code),
    save: (ctx, code, change) => updateClosureReason(ctx.services.db, ctx.actor, code, change),
    page: editPage,
    savedUrl: `${LIST}?saved=1`,
  }),
]
