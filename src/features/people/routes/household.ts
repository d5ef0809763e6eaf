import { today } from '../../../web/dates.ts'
import { choice, formSchema } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, NotFound, page, redirect } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { Route } from '../../../web/router.ts'
import { addHouseholdMember, endHouseholdMembership } from '../households.ts'
import { displayName, findPerson } from '../repository.ts'
import { openPersonForChange } from '../use-cases.ts'

export const RELATIONSHIPS = [
  'mother',
  'father',
  'step-parent',
  'grandparent',
  'other relative',
  'foster carer',
  'special guardian',
  'brother or sister',
  'partner of a parent',
  'other adult',
] as const

const addBody = formSchema({
  relationship: choice('Relationship', RELATIONSHIPS, 'Select how they are related'),
  parentalResponsibility: choice('Parental responsibility', ['yes', 'no'] as const, 'Select whether they have parental responsibility').transform(
    (v) => v === 'yes',
  ),
})

/** Asked to add a person to their own household (a hand-made link: the search never offers it). */
function ownHousehold(person: { id: number; given_name: string | null; family_name: string | null }) {
  const name = displayName(person)
  return page(
    'people/views/household-own.njk',
    withErrors(
      { title: `Add someone to ${name}’s household`, person },
      { form: `${name} cannot be a member of their own household. Search for the person you want to add` },
    ),
    { status: 400, record: { type: 'person', id: person.id } },
  )
}

export const householdRoutes: Route[] = [
  ...formRoutes({
    url: '/people/:id/household/add/:memberId',
    permission: 'person.create',
    record: { person: 'edit' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: addBody,
    render: async (ctx, values, errors) => {
      // Need to know on the record being changed; of the person added, only what search shows.
      const person = await openPersonForChange(ctx.services.db, ctx.actor, ctx.id)
      const member = await findPerson(ctx.services.db, ctx.actor.laId, idParam(ctx.params.memberId))
      if (!member) throw new NotFound()
      if (member.id === person.id) return ownHousehold(person.row)
      return page(
        'people/views/household-add.njk',
        withErrors(
          { title: `Add ${displayName(member.row)} to the household`, values, person: person.row, member: member.row, relationships: RELATIONSHIPS },
          errors,
          ['relationship', 'parentalResponsibility'],
        ),
        { record: { type: 'person', id: person.id } },
      )
    },
    submit: async (ctx, input) => {
      const id = ctx.id
      if (idParam(ctx.params.memberId) === id) return invalid({})
      await addHouseholdMember(ctx.services.db, ctx.actor, id, {
        memberId: idParam(ctx.params.memberId),
        relationship: input.relationship,
        parentalResponsibility: input.parentalResponsibility,
        fromDate: today(),
      })
      return redirect(`/people/${id}?done=added`)
    },
  }),
  {
    method: 'POST',
    url: '/people/:id/household/:memberRowId/left',
    permission: 'person.create',
    record: { person: 'edit' },
    body: formSchema({}),
    handler: async (ctx) => {
      const id = ctx.id
      await endHouseholdMembership(ctx.services.db, ctx.actor, id, idParam(ctx.params.memberRowId), today())
      return redirect(`/people/${id}?done=left`)
    },
  },
]
