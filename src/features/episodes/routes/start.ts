import { choice, dateFields, formSchema, idList, integer, optionalText, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { readDate, today, addDays } from '../../../web/dates.ts'
import { invalid, NotFound, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { householdOf } from '../../people/households.ts'
import { displayName } from '../../people/repository.ts'
import { openPerson } from '../../people/use-cases.ts'
import { openEpisodesOf } from '../repository.ts'
import { startEpisode } from '../start.ts'

const startBody = formSchema({
  child: integer('Child', { min: 1, max: 1_000_000_000_000 }),
  kind: choice('Who the CAF is for', ['child', 'family'] as const, 'Select who the CAF is for'),
  members: idList('Family members'),
  start: choice(
    'What you are doing now',
    ['intention', 'pre-assessment'] as const,
    'Select whether you are recording an intention or starting the checklist now',
  ),
  reason: optionalText('Why you intend to assess', { max: 2000, multiline: true }),
  ...dateFields('planned', 'Planned date'),
})
const FIELD_ORDER = ['kind', 'members', 'start', 'reason', 'planned-day']

async function childFrom(ctx: RequestContext, raw: unknown) {
  const id = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN
  if (!Number.isSafeInteger(id)) throw new NotFound()
  const { person, access } = await openPerson(ctx.services.db, ctx.actor, id)
  if (person.mergedInto) throw new NotFound()
  return { id, name: displayName(person.row), dateOfBirth: person.row.date_of_birth, access }
}

async function startPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  // A refused form without a child to show it for gets the plain 400 page (from the router).
  if (errors && !(typeof values.child === 'string' && /^\d{1,9}$/.test(values.child))) return redirect('/people')
  const child = await childFrom(ctx, values.child ?? ctx.query.child)
  const open = (await openEpisodesOf(ctx.services.db, ctx.actor.laId, [child.id])).get(child.id)
  const record = { type: 'person', id: child.id }
  if (open) return page('episodes/views/already-open.njk', withErrors({ title: `${child.name} already has an open CAF`, child, open }, errors), { record })
  // The household is part of the child's record: only someone who may see it is offered a family CAF.
  const household = child.access.allowed ? (await householdOf(ctx.services.db, ctx.actor, child.id)).filter((m) => !m.toDate) : []
  return page(
    'episodes/views/start.njk',
    withErrors(
      {
        title: `Start a CAF for ${child.name}`,
        child,
        household: household.map((m) => ({ id: m.personId, name: displayName(m), relationship: m.relationship ?? m.theirChildAs })),
        values: { kind: 'child', ...values, child: String(child.id) },
        action: ctx.path,
        earliest: today(),
      },
      errors,
      FIELD_ORDER,
    ),
    { record },
  )
}

export const startRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/new',
    permission: 'episode.work',
    audit: { action: 'person.viewed', recordType: 'person' },
    body: startBody,
    render: startPage,
    submit: async (ctx, input) => {
      const errors: FieldErrors = {}
      if (input.kind === 'family' && input.members.length === 0) errors.members = 'Select the family members the CAF covers, or choose only this child'
      let plannedOn: string | null = null
      if (input.start === 'intention') {
        if (!input.reason) errors.reason = 'Enter why you intend to assess'
        const planned = readDate(input, 'planned', 'Planned date', { notBefore: today() })
        if ('error' in planned) errors['planned-day'] = planned.error
        else if (planned.iso! > addDays(today(), 366)) errors['planned-day'] = 'Planned date must be within the next year'
        else plannedOn = planned.iso
      }
      if (Object.keys(errors).length) return invalid(errors)
      const result = await startEpisode(ctx.services.db, ctx.actor, {
        childId: input.child,
        kind: input.kind,
        memberIds: input.members,
        start: input.start,
        intentionReason: input.reason,
        plannedOn,
      })
      if (result.type === 'already-open')
        return invalid({ form: 'One of these children already has an open CAF. Only one can be open at a time: join that one instead' })
      return redirect(input.start === 'intention' ? `/episodes/${result.id}?done=intention` : `/episodes/${result.id}/pre-assessment`)
    },
  }),
]
