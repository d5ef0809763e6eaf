import { sql, type RawBuilder } from 'kysely'

/**
 * The work queues: what needs doing, each defined once, here. The hub's desk counts them, its lists
 * show them, "My work" and a manager's desk show them at their scope, the reminder emails count them
 * and the episode page asks which ones an episode is in — all through `queueRows`.
 *
 * Each queue gives rows of (episode_id, item_id, due_on, note) for the episodes `e` a scope allows.
 * `due_on` is the day the thing should have been done by; `listed` says when a row shows:
 * - overdue: from the day after due_on (a review due today is not yet overdue);
 * - due: from due_on itself (a follow-up call due today is due today);
 * - soon: due_on from today to 7 days ahead.
 * Lists are sorted by due_on, so the most overdue come first.
 */
export const QUEUE_KEYS = [
  'no-lead',
  'intentions',
  'consent',
  'first-meeting',
  'reviews-overdue',
  'reviews-soon',
  'actions-overdue',
  'copy-not-given',
  'follow-ups',
  'non-attendance',
  'open-too-long',
  'step-ups',
] as const
export type QueueKey = (typeof QUEUE_KEYS)[number]
export type Listed = 'overdue' | 'due' | 'soon'

export interface Queue {
  key: QueueKey
  title: string
  /** The rule in plain English, shown above the list. */
  rule: string
  /** What `due_on` means for this queue: the list's column heading. */
  dueHeading: string
  /** What one row is: an episode, or one thing in it (an action, a call, an agency). */
  item: 'episode' | 'action' | 'follow-up' | 'agency' | 'step-up'
  listed: Listed
  rows: (c: QueueContext) => RawBuilder<QueueRow>
}

/** Whose rows: the council, the episodes (as `e`) a scope and the filters allow, and the UK day it is. */
export interface QueueContext {
  laId: number
  scope: RawBuilder<boolean>
  today: string
}

export interface QueueRow {
  episode_id: number
  item_id: number | null
  due_on: string
  note: string | null
}

/** A timestamp's day in the UK, as SQL. */
export const ukDay = (column: string) => sql<string>`(${sql.ref(column)} at time zone 'Europe/London')::date`
const AFTER_ASSESSMENT = sql<boolean>`e.status in ('assessment-complete', 'plan-active', 'stepping-up')`
const settings = sql`join caf_settings s on s.la_id = e.la_id`

const QUEUE_LIST: Queue[] = [
  {
    key: 'no-lead',
    title: 'No lead professional',
    rule: 'A completed assessment with nobody leading, or someone asked to lead who has not accepted within the council’s number of days.',
    dueHeading: 'Needed since',
    item: 'episode',
    listed: 'due',
    rows: ({ laId, scope, today }) => sql`select e.id as episode_id, null::bigint as item_id,
        case when e.lead_proposed_at is null then ${ukDay('e.assessment_completed_at')} else ${ukDay('e.lead_proposed_at')} + s.lead_accept_days end as due_on,
        case when e.lead_proposed_at is null then 'Nobody is lead professional' else 'Asked, not yet accepted' end as note
      from episodes e ${settings}
      where e.la_id = ${laId} and ${AFTER_ASSESSMENT} and e.lead_user_id is null and ${scope}
        and (e.lead_proposed_at is null or ${ukDay('e.lead_proposed_at')} + s.lead_accept_days < ${today}::date)`,
  },
  {
    key: 'intentions',
    title: 'Intentions to follow up',
    rule: 'An intention to assess that has not become an assessment within the council’s number of days since it was recorded or last followed up.',
    dueHeading: 'Follow up by',
    item: 'episode',
    listed: 'overdue',
    rows: ({ laId, scope }) => sql`select e.id as episode_id, null::bigint as item_id,
        greatest(${ukDay('e.created_at')}, (select max(${ukDay('f.recorded_at')}) from intention_follow_ups f where f.episode_id = e.id))
          + s.intention_follow_up_days as due_on,
        e.intention_reason as note
      from episodes e ${settings}
      where e.la_id = ${laId} and e.status = 'intention' and ${scope}`,
  },
  {
    key: 'consent',
    title: 'Consent missing, refused or withdrawn',
    rule: 'An open assessment or plan where the family’s consent is not recorded, was refused, or was withdrawn.',
    dueHeading: 'Since',
    item: 'episode',
    listed: 'due',
    rows: ({ laId, scope }) => sql`select e.id as episode_id, null::bigint as item_id,
        case when e.consent_state is null then coalesce(${ukDay('e.assessment_started_at')}, ${ukDay('e.created_at')}) else e.consent_state_on end as due_on,
        case when e.consent_state is null then 'Not recorded' when e.consent_state = 'refused' then 'Refused' else 'Withdrawn' end as note
      from episodes e
      where e.la_id = ${laId} and e.status in ('assessment', 'assessment-complete', 'plan-active') and (e.consent_state is null or e.consent_state <> 'given') and ${scope}`,
  },
  {
    key: 'first-meeting',
    title: 'First meeting overdue',
    rule: 'No Team Around the Family meeting held within the council’s number of days after the assessment was completed.',
    dueHeading: 'Due by',
    item: 'episode',
    listed: 'overdue',
    rows: ({ laId, scope }) => sql`select e.id as episode_id, null::bigint as item_id,
        ${ukDay('e.assessment_completed_at')} + s.first_taf_days as due_on,
        case when exists (select 1 from meetings m where m.episode_id = e.id and m.status = 'scheduled') then 'A meeting is booked'
          else 'No meeting booked' end as note
      from episodes e ${settings}
      where e.la_id = ${laId} and ${AFTER_ASSESSMENT} and e.first_meeting_at is null and e.assessment_completed_at is not null and ${scope}`,
  },
  {
    key: 'reviews-overdue',
    title: 'Reviews overdue',
    rule: 'The plan’s next review date has passed without a review.',
    dueHeading: 'Review was due',
    item: 'episode',
    listed: 'overdue',
    rows: reviewRows,
  },
  {
    key: 'reviews-soon',
    title: 'Reviews due in the next 7 days',
    rule: 'The plan’s next review is due today or in the next 7 days.',
    dueHeading: 'Review due',
    item: 'episode',
    listed: 'soon',
    rows: reviewRows,
  },
  {
    key: 'actions-overdue',
    title: 'Actions overdue',
    rule: 'An action in an open plan, not done, whose due date has passed.',
    dueHeading: 'Was due',
    item: 'action',
    listed: 'overdue',
    rows: ({ laId, scope, today }) => sql`select e.id as episode_id, a.id as item_id, a.due_on, a.description as note
      from plan_actions a join episodes e on e.id = a.episode_id
      where a.la_id = ${laId} and a.status in ('not-started', 'in-progress') and a.due_on < ${today}::date and e.status <> 'closed' and ${scope}`,
  },
  {
    key: 'copy-not-given',
    title: 'Family’s copy not given',
    rule: 'The family has not been given a copy of the assessment within the council’s number of days after it was completed.',
    dueHeading: 'Due by',
    item: 'episode',
    listed: 'overdue',
    rows: ({ laId, scope }) => sql`select e.id as episode_id, null::bigint as item_id, ${ukDay('e.assessment_completed_at')} + s.copy_given_days as due_on,
        null::text as note
      from episodes e ${settings}
      where e.la_id = ${laId} and ${AFTER_ASSESSMENT} and e.assessment_completed_at is not null and e.copy_given_on is null and ${scope}`,
  },
  {
    key: 'follow-ups',
    title: 'Follow-up calls due',
    rule: 'A call to a family after their episode closed, to ask whether the change lasted, that is due today or earlier.',
    dueHeading: 'Call due',
    item: 'follow-up',
    listed: 'due',
    rows: ({ laId, scope, today }) => sql`select e.id as episode_id, f.id as item_id, f.due_on, f.months || ' months after closing' as note
      from follow_ups f join episodes e on e.id = f.episode_id
      where f.la_id = ${laId} and f.status = 'due' and f.due_on <= ${today}::date and ${scope}`,
  },
  {
    key: 'non-attendance',
    title: 'Repeated non-attendance',
    rule: 'An agency that did not attend a family’s meetings the council’s number of times in a row (since it last attended), to raise with the agency’s manager.',
    dueHeading: 'Last missed',
    item: 'agency',
    listed: 'due',
    // The run of missed meetings is kept per family and agency by triggers (migration 0017, attendance_run).
    rows: ({ laId, scope }) => sql`select e.id as episode_id, r.agency_id as item_id, r.last_missed_on as due_on,
        a.name || ' did not attend ' || r.missed || ' meetings in a row' as note
      from attendance_runs r join episodes e on e.id = r.episode_id ${settings}
      join agencies a on a.id = r.agency_id
      where r.la_id = ${laId} and r.missed >= s.non_attendance_repeats and e.status <> 'closed' and ${scope}`,
  },
  {
    key: 'open-too-long',
    title: 'Open too long with no review',
    rule: 'An episode open longer than the council’s limit that has never had a review.',
    dueHeading: 'Limit reached',
    item: 'episode',
    listed: 'overdue',
    rows: ({
      laId,
      scope,
      today,
    }) => sql`select e.id as episode_id, null::bigint as item_id, ${ukDay('e.created_at')} + s.open_limit_days as due_on, null::text as note
      from episodes e ${settings}
      where e.la_id = ${laId} and e.status <> 'closed' and e.last_review_on is null and ${scope}
        -- A day's margin around the UK day, so the index on created_at can narrow the rows the rule then decides.
        and e.created_at < ${today}::date - s.open_limit_days + 1`,
  },
  {
    key: 'step-ups',
    title: 'Step ups social care has not decided',
    rule: 'A family stepped up to children’s social care, whose decision is overdue: the council gives social care one working day unless it set another number.',
    dueHeading: 'Decision due by',
    item: 'step-up',
    listed: 'overdue',
    rows: ({ laId, scope }) => sql`select e.id as episode_id, su.id as item_id, su.decide_by as due_on, null::text as note
      from step_ups su join episodes e on e.id = su.episode_id
      where su.la_id = ${laId} and su.status = 'waiting' and ${scope}`,
  },
]

function reviewRows({ laId, scope }: QueueContext) {
  return sql<QueueRow>`select e.id as episode_id, null::bigint as item_id, e.next_review_on as due_on, null::text as note
    from episodes e where e.la_id = ${laId} and e.status = 'plan-active' and e.next_review_on is not null and ${scope}`
}

export const QUEUES: Record<QueueKey, Queue> = Object.fromEntries(QUEUE_LIST.map((q) => [q.key, q])) as Record<QueueKey, Queue>

export function isQueueKey(value: unknown): value is QueueKey {
  return typeof value === 'string' && (QUEUE_KEYS as readonly string[]).includes(value)
}

const listed = (how: Listed, today: string): RawBuilder<boolean> =>
  ({
    overdue: sql<boolean>`q.due_on < ${today}::date`,
    due: sql<boolean>`q.due_on <= ${today}::date`,
    soon: sql<boolean>`q.due_on between ${today}::date and ${today}::date + 7`,
  })[how]

/** Whether a queue's row `q` is listed today (overdue, due, or due soon, as the queue says). */
export function isListed(key: QueueKey, today: string): RawBuilder<boolean> {
  return listed(QUEUES[key].listed, today)
}

/** The rows a queue lists today for the episodes the context allows, as `q`: the one way any list or count reads a queue. */
export function queueRows(key: QueueKey, c: QueueContext) {
  return sql<QueueRow>`(select * from (${QUEUES[key].rows(c)}) q where ${isListed(key, c.today)})`
}
