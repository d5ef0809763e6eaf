import { sql, type Kysely } from 'kysely'
import type { ChecklistState, DB } from '../../db/schema.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import { loadAssessment } from '../assessment/use-cases.ts'
import { queuesOfEpisode } from '../desk/queries.ts'
import type { QueueKey } from '../desk/queues.ts'
import { cafSettings } from '../episodes/config.ts'
import { reviewInterval } from '../reviews/schedule.ts'

/**
 * The quality audit's checklist: what should be on the record, answered by the record itself, so the
 * auditor's time goes on judging the work rather than hunting for boxes. Each item is yes, no, or not
 * due yet (a plan cannot have actions before the assessment is done). The assessment's own rules say
 * whether its sections are done, and the work queues say whether a deadline has passed: this module
 * only puts them together, and adds what only an audit asks (was it done on time, not only is it late now).
 */
export const CHECKLIST = [
  { key: 'consent', text: 'Consent recorded and clear: who gave it, how, and which agencies it names' },
  { key: 'present', text: 'Who was present at the assessment, and what led to it' },
  { key: 'child-views', text: 'The child’s views (or why they could not be recorded)' },
  { key: 'parent-views', text: 'The parents’ or carers’ views (or why they could not be recorded)' },
  { key: 'school-gp', text: 'School and GP recorded for each child (school from age 5)' },
  { key: 'outcomes', text: 'Every need has a desired outcome' },
  { key: 'actions', text: 'Every action in the plan has an owner and a date' },
  { key: 'first-meeting', text: 'First Team Around the Family meeting held on time' },
  { key: 'reviews', text: 'Reviews held on time' },
  { key: 'copy', text: 'The family was given a copy of the assessment' },
] as const
export type ChecklistKey = (typeof CHECKLIST)[number]['key']
export type Checklist = Record<ChecklistKey, ChecklistState>

/** Everything the checklist reads, in one round of queries: the assessment's tasks and what the queues say of the episode now. */
async function factsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const [assessment, episode, children, actions, planActiveAt, reviews, settings, queues, interval] = await Promise.all([
    loadAssessment(db, laId, episodeId),
    db
      .selectFrom('episodes')
      .select(['status', 'assessment_completed_at', 'first_meeting_at', 'copy_given_on', 'closed_at'])
      .where('id', '=', episodeId)
      .where('la_id', '=', laId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.school_agency_id as school', 'p.gp_agency_id as gp'])
      .select(sql<boolean>`p.date_of_birth is null and p.expected_delivery_date is not null`.as('unborn'))
      // Compulsory school age starts the term after a child turns 5; a child whose age nobody recorded is asked it too.
      .select(sql<boolean>`p.date_of_birth is null or p.date_of_birth <= ${today()}::date - interval '5 years'`.as('schoolAge'))
      .where('ep.episode_id', '=', episodeId)
      .where('ep.role', '=', 'child')
      .execute(),
    db.selectFrom('plan_actions').select(['owner_user_id', 'owner_agency_id', 'owner_person_id']).where('episode_id', '=', episodeId).execute(),
    db
      .selectFrom('episode_stage_changes')
      .select((eb) => eb.fn.min('changed_at').as('at'))
      .where('episode_id', '=', episodeId)
      .where('to_stage', '=', 'plan-active')
      .executeTakeFirst(),
    db
      .selectFrom('reviews')
      .select(['held_on as heldOn', 'next_review_on as nextOn'])
      .where('episode_id', '=', episodeId)
      .orderBy('held_on')
      .orderBy('id')
      .execute(),
    cafSettings(db, laId).select('first_taf_days').executeTakeFirstOrThrow(),
    queuesOfEpisode(db, laId, episodeId),
    reviewInterval(db, laId, episodeId),
  ])
  /** Every task of the assessment's section is completed (and it has at least one). */
  const done = (section: string) => {
    const tasks = assessment.tasks.filter((t) => t.section === section)
    return tasks.length > 0 && tasks.every((t) => assessment.statuses.get(t.key) === 'completed')
  }
  /** The episode is overdue in this work queue now: the queue's rule, not a copy of it. */
  const overdue = (key: QueueKey) => queues.some((q) => q.key === key && q.listed)
  return { assessment, done, overdue, episode, children, actions, planActiveAt: planActiveAt?.at ?? null, reviews, settings, interval }
}

type Facts = Awaited<ReturnType<typeof factsOf>>

const yesNo = (ok: boolean): ChecklistState => (ok ? 'yes' : 'no')
const dayOf = (at: Date | string | null) => (at === null ? null : ukDate(new Date(at)))

/**
 * A step with a deadline: done is yes; not done is a no once its queue says it is overdue, or once the
 * episode has closed without it; otherwise not due yet.
 */
function byQueue(facts: Facts, done: boolean, queue: QueueKey): ChecklistState {
  if (done) return 'yes'
  return facts.overdue(queue) || facts.episode.closed_at !== null ? 'no' : 'not-due'
}

/** Held within the council's days of the assessment being completed; held late is a no at once. */
function firstMeetingOnTime(facts: Facts, completedOn: string): ChecklistState {
  const heldOn = dayOf(facts.episode.first_meeting_at)
  if (heldOn === null) return byQueue(facts, false, 'first-meeting')
  return yesNo(heldOn <= addDays(completedOn, facts.settings.first_taf_days))
}

/**
 * Reviews on time: each held by the date set for it (the first, by the level's interval after the plan
 * began), none overdue now, and none left overdue when the episode closed.
 */
function reviewsOnTime(facts: Facts): ChecklistState {
  const began = dayOf(facts.planActiveAt)
  if (began === null) return 'not-due'
  let due: string | null = addDays(began, facts.interval)
  let reviewed = false
  for (const r of facts.reviews) {
    if (due !== null && r.heldOn > due) return 'no'
    reviewed ||= due !== null
    due = r.nextOn
  }
  const closedOn = dayOf(facts.episode.closed_at)
  if (facts.overdue('reviews-overdue') || (closedOn !== null && due !== null && due < closedOn)) return 'no'
  return reviewed ? 'yes' : 'not-due'
}

/** A GP for every child born; a school too for a child of school age. */
const schoolAndGp = (facts: Facts) => facts.children.every((c) => c.unborn || (c.gp !== null && (c.school !== null || !c.schoolAge)))

function evaluate(facts: Facts): Checklist {
  const { latest, current } = facts.assessment.consent
  const completedOn = dayOf(facts.episode.assessment_completed_at)
  const planExpected = facts.planActiveAt !== null || facts.actions.length > 0
  return {
    // Given naming at least one agency, or a clear refusal or withdrawal: either way nobody has to guess.
    consent: yesNo(latest !== null && (latest.decision === 'refused' || latest.withdrawn_on !== null || current.length > 0)),
    present: yesNo(facts.done('present')),
    'child-views': yesNo(facts.done('child-views')),
    'parent-views': yesNo(facts.done('parent-views')),
    'school-gp': yesNo(schoolAndGp(facts)),
    outcomes: yesNo(facts.done('conclusions')),
    // Every action has a due date (the schema requires one): only its owner can be missing.
    actions: !planExpected
      ? 'not-due'
      : yesNo(facts.actions.length > 0 && facts.actions.every((a) => (a.owner_user_id ?? a.owner_agency_id ?? a.owner_person_id) !== null)),
    'first-meeting': completedOn === null ? 'not-due' : firstMeetingOnTime(facts, completedOn),
    reviews: reviewsOnTime(facts),
    copy: completedOn === null ? 'not-due' : byQueue(facts, facts.episode.copy_given_on !== null, 'copy-not-given'),
  }
}

/** The checklist of an episode as its record stands today. */
export async function checklistOf(db: Kysely<DB>, laId: number, episodeId: number): Promise<Checklist> {
  return evaluate(await factsOf(db, laId, episodeId))
}

/** The checklist's items with their answers, in order, for a page or a download. */
export function checklistItems(checklist: Partial<Record<string, ChecklistState>>) {
  return CHECKLIST.map((item) => ({ ...item, state: checklist[item.key] ?? 'not-due' }))
}

export const STATE_TEXT: Record<ChecklistState, string> = { yes: 'Yes', no: 'Missing', 'not-due': 'Not due yet' }
