import { personAccess } from '../../../policies/person.ts'
import { choice, dateFields, formSchema, idList, optionalText, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { readDate, today, addDays } from '../../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { householdOf } from '../../people/households.ts'
import { displayName } from '../../people/repository.ts'
import { personToStart } from '../../people/use-cases.ts'
import { openEpisodesOf } from '../repository.ts'
import { RelationshipNeeded, startEpisode } from '../start.ts'

const startBody = formSchema({
  relationship: optionalText('Your relationship to the child', { max: 1000, multiline: true }),
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
const FIELD_ORDER = ['relationship', 'kind', 'members', 'start', 'reason', 'planned-day']
const RELATIONSHIP_NEEDED = 'Enter your relationship to the child: you do not have a right to see their record yet'

/**
 * The start page. Someone with no right to the child's record sees it without the child's name,
 * household or any sign of whether the record exists, so that walking ids tells them nothing; they
 * are asked their relationship to the child.
 */
async function startPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const form = (child: { name: string | null; dateOfBirth: string | null }, household: { id: number; name: string; relationship: string | null }[]) =>
    page(
      'episodes/views/start.njk',
      withErrors(
        { title: 'Start a CAF', child, household, askRelationship: !child.name, values: { kind: 'child', ...values }, action: ctx.path, earliest: today() },
        errors,
        FIELD_ORDER,
      ),
      child.name ? {} : { showsNoOne: true },
    )
  if (!(await personAccess(ctx.services.db, ctx.actor, ctx.id))?.view) return form({ name: null, dateOfBirth: null }, [])
  const { person, access } = await personToStart(ctx.services.db, ctx.actor, ctx.id)
  const child = { name: displayName(person.row), dateOfBirth: person.row.date_of_birth }
  const open = (await openEpisodesOf(ctx.services.db, ctx.actor.laId, [ctx.id])).get(ctx.id)
  const record = { type: 'person', id: ctx.id }
  if (open) return page('episodes/views/already-open.njk', withErrors({ title: `${child.name} already has an open CAF`, child, open }, errors), { record })
  // The household is part of the child's full record: only someone who may see all of it is offered a family CAF.
  const household = access?.view === 'full' ? (await householdOf(ctx.services.db, ctx.actor, ctx.id)).filter((m) => !m.toDate) : []
  return form(
    child,
    household.map((m) => ({ id: m.personId, name: displayName(m), relationship: m.relationshipText })),
  )
}

export const startRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/start-caf',
    permission: 'episode.work',
    record: { person: 'start' },
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
      try {
        const result = await startEpisode(ctx.services.db, ctx.actor, {
          childId: ctx.id,
          kind: input.kind,
          memberIds: input.members,
          start: input.start,
          intentionReason: input.reason,
          plannedOn,
          relationship: input.relationship,
        })
        if (result.type === 'already-open')
          return invalid({ form: 'One of these children already has an open CAF. Only one can be open at a time: join that one instead' })
        return redirect(input.start === 'intention' ? `/episodes/${result.id}?done=intention` : `/episodes/${result.id}/pre-assessment`)
      } catch (error) {
        if (error instanceof RelationshipNeeded)
          return invalid(
            error.field === 'relationship'
              ? { relationship: RELATIONSHIP_NEEDED }
              : { members: 'You can start a CAF for this child alone. For a family CAF, ask the CAF hub, who can see the household' },
          )
        throw error
      }
    },
  }),
]
