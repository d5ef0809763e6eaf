import { z } from 'zod'
import { choice, formSchema, optionalText, text } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import type { FieldErrors } from '../../../web/forms.ts'
import { backAfter, deskReturnTo } from '../../desk/return-to.ts'
import { FOLLOW_UP_OUTCOME_VALUES, FOLLOW_UP_OUTCOMES, followUpIntention } from '../intention-follow-up.ts'
import { addNote } from '../notes.ts'
import { stageAllows, type Step } from '../stages.ts'
import { EPISODE_VIEWED, episodeHeader, withEpisode } from './shared.ts'

/** What the hub does from its desk to an episode: follow up an intention, add a note. */

// Not a question to the user: anything but a desk address is ignored rather than refused.
const returnTo = z.unknown().optional().transform(deskReturnTo)

const followUpBody = formSchema({
  outcome: choice('Outcome', FOLLOW_UP_OUTCOME_VALUES, 'Select what happened'),
  note: optionalText('Note', { max: 2000, multiline: true }),
  returnTo,
})

const noteBody = formSchema({
  body: text('Note', { max: 5000, multiline: true, requiredMessage: 'Enter the note' }),
  returnTo,
})

/** The form's page, with the list it came from as the way back; the episode's page instead if its stage does not allow `step`. */
function formPage(template: string, title: string, order: string[], extra: Record<string, unknown> = {}, step?: Step) {
  return (ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors) =>
    withEpisode(ctx, async (episode) => {
      if (step && !stageAllows(episode.status, step)) return redirect(`/episodes/${episode.id}`)
      const back = deskReturnTo(values.returnTo ?? ctx.query.returnTo)
      return page(
        template,
        withErrors(
          { title, ...episodeHeader(episode), ...extra, values: { ...values, returnTo: back }, backHref: back ?? `/episodes/${episode.id}`, action: ctx.path },
          errors,
          order,
        ),
      )
    })
}

const followUpPage = formPage(
  'episodes/views/intention-follow-up.njk',
  'Record a follow-up of the intention',
  ['outcome', 'note'],
  { outcomes: FOLLOW_UP_OUTCOMES },
  'follow-up-intention',
)

export const followUpRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/intention/follow-up',
    permission: 'episode.follow-up',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: followUpBody,
    render: followUpPage,
    submit: async (ctx, input) => {
      if (input.outcome === 'not-going-ahead' && !input.note) return invalid({ note: 'Enter why the assessment is not going ahead' })
      await followUpIntention(ctx.services.db, ctx.actor, ctx.id, { outcome: input.outcome, note: input.note })
      return redirect(backAfter(input.returnTo, 'follow-up', `/episodes/${ctx.id}`))
    },
  }),
  ...formRoutes({
    url: '/episodes/:id/notes/new',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: noteBody,
    render: formPage('episodes/views/note.njk', 'Add a note', ['body']),
    submit: async (ctx, input) => {
      await addNote(ctx.services.db, ctx.actor, ctx.id, input.body)
      return redirect(backAfter(input.returnTo, 'note', `/episodes/${ctx.id}`))
    },
  }),
]
