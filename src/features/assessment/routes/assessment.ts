import { z } from 'zod'
import { stageAllows } from '../../episodes/stages.ts'
import type { FieldErrors } from '../../../web/forms.ts'
import { invalid, NotFound, page, redirect, WrongStage, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import { findPerson } from '../../people/repository.ts'
import type { Episode } from '../../episodes/repository.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../../episodes/routes/shared.ts'
import { firstInputId, formValuesOf, NEED_TERMS, needRowsShown, readSection, type Scale, type SectionData } from '../fields.ts'
import { HEADLINES } from '../headlines.ts'
import { TASK_STATUS_LABELS, GROUPS, type Task } from '../tasks.ts'
import { amendments, completeAssessment, loadAssessment, NotReady, saveSection } from '../use-cases.ts'
import { answerRows } from './answers.ts'
import { carriedForward } from '../carried-forward.ts'

/**
 * A task's form sends fields known only from the episode (its children, the council's elements), so
 * the route's schema only bounds the shape; the task's own field list then checks every name and value.
 */
const sectionBody = z
  .record(z.string().max(100), z.union([z.string().max(25_000), z.array(z.string().max(25_000)).max(100)]), { error: 'We could not read the form' })
  .refine((b) => Object.keys(b).length <= 600, 'The form had more answers in it than we expected')

async function taskListPage(ctx: RequestContext, episode: Episode, canChange: boolean): Promise<Outcome> {
  const a = await loadAssessment(ctx.services.db, ctx.actor.laId, episode.id)
  const status = (s: string) => ({ text: TASK_STATUS_LABELS[s as keyof typeof TASK_STATUS_LABELS], done: s === 'completed', idle: s === 'cannot-start' })
  const groups: { title: string; items: { title: string; href: string; status: ReturnType<typeof status>; required: boolean }[] }[] = GROUPS.map((g) => ({
    title: g,
    items: a.tasks
      .filter((t) => t.group === g)
      .map((t) => ({ title: t.title, href: `/episodes/${episode.id}/assessment/${t.key}`, status: status(a.statuses.get(t.key)!), required: t.required })),
  }))
  groups.push({
    title: 'Agreement',
    items: [
      { title: 'Consent and agreement', href: `/episodes/${episode.id}/consent`, status: status(a.consentStatus), required: true },
      {
        title: episode.assessment_completed_at ? 'The completed assessment' : 'Check your answers and complete',
        href: `/episodes/${episode.id}/assessment/check`,
        status: episode.assessment_completed_at ? status('completed') : status(a.checkStatus),
        required: true,
      },
    ],
  })
  return page('assessment/views/task-list.njk', {
    title: 'The assessment',
    ...episodeHeader(episode),
    groups,
    done: a.progress.done,
    total: a.progress.total,
    locked: Boolean(episode.assessment_completed_at),
    canChange,
    flash: flash(ctx, { saved: 'Section saved', amended: 'Amendment saved' }),
  })
}

/** The register's details of each person a task shows (not asked again). */
async function registerDetails(ctx: RequestContext, episode: Episode) {
  const out: Record<number, unknown> = {}
  for (const p of episode.people) {
    const found = await findPerson(ctx.services.db, ctx.actor.laId, p.id)
    if (found) out[p.id] = found.row
  }
  return out
}

async function sectionPage(
  ctx: RequestContext,
  episode: Episode,
  canChange: boolean,
  values?: Record<string, unknown>,
  errors?: FieldErrors,
  extra: Record<string, unknown> = {},
): Promise<Outcome> {
  const a = await loadAssessment(ctx.services.db, ctx.actor.laId, episode.id)
  const task = a.tasks.find((t) => t.key === ctx.params.task)
  if (!task) throw new NotFound()
  const saved = a.saved.get(task.key)
  const locked = Boolean(episode.assessment_completed_at)
  const editable = canChange && (stageAllows(episode.status, 'assess') || stageAllows(episode.status, 'amend'))
  const formValues = values ?? {
    ...formValuesOf(task.fields, saved?.data ?? (await carriedForward(ctx.services.db, ctx.actor.laId, episode, task.key))),
    version: String(saved?.version ?? 0),
  }
  const order = task.fields.map(firstInputId).filter(Boolean)
  const history = locked
    ? (await amendments(ctx.services.db, ctx.actor.laId, episode.id)).filter((h) => h.section === task.section && h.subjectId === task.subjectId)
    : []
  return page(
    'assessment/views/section.njk',
    withErrors(
      {
        title: task.title,
        ...episodeHeader(episode),
        task: { ...task, fields: task.fields.map((f) => (f.kind === 'needs' ? { ...f, shown: needRowsShown(f, formValues) } : f)) },
        scale: a.config.scale,
        needTerms: NEED_TERMS,
        headlines: HEADLINES,
        scores: Array.from({ length: a.config.scale.max - a.config.scale.min + 1 }, (_, i) => String(a.config.scale.min + i)),
        values: formValues,
        people: task.fields.some((f) => f.kind === 'person') ? await registerDetails(ctx, episode) : {},
        saved,
        locked,
        editable,
        history: history.map((h) => ({ ...h, changes: answerRows(task, h.after, h.before) })),
        answers: editable ? [] : answerRows(task, saved?.data ?? {}),
        action: ctx.path,
        ...extra,
      },
      errors,
      ['form', 'amendReason', ...order],
    ),
  )
}

export const assessmentRoutes: Route[] = [
  {
    method: 'GET',
    url: '/episodes/:id/assessment',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) =>
      withEpisode(ctx, async (episode, access) =>
        episode.assessment_started_at ? taskListPage(ctx, episode, access.canChange) : redirect(`/episodes/${episode.id}`),
      ),
  },
  {
    method: 'GET',
    url: '/episodes/:id/assessment/check',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => withEpisode(ctx, (episode, access) => checkPage(ctx, episode, access.canChange)),
  },
  {
    method: 'POST',
    url: '/episodes/:id/assessment/check',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: z.strictObject({}),
    invalid: (ctx, errors) => withEpisode(ctx, (episode, access) => checkPage(ctx, episode, access.canChange, errors)),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      try {
        await completeAssessment(ctx.services.db, ctx.actor, id)
      } catch (error) {
        if (error instanceof NotReady) return invalid(Object.fromEntries(error.missing.map((m) => [m.key, m.text])))
        throw error
      }
      return redirect(`/episodes/${id}?done=completed`)
    },
  },
  {
    method: 'GET',
    url: '/episodes/:id/assessment/:task',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) => withEpisode(ctx, (episode, access) => sectionPage(ctx, episode, access.canChange)),
  },
  {
    method: 'POST',
    url: '/episodes/:id/assessment/:task',
    permission: 'episode.work',
    record: { episode: 'work' },
    audit: EPISODE_VIEWED,
    body: sectionBody,
    invalid: (ctx, errors, values) => withEpisode(ctx, (episode, access) => sectionPage(ctx, episode, access.canChange, values, errors)),
    handler: async (ctx, body: Record<string, string | string[]>) => {
      const id = idParam(ctx.params.id)
      const { version, amendReason, ...answers } = body
      if (typeof version !== 'string' || !/^\d{1,9}$/.test(version))
        return invalid({ form: 'We could not read the form. Open the section again and re-enter your changes' })
      const reason = typeof amendReason === 'string' && amendReason.trim() ? amendReason.trim().slice(0, 2000) : null
      try {
        const result = await saveSection(ctx.services.db, ctx.actor, id, ctx.params.task ?? '', answers, { version: Number(version), amendReason: reason })
        if (result.type === 'invalid') return invalid(result.errors)
        return redirect(`/episodes/${id}/assessment?done=${result.amended ? 'amended' : 'saved'}`)
      } catch (error) {
        if (error instanceof WrongStage) return invalid({ form: 'This assessment cannot be changed now' })
        if (!(error instanceof EditConflict)) throw error
        return withEpisode(ctx, async (episode, access) => {
          const a = await loadAssessment(ctx.services.db, ctx.actor.laId, id)
          const task = a.tasks.find((t) => t.key === ctx.params.task)!
          const theirs = a.saved.get(task.key)
          const outcome = await sectionPage(
            ctx,
            episode,
            access.canChange,
            { ...body, version: String(theirs?.version ?? 0) },
            { form: CONFLICT_MESSAGE },
            { theirs: theirs ? { rows: theirChanges(task, theirs.data, answers, a.config.scale), by: theirs.updatedBy, at: theirs.updatedAt } : null },
          )
          if (outcome.type === 'page') outcome.status = 409
          return outcome
        })
      }
    },
  },
]

/** Where the saved answers differ from what this user typed (all of them, if what they typed cannot be read). */
function theirChanges(task: Task, theirs: SectionData, typed: Record<string, unknown>, scale: Scale) {
  const mine = readSection(task.fields, typed, scale)
  return 'data' in mine ? answerRows(task, theirs, mine.data) : answerRows(task, theirs)
}

async function checkPage(ctx: RequestContext, episode: Episode, canChange: boolean, errors?: FieldErrors): Promise<Outcome> {
  if (!episode.assessment_started_at) return redirect(`/episodes/${episode.id}`)
  const a = await loadAssessment(ctx.services.db, ctx.actor.laId, episode.id)
  const sections = a.tasks.map((t) => ({
    key: t.key,
    title: t.title,
    href: `/episodes/${episode.id}/assessment/${t.key}`,
    status: TASK_STATUS_LABELS[a.statuses.get(t.key)!],
    rows: answerRows(t, a.saved.get(t.key)?.data ?? {}),
  }))
  const history = episode.assessment_completed_at ? await amendments(ctx.services.db, ctx.actor.laId, episode.id) : []
  return page(
    'assessment/views/check.njk',
    withErrors(
      {
        title: episode.assessment_completed_at ? 'The completed assessment' : 'Check your answers',
        ...episodeHeader(episode),
        sections,
        consent: a.consent,
        missing: a.missing,
        completed: Boolean(episode.assessment_completed_at),
        canComplete: canChange && stageAllows(episode.status, 'assess'),
        amendments: history.map((h) => {
          const task = a.tasks.find((t) => t.section === h.section && t.subjectId === h.subjectId)
          return { ...h, title: task?.title ?? h.section, changes: task ? answerRows(task, h.after, h.before) : [] }
        }),
      },
      errors,
      a.tasks.map((t) => t.key).concat('consent'),
    ),
  )
}
