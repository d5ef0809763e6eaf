import type { Kysely } from 'kysely'
import type { ActionStatus, DB, Progress, ReviewDecision } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { readDate, today } from '../../web/dates.ts'
import type { FieldErrors } from '../../web/forms.ts'
import { assessmentTasks } from '../assessment/tasks.ts'
import { episodeAccess, episodeAllows } from '../../policies/episode.ts'
import { closureReasons } from '../closure/use-cases.ts'
import { readStepUp } from '../social-care/step-up-form.ts'
import { cafConfig, type CafConfig } from '../episodes/config.ts'
import type { Episode } from '../episodes/repository.ts'
import { ACTION_STATUSES, planOf } from '../plans/use-cases.ts'
import { progressPage, type Series } from './progress.ts'
import { reviewInterval } from './schedule.ts'
import { DECISIONS, ENDS_EPISODE, PROGRESS, type ReviewInput } from './use-cases.ts'

export const UNEXPECTED = 'The form had information in it that we did not expect. Check your answers and submit the form again'
const OPEN_ACTION: readonly string[] = ['not-started', 'in-progress']

/** Each element's scores last time: the latest occasion in distance travelled (assessment or review) that scored it. */
function lastScores(series: readonly Series[]): Map<string, string> {
  const last = new Map<string, string>()
  for (const s of series) {
    const p = [...s.points].reverse().find((x) => x.practitioner !== null || x.family !== null)!
    const when = p.occasion === 'Assessment' ? 'at the assessment' : `at ${p.occasion.toLowerCase()} on ${p.date}`
    last.set(s.key, `Last scored ${when}: practitioner ${p.practitioner ?? 'not scored'}, family ${p.family ?? 'not scored'}`)
  }
  return last
}

/**
 * What is scored at a review: the same elements as the assessment, per child where the assessment was.
 * Those scored before (at the assessment or a review since) are asked for, with the scores given last
 * time; the rest are offered under "Score another element".
 */
function scoredElements(episode: Episode, config: CafConfig, series: readonly Series[]) {
  const last = lastScores(series)
  return assessmentTasks(episode.people, config)
    .filter((t) => t.section.startsWith('domain-'))
    .map((t) => {
      const elements = t.fields.flatMap((f) =>
        f.kind === 'element'
          ? [{ subjectId: t.subjectId, code: f.name, label: f.label, name: `score-${t.subjectId}-${f.name}`, last: last.get(`${f.name}-${t.subjectId}`) }]
          : [],
      )
      return { title: t.title, subjectId: t.subjectId, scored: elements.filter((e) => e.last), others: elements.filter((e) => !e.last) }
    })
}

/**
 * Everything the review form asks about for this episode, as it stands now: each open desired outcome
 * with its actions still to do, the elements to score, and the ways the review may end.
 */
export async function reviewForm(db: Kysely<DB>, actor: Actor, episode: Episode) {
  const [config, plan, interval, reasons, mayClose, progress] = await Promise.all([
    cafConfig(db, actor.laId),
    planOf(db, actor.laId, episode.id),
    reviewInterval(db, actor.laId, episode.id),
    closureReasons(db, actor.laId),
    episodeAccess(db, actor, episode.id).then((access) => episodeAllows(access, 'lead')),
    progressPage(db, actor.laId, episode.id),
  ])
  const open = plan
    .filter((o) => o.status === 'open')
    .map((o) => ({ id: o.id, need: o.need, outcome: o.outcome, actions: o.actions.filter((a) => OPEN_ACTION.includes(a.status)) }))
  return {
    open,
    groups: scoredElements(episode, config, progress.series),
    scale: config.scale,
    interval,
    closeReasons: reasons,
    stepUpDays: config.stepUpDecisionDays,
    mayClose,
  }
}
export type ReviewForm = Awaited<ReturnType<typeof reviewForm>>

/** Every element the form may score, in page order: those asked for, then those under "Score another element". */
function elementsOf(form: ReviewForm) {
  return [...form.groups.flatMap((g) => g.scored), ...form.groups.flatMap((g) => g.others)]
}

/** The form's fields in page order: where the error summary's links go. */
export function reviewFieldOrder(form: ReviewForm): string[] {
  return [
    'held-day',
    ...form.open.flatMap((o) => [`progress-${o.id}`, `evidence-${o.id}`, ...o.actions.flatMap((a) => [`action-${a.id}-status`, `action-${a.id}-reason`])]),
    'newNeed',
    'newOutcome',
    ...elementsOf(form).flatMap((e) => [`${e.name}-practitioner`, `${e.name}-family`]),
    'summary',
    'decision',
    'next-day',
    'closeReason',
    'closingOpenOutcomes',
    'closingSummary',
    'stepUpReason',
    'stepUpRisks',
  ]
}

/**
 * Reads a review's answers against the form as it stands. The fields that do not apply to the decision
 * (the next review date when closing; the closure reason and summary when carrying on) are not used.
 */
export function readReview(body: Record<string, string>, form: ReviewForm): { input: ReviewInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {}
  const allowed = new Set([
    'held-day',
    'held-month',
    'held-year',
    'newNeed',
    'newOutcome',
    'decision',
    'next-day',
    'next-month',
    'next-year',
    'closeReason',
    'closingOpenOutcomes',
    'closingSummary',
    'stepUpReason',
    'stepUpRisks',
    'summary',
  ])
  for (const o of form.open) {
    for (const k of [`progress-${o.id}`, `evidence-${o.id}`]) allowed.add(k)
    for (const a of o.actions) for (const k of [`action-${a.id}-status`, `action-${a.id}-reason`, `action-${a.id}-version`]) allowed.add(k)
  }
  for (const e of elementsOf(form)) for (const k of [`${e.name}-practitioner`, `${e.name}-family`]) allowed.add(k)
  if (Object.keys(body).some((k) => !allowed.has(k))) errors.form = UNEXPECTED
  const text = (k: string) => (body[k] ?? '').trim()

  const held = readDate(body, 'held', 'Date of the review', { notAfter: today(), notBefore: '2000-01-01' })
  if ('error' in held) errors['held-day'] = held.error

  const outcomes: ReviewInput['outcomes'] = {}
  const actions: ReviewInput['actions'] = []
  for (const o of form.open) {
    const progress = text(`progress-${o.id}`)
    const evidence = text(`evidence-${o.id}`)
    if (!PROGRESS.some((p) => p.value === progress)) errors[`progress-${o.id}`] = 'Select how this outcome is going'
    if (!evidence) errors[`evidence-${o.id}`] = 'Describe, in words, what shows how this outcome is going'
    else if (evidence.length > 5000) errors[`evidence-${o.id}`] = 'The evidence must be 5,000 characters or fewer'
    outcomes[o.id] = { progress: progress as Progress, evidence }
    for (const a of o.actions) {
      const status = text(`action-${a.id}-status`) || a.status
      const reason = text(`action-${a.id}-reason`)
      const sentVersion = text(`action-${a.id}-version`) || String(a.version)
      const version = Number(sentVersion)
      if (!ACTION_STATUSES.some((s) => s.value === status)) errors[`action-${a.id}-status`] = 'Select how the action is going'
      else if (status === 'not-done' && !reason) errors[`action-${a.id}-reason`] = `Enter why “${a.description}” was not done`
      if (reason.length > 2000) errors[`action-${a.id}-reason`] = 'The reason must be 2,000 characters or fewer'
      if (!/^\d{1,9}$/.test(sentVersion) || version < 1) errors.form = UNEXPECTED
      if (status !== a.status) actions.push({ actionId: a.id, status: status as ActionStatus, notDoneReason: reason || null, version })
    }
  }

  const [newNeed, newOutcomeText] = [text('newNeed'), text('newOutcome')]
  if (newNeed.length > 2000) errors.newNeed = 'The need must be 2,000 characters or fewer'
  else if (newOutcomeText && !newNeed) errors.newNeed = 'Enter the need the new desired outcome is for'
  if (newOutcomeText.length > 2000) errors.newOutcome = 'The desired outcome must be 2,000 characters or fewer'
  else if (newNeed && !newOutcomeText) errors.newOutcome = 'Enter the desired outcome: the change the family wants'
  const newOutcome = newNeed && newOutcomeText ? { need: newNeed, outcome: newOutcomeText } : null

  const scores: ReviewInput['scores'] = []
  const { min, max } = form.scale
  for (const e of elementsOf(form)) {
    const score = (who: 'practitioner' | 'family') => {
      const v = text(`${e.name}-${who}`)
      if (!v) return null
      const n = Number(v)
      if (!/^\d{1,3}$/.test(v) || n < min || n > max) errors[`${e.name}-${who}`] = `${e.label}: scores go from ${min} to ${max}`
      return n
    }
    scores.push({ subjectId: e.subjectId, element: e.code, practitioner: score('practitioner'), family: score('family') })
  }

  const decision = text('decision') as ReviewDecision
  let nextReviewOn: string | null = null
  let closing: ReviewInput['closing'] = null
  let stepUp: ReviewInput['stepUp'] = null
  if (!DECISIONS.some((d) => d.value === decision)) errors.decision = 'Select the decision the review came to'
  else if (ENDS_EPISODE.includes(decision)) {
    if (!form.mayClose) {
      errors.decision =
        'Only the lead professional can close the episode or step up to social care. Choose another decision, or ask the lead professional to record this review'
    }
    if (decision === 'step-up') {
      stepUp = readStepUp(body, errors, { reason: 'stepUpReason', risks: 'stepUpRisks' })
    } else {
      const reason = text('closeReason')
      if (!form.closeReasons.some((r) => r.code === reason)) errors.closeReason = 'Select why the episode is closing'
      const summary = text('closingSummary')
      if (!summary) errors.closingSummary = 'Enter a closing summary: what changed, and what support carries on'
      else if (summary.length > 20_000) errors.closingSummary = 'The closing summary must be 20,000 characters or fewer'
      const openOutcomesReason = text('closingOpenOutcomes')
      if (openOutcomesReason.length > 5000) errors.closingOpenOutcomes = 'Why the needs are met must be 5,000 characters or fewer'
      closing = { reason, summary, openOutcomesReason: openOutcomesReason || null }
    }
    if (newOutcome)
      errors.newNeed = 'A review that closes the episode cannot set a new desired outcome. Leave the new need and outcome empty, or choose another decision'
  } else {
    const next = readDate(body, 'next', 'Date of the next review', { notBefore: today() })
    if ('error' in next) errors['next-day'] = next.error
    else nextReviewOn = next.iso
  }

  const summary = text('summary')
  if (summary.length > 20_000) errors.summary = 'The summary must be 20,000 characters or fewer'
  if (Object.keys(errors).length) return { errors }
  return {
    input: { heldOn: (held as { iso: string }).iso, outcomes, scores, actions, newOutcome, decision, nextReviewOn, closing, stepUp, summary: summary || null },
  }
}
