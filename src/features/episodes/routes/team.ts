import { dateFields, email, formSchema, idList, integer, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { readDate, today } from '../../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { acceptLead, declineLead, proposeLead } from '../lead.ts'
import { caseworkers, currentTeam, externalsOf } from '../repository.ts'
import { consentedAgencyIds } from '../consent.ts'
import { addExternalMember, addTeamMember, removeExternalMember, removeTeamMember, setFamilyInTeam } from '../team.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from './shared.ts'

const addBody = formSchema({ user: integer('Practitioner', { min: 1, max: 1_000_000_000, requiredMessage: 'Select a practitioner to add' }) })
const familyBody = formSchema({ members: idList('Family members') })
const externalBody = formSchema({
  name: text('Name', { max: 200, requiredMessage: 'Enter their name' }),
  role: text('Role', { max: 200, requiredMessage: 'Enter their role, for example GP or housing officer' }),
  organisation: integer('Organisation', { min: 1, max: 1_000_000_000, requiredMessage: 'Select their organisation' }),
  email: email('Their email address', { requiredMessage: 'Enter their email address: invitations and minutes go there' }),
})
const leadBody = formSchema({
  user: integer('Lead professional', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will be the lead professional' }),
  ...dateFields('agreed', 'Date the family agreed'),
})

function teamPage(ctx: RequestContext, errors?: FieldErrors, values: Record<string, unknown> = {}): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    const db = ctx.services.db
    const [team, externals, workers, consented, agencies] = await Promise.all([
      currentTeam(db, episode.id),
      externalsOf(db, episode.id).execute(),
      caseworkers(db, ctx.actor.laId),
      consentedAgencyIds(db, episode.id),
      db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
    ])
    const inTeam = new Set(team.map((t) => t.userId))
    const notInTeam = workers.filter((w) => !inTeam.has(w.userId))
    // Only those the consent lets in are offered; the agencies left out are named, so nobody wonders why.
    const leftOut = [...new Set(notInTeam.filter((w) => !consented.includes(w.agencyId)).map((w) => w.agencyName))].sort()
    // A refused save of the family members shows what was sent; otherwise, who takes part now.
    const sent = 'members' in values ? [values.members].flat().map(String) : null
    const family = episode.people.map((p) => ({ ...p, checked: sent ? sent.includes(String(p.id)) : p.inTeam }))
    return page(
      'episodes/views/team.njk',
      withErrors(
        {
          title: 'Team Around the Family',
          ...episodeHeader(episode),
          team: team.map((t) => ({ ...t, isLead: t.userId === episode.lead?.userId || t.userId === episode.proposedLead?.userId })),
          candidates: notInTeam.filter((w) => consented.includes(w.agencyId)),
          leftOut,
          externals,
          organisations: agencies.filter((a) => consented.includes(a.id)),
          family,
          canChange: access.canChange && episode.status !== 'closed',
          values,
          flash: flash(ctx, {
            added: 'Practitioner added to the team',
            removed: 'Practitioner removed from the team',
            family: 'Family members in the team saved',
            'external-added': 'Added to the team. They will get invitations and minutes by email',
            'external-removed': 'Removed from the team',
          }),
        },
        errors,
        ['user', 'name', 'role', 'organisation', 'email', 'members'],
      ),
    )
  })
}

export const teamRoutes: Route[] = [
  { method: 'GET', url: '/episodes/:id/team', permission: 'episode.view', record: { episode: 'read' }, audit: EPISODE_VIEWED, handler: (ctx) => teamPage(ctx) },
  {
    method: 'POST',
    url: '/episodes/:id/team',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: addBody,
    invalid: (ctx, errors, values) => teamPage(ctx, errors, values),
    handler: async (ctx, input: { user: number }) => {
      const id = idParam(ctx.params.id)
      const workers = await caseworkers(ctx.services.db, ctx.actor.laId)
      const who = workers.find((w) => w.userId === input.user)
      if (!who) return invalid({ user: 'Select a practitioner from the list' })
      const result = await addTeamMember(ctx.services.db, ctx.actor, id, who.userId)
      if (result === 'not-consented')
        return invalid({
          user: `${who.agencyName} is not named in the family’s consent, so ${who.name} cannot join the team. Ask the family, and if they agree, add the agency to the consent first`,
        })
      if (result === 'already') return invalid({ user: `${who.name} is already in the team` })
      return redirect(`/episodes/${id}/team?done=added`)
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/team/external',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: externalBody,
    invalid: (ctx, errors, values) => teamPage(ctx, errors, values),
    handler: async (ctx, input: { name: string; role: string; organisation: number; email: string }) => {
      const id = idParam(ctx.params.id)
      const agency = await ctx.services.db
        .selectFrom('agencies')
        .select('name')
        .where('id', '=', input.organisation)
        .where('la_id', '=', ctx.actor.laId)
        .executeTakeFirst()
      if (!agency) return invalid({ organisation: 'Select their organisation from the list' })
      const result = await addExternalMember(ctx.services.db, ctx.actor, id, {
        name: input.name,
        role: input.role,
        agencyId: input.organisation,
        email: input.email,
      })
      if (result === 'not-consented')
        return invalid({
          organisation: `${agency.name} is not named in the family’s consent, so ${input.name} cannot join the team. Ask the family, and if they agree, add the organisation to the consent first`,
        })
      if (result === 'already') return invalid({ email: `${input.name} is already in the team` })
      return redirect(`/episodes/${id}/team?done=external-added`)
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/team/external/:externalId/remove',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: formSchema({}),
    invalid: (ctx, errors, values) => teamPage(ctx, errors, values),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      const result = await removeExternalMember(ctx.services.db, ctx.actor, id, idParam(ctx.params.externalId))
      if (result === 'not-member') return invalid({ form: 'They are no longer in the team' })
      return redirect(`/episodes/${id}/team?done=external-removed`)
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/team/family',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: familyBody,
    invalid: (ctx, errors, values) => teamPage(ctx, errors, values),
    handler: async (ctx, input: { members: number[] }) => {
      const id = idParam(ctx.params.id)
      const result = await setFamilyInTeam(ctx.services.db, ctx.actor, id, input.members)
      if (result === 'not-in-episode') return invalid({ members: 'Select family members from the list shown' })
      return redirect(`/episodes/${id}/team?done=family`)
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/team/:memberId/remove',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: formSchema({}),
    invalid: (ctx, errors, values) => teamPage(ctx, errors, values),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      const result = await removeTeamMember(ctx.services.db, ctx.actor, id, idParam(ctx.params.memberId), 'Left the team')
      if (result === 'not-member') return invalid({ form: 'That practitioner is no longer in the team' })
      if (result === 'is-lead') return invalid({ form: 'They are the lead professional, or have been asked to be. Hand over to someone else first' })
      return redirect(`/episodes/${id}/team?done=removed`)
    },
  },
  ...formRoutes({
    url: '/episodes/:id/lead',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: leadBody,
    render: (ctx, values, errors) =>
      withEpisode(ctx, async (episode) => {
        const team = await currentTeam(ctx.services.db, episode.id)
        return page(
          'episodes/views/lead.njk',
          withErrors(
            {
              title: episode.lead ? 'Hand over to a new lead professional' : 'Appoint the lead professional',
              ...episodeHeader(episode),
              team,
              values,
              action: ctx.path,
            },
            errors,
            ['user', 'agreed-day'],
          ),
        )
      }),
    submit: async (ctx, input) => {
      const agreed = readDate(input, 'agreed', 'Date the family agreed', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in agreed) return invalid({ 'agreed-day': agreed.error })
      const id = idParam(ctx.params.id)
      const result = await proposeLead(ctx.services.db, ctx.actor, id, input.user, agreed.iso!)
      if (result === 'not-in-team') return invalid({ user: 'Select someone in the Team Around the Family. Add them to the team first' })
      if (result === 'already-lead') return invalid({ user: 'They are already the lead professional' })
      return redirect(`/episodes/${id}?done=lead`)
    },
  }),
  {
    method: 'POST',
    url: '/episodes/:id/lead/accept',
    permission: 'episode.work',
    record: { episode: 'work' },
    body: formSchema({}),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      await acceptLead(ctx.services.db, ctx.actor, id)
      return redirect(`/episodes/${id}?done=accepted`)
    },
  },
  {
    method: 'POST',
    url: '/episodes/:id/lead/decline',
    permission: 'episode.work',
    record: { episode: 'work' },
    body: formSchema({}),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      await declineLead(ctx.services.db, ctx.actor, id)
      return redirect(`/episodes/${id}?done=declined`)
    },
  },
]
