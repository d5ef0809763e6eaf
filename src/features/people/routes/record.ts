import { mayAddUnbornBaby } from '../unborn.ts'
import { rolesAllow } from '../../../web/permissions.ts'
import { episodesOfPerson } from '../../episodes/repository.ts'
import { today } from '../../../web/dates.ts'
import { formSchema, integer, optionalText, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import { refusal, type RequestContext, type Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import { breakGlass } from '../../break-glass/use-cases.ts'
import { isHub } from '../../../policies/hub.ts'
import { personAllows } from '../../../policies/person.ts'
import { isSocialCare } from '../../../policies/social-care.ts'
import { ETHNICITIES } from '../ethnicity.ts'
import { historyInWords } from '../history.ts'
import { householdOf } from '../households.ts'
import { LIKELY_MATCH } from '../matching.ts'
import { checkPerson, formValues, PERSON_FIELD_ORDER, personFields } from '../person-form.ts'
import { displayName, isChild } from '../repository.ts'
import { createPerson, likelyDuplicates, openPerson, openPersonForChange, personHistory, UnknownAgencyOrPerson, updatePerson } from '../use-cases.ts'
import { schoolsAndGps } from './shared.ts'

const LINK_ERRORS: Record<string, string> = {
  schoolId: 'Select a school or setting from the list',
  gpId: 'Select a GP practice from the list',
  motherId: 'The mother must be a person on the register',
}

const createBody = formSchema({
  ...personFields,
  duplicateReason: optionalText('Why this is a different person', { max: 1000, multiline: true }),
  searched: optionalText('Searched', { max: 1 }),
  addTo: optionalText('Household', { max: 9 }).refine(
    (v) => v === null || /^\d+$/.test(v),
    'The household to add to is not valid. Start again from its record',
  ),
})
const editBody = formSchema({ ...personFields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })

async function formPage(
  ctx: RequestContext,
  values: Record<string, unknown>,
  errors?: FieldErrors,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<Outcome> {
  const options = await schoolsAndGps(ctx)
  const editing = Boolean(ctx.params.id)
  const addingTo = await householdToAddTo(ctx, values.addTo)
  return page(
    'people/views/form.njk',
    withErrors(
      {
        title: editing ? 'Change details' : 'Add a child or adult',
        values,
        ethnicities: ETHNICITIES,
        ...options,
        action: ctx.path,
        editing,
        addingTo: addingTo && displayName(addingTo.row),
        ...extra,
      },
      errors,
      PERSON_FIELD_ORDER,
    ),
    { status },
  )
}

/**
 * The person whose household a new record is being added to (from "Add a new person to this
 * household"), if the actor may change their record; null when the new record is not for a household.
 */
async function householdToAddTo(ctx: RequestContext, addTo: unknown) {
  return typeof addTo === 'string' && /^\d{1,9}$/.test(addTo) ? openPersonForChange(ctx.services.db, ctx.actor, Number(addTo)) : null
}

/** Starting values for a new record, from the search that found nobody. */
function fromSearch(query: Record<string, unknown>): Record<string, string> {
  const s = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).slice(0, 100) : '')
  const names = s('q')
    .split(/\s+/)
    .filter((w) => w && !/\d/.test(w))
  const motherId = /^\d{1,9}$/.test(s('motherId')) ? s('motherId') : ''
  // From a mother's page ("Add an unborn baby of this mother"), q is the mother's family name: the baby's family name.
  if (motherId) return { searched: '1', givenName: '', familyName: names.join(' '), motherId, unborn: 'yes' }
  return {
    searched: '1',
    givenName: names.length > 1 ? names.slice(0, -1).join(' ') : (names[0] ?? ''),
    familyName: names.length > 1 ? names[names.length - 1]! : '',
    'dob-day': s('dob-day'),
    'dob-month': s('dob-month'),
    'dob-year': s('dob-year'),
    postcode: s('postcode'),
    motherId: '',
    unborn: '',
  }
}

const breakGlassBody = formSchema({ reason: text('Reason', { max: 1000, multiline: true, requiredMessage: 'Enter why you need to see this record' }) })

/** The record as far as the initiator of a CAF may see it before the family's consent: what the assessment needs, and their episode. */
async function limitedPerson(ctx: RequestContext, person: Awaited<ReturnType<typeof openPerson>>['person']): Promise<Outcome> {
  const episodes = await episodesOfPerson(ctx.services.db, ctx.actor.laId, person.id, { initiatedBy: ctx.actor.userId })
  return page('people/views/show-limited.njk', { title: displayName(person.row), person: person.row, episodes }, { auditDetail: { view: 'limited' } })
}

async function showPerson(ctx: RequestContext): Promise<Outcome> {
  const id = ctx.id
  const { person, access } = await openPerson(ctx.services.db, ctx.actor, id)
  if (access.view === 'limited') return limitedPerson(ctx, person)
  const [history, household, duplicates, episodes] = await Promise.all([
    personHistory(ctx.services.db, ctx.actor, id),
    householdOf(ctx.services.db, ctx.actor, id),
    isHub(ctx.actor) && !person.mergedInto ? likelyDuplicates(ctx.services.db, ctx.actor, person.details) : Promise.resolve([]),
    episodesOfPerson(ctx.services.db, ctx.actor.laId, id),
  ])
  return page(
    'people/views/show.njk',
    {
      title: displayName(person.row),
      person: person.row,
      access,
      mayAddUnborn: mayAddUnbornBaby(person.row),
      ethnicityLabel: ETHNICITIES.find((e) => e.code === person.row.ethnicity)?.label ?? null,
      history: await historyInWords(ctx.services.db, ctx.actor.laId, history),
      household,
      duplicates: duplicates
        .filter((d) => d.id !== id && d.score >= LIKELY_MATCH)
        .map((d) => ({ id: d.id, name: displayName(d), dateOfBirth: d.date_of_birth, reasons: d.reasons.join(', ') })),
      canMerge: rolesAllow(ctx.actor.roles, 'person.merge'),
      canEdit: personAllows(access, 'edit') && rolesAllow(ctx.actor.roles, 'person.create'),
      episodes,
      // One clear need, without a full CAF: for someone who may see the child's whole record (the household gives consent).
      canSignpost: personAllows(access, 'edit'),
      canSendToEarlyHelp: isSocialCare(ctx.actor) && !person.mergedInto && isChild(person.row, today()),
      canStartCaf:
        rolesAllow(ctx.actor.roles, 'episode.work') &&
        !person.mergedInto &&
        isChild(person.row, today()) &&
        !episodes.some((e) => e.status !== 'closed' && e.role === 'child'),
      flash:
        typeof ctx.query.done === 'string'
          ? (
              {
                created: 'Record created',
                saved: 'Changes saved',
                merged: 'Records merged',
                added: 'Household member added',
                left: 'Household updated',
              } as Record<string, string>
            )[ctx.query.done]
          : null,
    },
    { record: { type: 'person', id } },
  )
}

export const recordRoutes: Route[] = [
  ...formRoutes({
    url: '/people/new',
    permission: 'person.create',
    body: createBody,
    // A new record always starts from a search: without one, the form sends the user to search first.
    render: async (ctx, values, errors) => (ctx.req.method === 'GET' && ctx.query.searched !== '1' ? redirect('/people') : formPage(ctx, values, errors)),
    initial: async (ctx) => {
      const values = fromSearch(ctx.query)
      // Someone new in a household starts at its address.
      const household = await householdToAddTo(ctx, ctx.query.addTo)
      if (!household) return values
      return { ...values, addTo: String(household.id), address: household.details.address ?? '', postcode: household.details.postcode ?? '' }
    },
    submit: async (ctx, input) => {
      const checked = checkPerson(input)
      if ('errors' in checked) return invalid(checked.errors)
      const household = await householdToAddTo(ctx, input.addTo)
      try {
        const result = await createPerson(ctx.services.db, ctx.actor, checked.details, input.duplicateReason)
        // Added for a household: on to how they are related.
        if (result.type === 'created') return redirect(household ? `/people/${household.id}/household/add/${result.id}` : `/people/${result.id}?done=created`)
        const matches = result.matches.map((m) => ({
          id: m.id,
          name: displayName(m),
          dateOfBirth: m.date_of_birth ?? m.expected_delivery_date,
          reasons: m.reasons.join(', '),
          score: m.score,
        }))
        return formPage(
          ctx,
          { ...input, ...Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v ?? ''])) },
          { duplicateReason: 'This person may already be on the register. Check the records listed. If none of them is this person, say why' },
          { matches },
          400,
        )
      } catch (error) {
        if (error instanceof UnknownAgencyOrPerson) return invalid({ [error.field]: LINK_ERRORS[error.field]! })
        throw error
      }
    },
  }),
  {
    method: 'GET',
    url: '/people/:id',
    permission: 'person.view',
    record: { person: 'read' },
    audit: { action: 'person.viewed', recordType: 'person' },
    handler: (ctx) => showPerson(ctx),
  },
  {
    method: 'POST',
    url: '/people/:id/break-glass',
    permission: 'person.view',
    record: { person: 'break-glass' },
    body: breakGlassBody,
    invalid: async (ctx, errors, values) => refusal('hidden', 'person', ctx.id, errors, values),
    handler: async (ctx, input: { reason: string }) => {
      await breakGlass(ctx.services.db, ctx.actor, 'person', ctx.id, input.reason)
      return redirect(`/people/${ctx.id}`)
    },
  },
  ...formRoutes({
    url: '/people/:id/edit',
    permission: 'person.create',
    record: { person: 'edit' },
    audit: { action: 'person.viewed', recordType: 'person' },
    body: editBody,
    render: (ctx, values, errors) => formPage(ctx, values, errors),
    initial: async (ctx) => {
      const person = await openPersonForChange(ctx.services.db, ctx.actor, ctx.id)
      return { ...formValues(person.details), version: String(person.version) }
    },
    submit: async (ctx, input) => {
      const id = ctx.id
      const checked = checkPerson(input)
      if ('errors' in checked) return invalid(checked.errors)
      try {
        await updatePerson(ctx.services.db, ctx.actor, id, checked.details, input.version)
      } catch (error) {
        if (error instanceof UnknownAgencyOrPerson) return invalid({ [error.field]: LINK_ERRORS[error.field]! })
        if (!(error instanceof EditConflict)) throw error
        const { person } = await openPerson(ctx.services.db, ctx.actor, id)
        const values = { ...Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v ?? ''])), version: String(person.version) }
        return formPage(ctx, values, { form: CONFLICT_MESSAGE }, { theirs: formValues(person.details) }, 409)
      }
      return redirect(`/people/${id}?done=saved`)
    },
  }),
]
