import { z } from 'zod'
import { stageAllows } from '../episodes/stages.ts'
import { choice, dateFields, formSchema, integer, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { dateParts, readDate } from '../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../web/outcome.ts'
import { idParam } from '../../web/params.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { EditConflict } from '../../db/conflict.ts'
import { familyCopyPdf } from '../assessment/family-copy-pdf.ts'
import type { Episode } from '../episodes/repository.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { referralsByAction } from '../services/referral-queries.ts'
import { familyPlan } from './family-plan.ts'
import { ACTION_STATUSES, addAction, NotAnOwner, planOf, possibleOwners, startPlan, updateAction, type Owner } from './use-cases.ts'
import { auditAs } from '../audit/audit-log.ts'

export const OWNER = /^(user|person|agency):(\d{1,12})$/
const actionShape = {
  description: text('The action', { max: 2000, multiline: true, requiredMessage: 'Describe the action: what will be done' }),
  owner: z.string({ error: 'Select who will do it' }).regex(OWNER, 'Select who will do it'),
  ...dateFields('due', 'Due date'),
  serviceName: optionalText('Service', { max: 200 }),
}
const addBody = formSchema(actionShape)
const editBody = formSchema({
  ...actionShape,
  status: choice(
    'Progress',
    ACTION_STATUSES.map((s) => s.value),
    'Select how the action is going',
  ),
  notDoneReason: optionalText('Why it was not done', { max: 2000, multiline: true }),
  version: integer('Version', { min: 1, max: 1_000_000_000 }),
})
const ACTION_ORDER = ['description', 'owner', 'due-day', 'serviceName', 'status', 'notDoneReason']
const ACTION_CONFLICT =
  'Someone else changed this action while you were editing it, so your change was not saved. Open the plan again to see theirs, then make yours'

export function ownerOf(value: string): Owner {
  const [, kind, id] = OWNER.exec(value)!
  return { kind: kind as Owner['kind'], id: Number(id) }
}

function planPage(ctx: RequestContext): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const [plan, referrals] = await Promise.all([planOf(ctx.services.db, ctx.actor.laId, episode.id), referralsByAction(ctx.services.db, episode.id)])
    return page('plans/views/plan.njk', {
      title: 'The plan',
      ...episodeHeader(episode),
      plan,
      referrals,
      canStart: access.canChange && plan.length === 0 && stageAllows(episode.status, 'plan'),
      canChange: access.canChange && stageAllows(episode.status, 'plan'),
      flash: flash(ctx, { started: 'Plan started from the assessment’s needs', added: 'Action added', saved: 'Action saved' }),
    })
  })
}

async function actionPage(ctx: RequestContext, episode: Episode, values: Record<string, unknown>, errors: FieldErrors | undefined, editing: boolean) {
  const [plan, owners] = await Promise.all([planOf(ctx.services.db, ctx.actor.laId, episode.id), possibleOwners(ctx.services.db, episode.id)])
  const outcome = editing
    ? plan.find((o) => o.actions.some((a) => String(a.id) === ctx.params.actionId))
    : plan.find((o) => String(o.id) === ctx.params.outcomeId)
  if (!outcome) throw new NotFound()
  return page(
    'plans/views/action.njk',
    withErrors(
      {
        title: editing ? 'Update an action' : 'Add an action',
        ...episodeHeader(episode),
        outcome,
        owners,
        statuses: ACTION_STATUSES,
        editing,
        values,
        action: ctx.path,
      },
      errors,
      ACTION_ORDER,
    ),
  )
}

/** Checks the date and owner, then runs the change; a bad owner or date is shown against its field. */
async function withActionChecks(
  input: { owner: string } & Record<string, unknown>,
  run: (due: string, owner: Owner) => Promise<Outcome>,
): Promise<Outcome | ReturnType<typeof invalid>> {
  const due = readDate(input, 'due', 'Due date', { notBefore: '2000-01-01' })
  if ('error' in due) return invalid({ 'due-day': due.error })
  try {
    return await run(due.iso!, ownerOf(input.owner))
  } catch (error) {
    if (error instanceof NotAnOwner)
      return invalid({ owner: 'Select someone in the Team Around the Family, a family member, or an agency the family agreed to share with' })
    if (error instanceof EditConflict) return invalid({ form: ACTION_CONFLICT })
    throw error
  }
}

export const planRoutes: Route[] = [
  { method: 'GET', url: '/episodes/:id/plan', permission: 'episode.view', record: { episode: 'read' }, audit: EPISODE_VIEWED, handler: planPage },
  {
    method: 'POST',
    url: '/episodes/:id/plan/start',
    permission: 'episode.work',
    record: { episode: 'work' },
    body: formSchema({}),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      await startPlan(ctx.services.db, ctx.actor, id)
      return redirect(`/episodes/${id}/plan?done=started`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/plan/outcomes/:outcomeId/actions/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: addBody,
    render: (ctx, values, errors) => withEpisode(ctx, (episode) => actionPage(ctx, episode, values, errors, false)),
    submit: (ctx, input) =>
      withActionChecks(input, async (dueOn, owner) => {
        const id = idParam(ctx.params.id)
        await addAction(ctx.services.db, ctx.actor, id, idParam(ctx.params.outcomeId), {
          description: input.description,
          owner,
          dueOn,
          serviceName: input.serviceName,
        })
        return redirect(`/episodes/${id}/plan?done=added`)
      }),
  }),
  ...formRoutes({
    url: '/episodes/:id/plan/actions/:actionId',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: editBody,
    render: (ctx, values, errors) => withEpisode(ctx, (episode) => actionPage(ctx, episode, values, errors, true)),
    initial: async (ctx) => {
      const plan = await planOf(ctx.services.db, ctx.actor.laId, idParam(ctx.params.id))
      const a = plan.flatMap((o) => o.actions).find((x) => String(x.id) === ctx.params.actionId)
      if (!a) throw new NotFound()
      return {
        description: a.description,
        owner: a.owner_user_id ? `user:${a.owner_user_id}` : a.owner_person_id ? `person:${a.owner_person_id}` : `agency:${a.owner_agency_id}`,
        ...dateParts(a.due_on, 'due'),
        serviceName: a.service_name ?? '',
        status: a.status,
        notDoneReason: a.not_done_reason ?? '',
        version: String(a.version),
      }
    },
    submit: (ctx, input) => {
      if (input.status === 'not-done' && !input.notDoneReason) return Promise.resolve(invalid({ notDoneReason: 'Enter why the action was not done' }))
      return withActionChecks(input, async (dueOn, owner) => {
        const id = idParam(ctx.params.id)
        await updateAction(ctx.services.db, ctx.actor, id, idParam(ctx.params.actionId), {
          description: input.description,
          owner,
          dueOn,
          serviceName: input.serviceName,
          status: input.status,
          notDoneReason: input.notDoneReason,
          version: input.version,
        })
        return redirect(`/episodes/${id}/plan?done=saved`)
      })
    },
  }),
  {
    method: 'GET',
    url: '/episodes/:id/plan/family',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        const copy = await familyPlan(ctx.services.db, ctx.actor.laId, episode)
        return page('plans/views/family-plan.njk', { title: copy.title, ...episodeHeader(episode), copy })
      }),
  },
  {
    method: 'GET',
    url: '/episodes/:id/plan.pdf',
    permission: 'episode.view',
    record: { episode: 'read' },
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        const pdf = await familyCopyPdf(await familyPlan(ctx.services.db, ctx.actor.laId, episode))
        await auditAs(ctx.services.db, ctx.actor, 'episode.family-plan-downloaded', { type: 'episode', id: episode.id })
        return { type: 'download', filename: `caf-plan-${episode.id}.pdf`, contentType: 'application/pdf', body: pdf }
      }),
  },
]
