import { sql, type Kysely } from 'kysely'
import type { ChecklistState, DB } from '../../db/schema.ts'
import { addDays, today, ukDate } from '../../web/dates.ts'
import type { Need } from '../assessment/fields.ts'
import { cafSettings } from '../episodes/config.ts'
import { reviewInterval } from '../reviews/schedule.ts'

/**
 * The quality audit's checklist: what should be on the record, answered by the record itself, so the
 * auditor's time goes on judging the work rather than hunting for boxes. Each item is yes, no, or not
 * due yet (a plan cannot have actions before the assessment is done). The one place each item's rule is.
 */
export const CHECKLIST = [
  { key: 'consent', text: 'Consent recorded and clear: who gave it, how, and which agencies it names' },
  { key: 'present', text: 'Who was present at the assessment' },
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

/** School is expected from this age (compulsory school age starts the term after a child turns 5). */
const SCHOOL_AGE = 5

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== ''

function ageOn(dateOfBirth: string, day: string): number {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number]
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0)
}

/** Everything the checklist reads, in one round of queries. */
async function factsOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const [episode, children, sections, consent, actions, planActiveAt, reviews, settings] = await Promise.all([
    db
      .selectFrom('episodes')
      .select(['status', 'assessment_completed_at', 'copy_given_on', 'first_meeting_at'])
      .where('id', '=', episodeId)
      .where('la_id', '=', laId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.id', 'p.date_of_birth as dateOfBirth', 'p.school_agency_id as school', 'p.gp_agency_id as gp'])
      .where('ep.episode_id', '=', episodeId)
      .where('ep.role', '=', 'child')
      .execute(),
    db.selectFrom('assessment_sections').select(['section', 'subject_id as subjectId', 'data']).where('episode_id', '=', episodeId).execute(),
    db
      .selectFrom('consents as c')
      .select([
        'c.decision',
        'c.withdrawn_on as withdrawnOn',
        sql<number>`(select count(*)::int from consent_agencies a where a.episode_id = c.episode_id and a.removed_at is null)`.as('agencies'),
      ])
      .where('c.episode_id', '=', episodeId)
      .orderBy('c.recorded_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom('plan_actions').select(['owner_user_id', 'owner_agency_id', 'owner_person_id', 'due_on']).where('episode_id', '=', episodeId).execute(),
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
    cafSettings(db, laId).select(['first_taf_days', 'copy_given_days']).executeTakeFirstOrThrow(),
  ])
  const section = (name: string, subjectId = 0) => sections.find((s) => s.section === name && s.subjectId === subjectId)?.data ?? null
  return { episode, children, section, consent, actions, planActiveAt: planActiveAt?.at ?? null, reviews, settings }
}

type Facts = Awaited<ReturnType<typeof factsOf>>

const yesNo = (ok: boolean): ChecklistState => (ok ? 'yes' : 'no')

/** Done is yes; not done is no once the deadline has passed, and not due before. */
const byDeadline = (done: boolean, deadline: string, day: string): ChecklistState => (done ? 'yes' : deadline < day ? 'no' : 'not-due')

/** Held within the council's days of the assessment being completed; held late is a no at once. */
function firstMeetingOnTime(facts: Facts, completedOn: string | null, day: string): ChecklistState {
  if (completedOn === null) return 'not-due'
  const deadline = addDays(completedOn, facts.settings.first_taf_days)
  const heldAt = facts.episode.first_meeting_at
  return heldAt ? yesNo(ukDate(new Date(heldAt)) <= deadline) : byDeadline(false, deadline, day)
}

/** Reviews on time: each held by the date set for it (the first, by the level's interval after the plan began), and none overdue now. */
function reviewsOnTime(facts: Facts, interval: number, day: string): ChecklistState {
  if (!facts.planActiveAt) return 'not-due'
  let due: string | null = addDays(ukDate(new Date(facts.planActiveAt)), interval)
  let passed = false
  for (const r of facts.reviews) {
    if (due !== null) {
      if (r.heldOn > due) return 'no'
      passed = true
    }
    due = r.nextOn
  }
  if (due !== null && due < day && facts.episode.status !== 'closed') return 'no'
  return passed ? 'yes' : 'not-due'
}

function evaluate(facts: Facts, interval: number, day: string): Checklist {
  const { episode, consent, settings } = facts
  const completedOn = episode.assessment_completed_at ? ukDate(new Date(episode.assessment_completed_at)) : null
  const views = (data: Record<string, unknown> | null) => data !== null && (filled(data.views) || filled(data['not-recorded']))
  const present = facts.section('present')
  const needs = ((facts.section('conclusions')?.needs as Need[] | undefined) ?? []).filter((n) => filled(n.need))
  const born = facts.children.filter((c) => c.dateOfBirth !== null)
  const planExpected = facts.planActiveAt !== null || facts.actions.length > 0
  return {
    // Given naming at least one agency, or a clear refusal or withdrawal: either way nobody has to guess.
    consent: yesNo(consent !== undefined && (consent.decision === 'refused' || consent.withdrawnOn !== null || consent.agencies > 0)),
    present: yesNo(present !== null && (((present.present as string[] | undefined) ?? []).length > 0 || filled(present['others-present']))),
    'child-views': yesNo(facts.children.length > 0 && facts.children.every((c) => views(facts.section('child-views', c.id)))),
    'parent-views': yesNo(views(facts.section('parent-views'))),
    'school-gp': yesNo(born.every((c) => c.gp !== null && (ageOn(c.dateOfBirth!, day) < SCHOOL_AGE || c.school !== null))),
    outcomes: yesNo(needs.length > 0 && needs.every((n) => filled(n.outcome))),
    actions: !planExpected
      ? 'not-due'
      : yesNo(facts.actions.length > 0 && facts.actions.every((a) => (a.owner_user_id ?? a.owner_agency_id ?? a.owner_person_id) !== null && a.due_on)),
    'first-meeting': firstMeetingOnTime(facts, completedOn, day),
    reviews: reviewsOnTime(facts, interval, day),
    copy: completedOn === null ? 'not-due' : byDeadline(episode.copy_given_on !== null, addDays(completedOn, settings.copy_given_days), day),
  }
}

/** The checklist of an episode as its record stands today. */
export async function checklistOf(db: Kysely<DB>, laId: number, episodeId: number, day = today()): Promise<Checklist> {
  const [facts, interval] = await Promise.all([factsOf(db, laId, episodeId), reviewInterval(db, laId, episodeId)])
  return evaluate(facts, interval, day)
}

/** The checklist's items with their answers, in order, for a page or a download. */
export function checklistItems(checklist: Partial<Record<string, ChecklistState>>) {
  return CHECKLIST.map((item) => ({ ...item, state: checklist[item.key] ?? 'not-due' }))
}

export const STATE_TEXT: Record<ChecklistState, string> = { yes: 'Yes', no: 'Missing', 'not-due': 'Not due yet' }
