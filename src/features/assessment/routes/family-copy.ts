import { dateFields, formSchema, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { readDate, today } from '../../../web/dates.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { EPISODE_VIEWED, episodeHeader, withEpisode } from '../../episodes/routes/shared.ts'
import { buildFamilyCopy } from '../family-copy.ts'
import { familyCopyPdf } from '../family-copy-pdf.ts'
import { recordCopyGiven } from '../use-cases.ts'

const givenBody = formSchema(dateFields('given', 'Date'))

function copyPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode, access) => {
    if (!episode.assessment_completed_at) return redirect(`/episodes/${episode.id}`)
    const copy = await buildFamilyCopy(ctx.services.db, ctx.actor.laId, episode)
    return page(
      'assessment/views/family-copy.njk',
      withErrors(
        { title: 'The family’s copy of the assessment', ...episodeHeader(episode), copy, canChange: access.canChange, values, action: ctx.path },
        errors,
        ['given-day'],
      ),
    )
  })
}

export const familyCopyRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/family-copy',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    body: givenBody,
    render: copyPage,
    submit: async (ctx, input) => {
      const given = readDate(input, 'given', 'Date', { notAfter: today(), notBefore: '2000-01-01' })
      if ('error' in given) return invalid({ 'given-day': given.error })
      const id = idParam(ctx.params.id)
      await recordCopyGiven(ctx.services.db, ctx.actor, id, given.iso!)
      return redirect(`/episodes/${id}?done=copy`)
    },
  }),
  {
    method: 'GET',
    url: '/episodes/:id/family-copy.pdf',
    permission: 'episode.view',
    record: { episode: 'read' },
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        if (!episode.assessment_completed_at) return redirect(`/episodes/${episode.id}`)
        const copy = await buildFamilyCopy(ctx.services.db, ctx.actor.laId, episode)
        const pdf = await familyCopyPdf(copy)
        await auditAs(ctx.services.db, ctx.actor, 'episode.family-copy-downloaded', { type: 'episode', id: episode.id })
        return { type: 'download', filename: `caf-assessment-${episode.id}.pdf`, contentType: 'application/pdf', body: pdf }
      }),
  },
]
