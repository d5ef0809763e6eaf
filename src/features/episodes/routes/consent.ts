import { stageAllows } from '../stages.ts'
import { choice, dateFields, formSchema, idList, integer, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { readDate, today } from '../../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import {
  addConsentedAgency,
  consentOf,
  DECISIONS,
  GIVER_ROLES,
  LAWFUL_BASES,
  METHODS,
  recordConsent,
  setLawfulBasis,
  withdrawAgency,
  withdrawConsent,
} from '../consent.ts'
import { currentTeam, episodePeople, type Episode } from '../repository.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from './shared.ts'

const recordBody = formSchema({
  decision: choice(
    'Decision',
    DECISIONS.map((d) => d.value),
    'Select whether the family agrees',
  ),
  givenBy: integer('Who gave it', { min: 1, max: 1_000_000_000_000, requiredMessage: 'Select who gave or refused consent' }),
  giverRole: choice(
    'Their role',
    GIVER_ROLES.map((r) => r.value),
    'Select whether they are a parent with parental responsibility or the young person',
  ),
  method: choice(
    'How',
    METHODS.map((m) => m.value),
    'Select how they gave their answer: in writing or spoken',
  ),
  ...dateFields('given', 'Date'),
  agencies: idList('Agencies'),
})
const RECORD_ORDER = ['decision', 'givenBy', 'giverRole', 'method', 'given-day', 'agencies']
const addAgencyBody = formSchema({ agency: integer('Agency', { min: 1, max: 1_000_000_000, requiredMessage: 'Select an agency to add' }) })
const withdrawAgencyBody = formSchema({ reason: text('Reason', { max: 2000, multiline: true, requiredMessage: 'Enter what the family said' }) })
const withdrawBody = formSchema({
  ...dateFields('withdrawn', 'Date'),
  reason: text('Reason', { max: 2000, multiline: true, requiredMessage: 'Enter what the family said' }),
})
const basisBody = formSchema({
  basis: choice(
    'Lawful basis',
    LAWFUL_BASES.map((b) => b.value),
    'Select the lawful basis for holding this record',
  ),
})

async function agencies(ctx: RequestContext) {
  return ctx.services.db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).where('active', '=', true).orderBy('name').execute()
}

function consentPage(ctx: RequestContext, errors?: FieldErrors, values: Record<string, unknown> = {}): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const consent = await consentOf(ctx.services.db, ctx.actor.laId, episode.id)
    const named = new Set(consent.current.map((a) => a.agencyId))
    return page(
      'episodes/views/consent.njk',
      withErrors(
        {
          title: 'Consent and agreement',
          ...episodeHeader(episode),
          consent,
          canChange: access.canChange,
          // While the assessment is being done, consent is one of its tasks: back to the task list.
          back: stageAllows(episode.status, 'assess')
            ? { href: `/episodes/${episode.id}/assessment`, text: 'Back to the assessment' }
            : { href: `/episodes/${episode.id}`, text: 'Back to the episode' },
          lawfulBasis: LAWFUL_BASES.find((b) => b.value === episode.lawful_basis),
          otherAgencies: (await agencies(ctx)).filter((a) => !named.has(a.id)),
          values,
          flash: flash(ctx, {
            recorded: 'Consent recorded',
            added: 'Agency added',
            withdrawn: 'Consent withdrawn for that agency. Its staff can no longer see this episode',
            'all-withdrawn': 'Consent withdrawn',
            basis: 'Lawful basis recorded',
          }),
        },
        errors,
        ['agency'],
      ),
    )
  })
}

async function recordPage(ctx: RequestContext, episode: Episode, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const [all, team, consent] = await Promise.all([
    agencies(ctx),
    currentTeam(ctx.services.db, episode.id),
    consentOf(ctx.services.db, ctx.actor.laId, episode.id),
  ])
  // Start from what is agreed now, or else the agencies of the people already working with the family.
  const suggested = consent.current.length
    ? consent.current.map((a) => String(a.agencyId))
    : [...new Set([String(episode.initiator_agency_id), ...team.map((t) => String(t.agencyId))])]
  return page(
    'episodes/views/consent-record.njk',
    withErrors(
      {
        title: 'Record consent',
        ...episodeHeader(episode),
        agencies: all,
        decisions: DECISIONS,
        roles: GIVER_ROLES,
        methods: METHODS,
        values: { agencies: suggested, ...values },
        action: ctx.path,
      },
      errors,
      RECORD_ORDER,
    ),
  )
}

export const consentRoutes: Route[] = [
  {
    method: 'GET',
    url: '/episodes/:id/consent',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => consentPage(ctx),
  },
  ...formRoutes({
    url: '/episodes/:id/consent/record',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: recordBody,
    render: (ctx, values, errors) => withEpisode(ctx, (episode) => recordPage(ctx, episode, values, errors)),
    submit: async (ctx, input) => {
      const given = readDate(input, 'given', 'Date', { notAfter: today(), notBefore: '2000-01-01' })
      const errors: FieldErrors = {}
      if ('error' in given) errors['given-day'] = given.error
      if (input.decision === 'given' && input.agencies.length === 0)
        errors.agencies = 'Select at least one agency the family agrees information may be shared with'
      const id = idParam(ctx.params.id)
      const [people, known] = await Promise.all([episodePeople(ctx.services.db, id), agencies(ctx)])
      if (!people.some((p) => p.id === input.givenBy)) errors.givenBy = 'Select who gave or refused consent from the people listed'
      if (!input.agencies.every((a) => known.some((k) => k.id === a))) errors.agencies = 'Agencies: select from the options shown'
      if (Object.keys(errors).length) return invalid(errors)
      await recordConsent(ctx.services.db, ctx.actor, id, {
        decision: input.decision,
        givenBy: input.givenBy,
        giverRole: input.giverRole,
        method: input.method,
        givenOn: (given as { iso: string }).iso,
        agencyIds: input.agencies,
      })
      return redirect(`/episodes/${id}/consent?done=recorded`)
    },
  }),
  {
    method: 'POST',
    url: '/episodes/:id/consent/agencies',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: addAgencyBody,
    invalid: (ctx, errors, values) => consentPage(ctx, errors, values),
    handler: async (ctx, input: { agency: number }) => {
      const id = idParam(ctx.params.id)
      if (!(await agencies(ctx)).some((a) => a.id === input.agency)) return invalid({ agency: 'Select an agency from the list' })
      const result = await addConsentedAgency(ctx.services.db, ctx.actor, id, input.agency)
      if (result === 'no-consent') return invalid({ agency: 'Record the family’s consent first' })
      if (result === 'already') return invalid({ agency: 'That agency is already named in the consent' })
      return redirect(`/episodes/${id}/consent?done=added`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/consent/agencies/:agencyId/withdraw',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: withdrawAgencyBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) => {
        const consent = await consentOf(ctx.services.db, ctx.actor.laId, episode.id)
        const agency = consent.current.find((a) => String(a.agencyId) === ctx.params.agencyId)
        if (!agency) return redirect(`/episodes/${episode.id}/consent`)
        return page(
          'episodes/views/consent-withdraw.njk',
          withErrors({ title: `Withdraw consent for ${agency.agencyName}`, ...episodeHeader(episode), agency, values, action: ctx.path }, errors, ['reason']),
        )
      }),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      await withdrawAgency(ctx.services.db, ctx.actor, id, idParam(ctx.params.agencyId), input.reason)
      return redirect(`/episodes/${id}/consent?done=withdrawn`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/consent/withdraw',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: withdrawBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) =>
        page(
          'episodes/views/consent-withdraw.njk',
          withErrors({ title: 'Withdraw consent', ...episodeHeader(episode), all: true, values, action: ctx.path }, errors, ['withdrawn-day', 'reason']),
        ),
      ),
    submit: async (ctx, input) => {
      const on = readDate(input, 'withdrawn', 'Date', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in on) return invalid({ 'withdrawn-day': on.error })
      const id = idParam(ctx.params.id)
      if (!(await withdrawConsent(ctx.services.db, ctx.actor, id, on.iso!, input.reason))) return invalid({ form: 'There is no consent in force to withdraw' })
      return redirect(`/episodes/${id}/consent?done=all-withdrawn`)
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/lawful-basis',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: basisBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) =>
        page(
          'episodes/views/lawful-basis.njk',
          withErrors(
            {
              title: 'Lawful basis for holding this record',
              ...episodeHeader(episode),
              bases: LAWFUL_BASES,
              values: { basis: episode.lawful_basis, ...values },
              action: ctx.path,
            },
            errors,
            ['basis'],
          ),
        ),
      ),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      await setLawfulBasis(ctx.services.db, ctx.actor, id, input.basis)
      return redirect(`/episodes/${id}/consent?done=basis`)
    },
  }),
]
