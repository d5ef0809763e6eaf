// CAF episodes at every stage for the synthetic councils, shaped as the use cases make them: the
// child on the register, consent and the agencies it names, the Team Around the Family, the lead
// professional, meetings with attendance, the plan's outcomes and actions, reviews, closure with its
// follow-up calls, step-ups, and a stage-change row for every move. Written in batches of plain SQL
// (one INSERT per table per batch), so a million episodes take minutes. A share of each kind of work
// is left to slip (an overdue review, an action past its date, a lead who has not accepted...), so
// the work queues have something to show.
import { sql, type Kysely } from 'kysely'
import { performance } from 'node:perf_hooks'
import type { DB, EpisodeStatus } from '../../src/db/schema.ts'
import { reserveIds } from './batch.ts'
import { tables, type Tables } from './episode-tables.ts'
import { insertPeople, isoDate, setUp, THIS_YEAR, type Council, type PersonRow } from './population.ts'
import { councilStaff, type CouncilStaff, type Practitioner } from './staff.ts'
import { NAMES, rng, syntheticPostcode, type Rng } from './synthetic.ts'

const DAY = 86_400_000
const BATCH = 2000
const STAGES: [EpisodeStatus, number][] = [
  ['intention', 0.04],
  ['pre-assessment', 0.04],
  ['assessment', 0.1],
  ['assessment-complete', 0.08],
  ['plan-active', 0.34],
  ['closed', 0.4],
]
/** How many days old each stage's episodes are: least and most. */
const AGE: Record<EpisodeStatus, [number, number]> = {
  intention: [1, 60],
  'pre-assessment': [1, 30],
  assessment: [5, 90],
  'assessment-complete': [15, 120],
  'plan-active': [40, 900],
  'stepping-up': [40, 400],
  closed: [100, 1100],
}
const CLOSED_REASONS = ['needs-met', 'needs-met', 'needs-met', 'needs-met', 'needs-met', 'needs-met', 'withdrew', 'moved', 'stepped-up', 'other']

/** What became of actions whose date has passed: most done, one in twenty-five left open (overdue), some not done. */
const PAST_DUE = [...Array<string>(44).fill('done'), 'not-started', 'in-progress', 'not-done', 'not-done', 'not-done', 'not-done']

const iso = (ms: number) => new Date(ms).toISOString()
const day = (ms: number) => iso(ms).slice(0, 10)

function stageOf(r: Rng): EpisodeStatus {
  let x = r.next()
  for (const [stage, share] of STAGES) if ((x -= share) < 0) return stage
  return 'closed'
}

interface Ids {
  episode: number
  meeting: number
  outcome: number
  review: number
}

/** The parts of the assessment scored for each child, and where the scores start: things are hard. */
const SCORED = ['general-health', 'emotional-social', 'behaviour', 'participation']
const HEADLINES = [
  'education',
  'early-years',
  'health',
  'substance-use',
  'family-relationships',
  'safe-from-abuse',
  'crime',
  'domestic-abuse',
  'housing',
  'financial-stability',
]
const FOLLOW_UP_ANSWERS = ['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'partly', 'partly', 'partly', 'no']

/** One episode and everything the use cases would have written for it, up to its stage. */
function episode(t: Tables, r: Rng, laId: number, staff: CouncilStaff, ids: Ids, child: PersonRow, mother: PersonRow | null, now: number) {
  const status = stageOf(r)
  const [least, most] = AGE[status]
  const created = now - r.int(least, most) * DAY - r.int(0, DAY - 1)
  const by = r.pick(staff.practitioners)
  const others = [r.pick(staff.practitioners), r.pick(staff.practitioners)].filter((p, i, all) => p.agencyId !== by.agencyId && all.indexOf(p) === i)
  const team: Practitioner[] = [by, ...others.slice(0, r.int(0, 2))]
  const id = ids.episode++
  const level = r.chance(0.7) ? '3' : '2'
  const reviewDays = level === '3' ? 42 : 182
  const stage = (from: EpisodeStatus | null, to: EpisodeStatus, at: number) =>
    t.stages.add({ la_id: laId, episode_id: id, from_stage: from, to_stage: to, changed_by: by.id, changed_at: iso(at) })
  const row: Record<string, unknown> = {
    id,
    la_id: laId,
    // With the mother in it, a whole-family CAF (what Supporting Families counts).
    kind: mother ? 'family' : 'child',
    status,
    initiator_user_id: by.id,
    initiator_agency_id: by.agencyId,
    need_level: null,
    locality_id: by.localityId,
    created_at: iso(created),
    updated_at: iso(created),
  }
  t.episodes.add(row)
  t.episode_people.add({ la_id: laId, episode_id: id, person_id: child.id, role: 'child', episode_open: status !== 'closed', sort_order: 0 })
  if (mother) t.episode_people.add({ la_id: laId, episode_id: id, person_id: mother.id, role: 'adult', episode_open: status !== 'closed', sort_order: 1 })
  if (status === 'intention') {
    row.intention_reason = 'Synthetic: the school is worried about attendance.'
    return stage(null, 'intention', created)
  }
  stage(null, 'pre-assessment', created)
  if (status === 'pre-assessment') return
  const started = Math.min(created + r.int(1, 5) * DAY, now - DAY)
  row.assessment_started_at = iso(started)
  row.need_level = level
  stage('pre-assessment', 'assessment', started)
  const giver = mother ?? child
  const consentEnds = status !== 'closed' && r.chance(0.02)
  t.consents.add({
    la_id: laId,
    episode_id: id,
    decision: 'given',
    given_by_person_id: giver.id,
    giver_role: mother ? 'parent-with-pr' : 'young-person',
    method: 'written',
    given_on: day(started),
    recorded_by: by.id,
    recorded_at: iso(started),
    withdrawn_on: consentEnds ? day(now - 5 * DAY) : null,
    withdrawn_reason: consentEnds ? 'Synthetic: the family no longer wants help.' : null,
    withdrawn_by: consentEnds ? by.id : null,
  })
  for (const agency of new Set(team.map((p) => p.agencyId)))
    t.consentAgencies.add({ la_id: laId, episode_id: id, agency_id: agency, added_at: iso(started), added_by: by.id })
  for (const p of team) t.team.add({ la_id: laId, episode_id: id, user_id: p.id, agency_id: p.agencyId, joined_at: iso(started), added_by: by.id })
  // The child's development scored by the practitioner and the family, as the domain task saves it.
  const scores = SCORED.map((element) => ({ element, practitioner: r.int(2, 6), family: r.int(2, 7) }))
  t.sections.add({
    la_id: laId,
    episode_id: id,
    section: 'domain-child',
    subject_id: child.id,
    data: JSON.stringify(
      Object.fromEntries(
        scores.flatMap((s) => [
          [`${s.element}-narrative`, 'Synthetic.'],
          [`${s.element}-practitioner`, s.practitioner],
          [`${s.element}-family`, s.family],
        ]),
      ),
    ),
    updated_by: by.id,
    updated_at: iso(started),
  })
  if (status === 'assessment') return

  const completed = Math.min(started + r.int(7, 35) * DAY, now - 2 * DAY)
  Object.assign(row, { assessment_completed_at: iso(completed), assessment_completed_by: by.id })
  stage('assessment', 'assessment-complete', completed)
  const copy = completed + r.int(0, 12) * DAY
  if (r.chance(0.9) && copy < now) Object.assign(row, { copy_given_on: day(copy), copy_given_recorded_by: by.id })
  const leadChance = status === 'assessment-complete' ? 0.6 : 1
  const lead = r.chance(0.8) ? by : team[team.length - 1]!
  if (r.chance(leadChance))
    t.leads.add({
      la_id: laId,
      episode_id: id,
      user_id: lead.id,
      proposed_by: by.id,
      proposed_at: iso(completed),
      family_agreed_on: day(completed),
      accepted_at: iso(completed + DAY),
    })
  else if (r.chance(0.5))
    t.leads.add({
      la_id: laId,
      episode_id: id,
      user_id: lead.id,
      proposed_by: by.id,
      proposed_at: iso(completed + r.int(0, 10) * DAY),
      family_agreed_on: day(completed),
      accepted_at: null,
    })

  const end = status === 'closed' ? Math.min(completed + r.int(60, Math.max(61, (now - completed) / DAY - 1)) * DAY, now - DAY) : now
  const firstMeeting = completed + r.int(3, 20) * DAY
  if (status === 'assessment-complete' && (firstMeeting > now || r.chance(0.4))) return
  for (let at = firstMeeting, n = 0; at < end && n < 4; at += r.int(60, 120) * DAY, n++) {
    const meeting = ids.meeting++
    t.meetings.add({
      id: meeting,
      la_id: laId,
      episode_id: id,
      starts_at: iso(at),
      duration_minutes: 60,
      place: 'Synthetic: the school',
      chair_user_id: lead.id,
      minute_taker_user_id: by.id,
      status: 'held',
      uid: `synthetic-${meeting}@caf-hub.invalid`,
      family_present: true,
      minutes: 'Synthetic minutes.',
      created_by: by.id,
      created_at: iso(at - 7 * DAY),
      updated_at: iso(at),
    })
    for (const p of team)
      t.invitees.add({ la_id: laId, meeting_id: meeting, user_id: p.id, agency_id: p.agencyId, attendance: r.chance(0.97) ? 'attended' : 'did-not-attend' })
  }
  if (status === 'assessment-complete') return

  const planned = firstMeeting
  stage('assessment-complete', 'plan-active', planned)
  // Two needs, or three (some under three Supporting Families headlines).
  for (let o = 0, needs = r.chance(0.3) ? 3 : 2; o < needs; o++) {
    const outcome = ids.outcome++
    t.outcomes.add({
      id: outcome,
      la_id: laId,
      episode_id: id,
      need: 'Synthetic need',
      outcome: 'Synthetic desired outcome',
      status:
        status === 'closed'
          ? r.pick(['achieved', 'achieved', 'achieved', 'achieved', 'achieved', 'achieved', 'achieved', 'no-longer-relevant', 'open', 'open'])
          : 'open',
      headline: r.chance(0.7) ? r.pick(HEADLINES) : null,
      sort_order: o,
      created_by: by.id,
      created_at: iso(planned),
      updated_at: iso(planned),
    })
    for (let a = 0; a < 2; a++) {
      const due = planned + r.int(14, 120) * DAY
      const owner = r.pick(team)
      const past = due < Math.min(end, now)
      const state = past ? r.pick(PAST_DUE) : r.pick(['not-started', 'in-progress'])
      const open = status === 'closed' && (state === 'not-started' || state === 'in-progress') ? 'done' : state
      t.actions.add({
        la_id: laId,
        episode_id: id,
        outcome_id: outcome,
        description: 'Synthetic action',
        owner_user_id: owner.id,
        owner_agency_id: owner.agencyId,
        due_on: day(due),
        status: open,
        not_done_reason: open === 'not-done' ? 'Synthetic: the service was not available.' : null,
        created_by: by.id,
        created_at: iso(planned),
        updated_by: by.id,
        updated_at: iso(planned),
      })
    }
  }
  let last = planned
  const skipLast = status === 'plan-active' && r.chance(0.1)
  const held: number[] = []
  for (let n = 0; last + reviewDays * DAY < end && n < 40; n++) {
    const on = last + reviewDays * DAY
    if (skipLast && on + reviewDays * DAY >= end) break
    held.push(on)
    last = on
  }
  held.forEach((on, n) => {
    const review = ids.review++
    t.reviews.add({
      id: review,
      la_id: laId,
      episode_id: id,
      held_on: day(on),
      decision: 'continue',
      next_review_on: day(on + reviewDays * DAY),
      created_by: by.id,
      created_at: iso(on),
    })
    // Scores taken again at the first review, every fourth and the latest, mostly a little better each time.
    if (n % 4 === 0 || n === held.length - 1)
      for (const s of scores)
        t.reviewScores.add({
          review_id: review,
          la_id: laId,
          subject_id: child.id,
          element_code: s.element,
          practitioner: Math.min(10, Math.max(1, s.practitioner + Math.round((n + 1) * 0.4) + r.int(-1, 1))),
          family: Math.min(10, Math.max(1, s.family + Math.round((n + 1) * 0.5) + r.int(-1, 1))),
        })
  })
  row.next_review_on = day(last + reviewDays * DAY)
  if (status === 'plan-active') return

  const reason = r.pick(CLOSED_REASONS)
  Object.assign(row, { closed_at: iso(end), closed_reason: reason, closed_by: lead.id, next_review_on: null, updated_at: iso(end) })
  stage('plan-active', 'closed', end)
  if (reason === 'stepped-up') {
    // Asked for the day before and accepted by social care (a synthetic social worker: the lead stands in).
    return t.stepUps.add({
      la_id: laId,
      episode_id: id,
      requested_by: lead.id,
      requested_at: iso(end - DAY),
      reason: 'Synthetic: the risks have grown.',
      from_stage: 'plan-active',
      decide_by: day(end),
      status: 'accepted',
      decided_by: lead.id,
      decided_at: iso(end),
      taken_on: day(end),
    })
  }
  for (const months of [3, 6, 12]) {
    const due = end + months * 30.4 * DAY
    const done = due < now - 14 * DAY && r.chance(0.85)
    t.followUps.add({
      la_id: laId,
      episode_id: id,
      months,
      due_on: day(due),
      status: done ? 'done' : 'due',
      contacted_on: done ? day(due) : null,
      stayed_better: done ? r.pick(FOLLOW_UP_ANSWERS) : null,
      recommend: done ? (r.chance(0.8) ? 'yes' : r.pick(['no', 'not-sure'])) : null,
      recorded_by: done ? lead.id : null,
      recorded_at: done ? iso(due) : null,
    })
  }
}

/** One child for the episode, and half the time their mother, as the register holds them. */
function family(r: Rng, nextId: () => number): [PersonRow, PersonRow | null] {
  const familyName = r.pick(NAMES.family)
  const postcode = syntheticPostcode(r)
  const sex = r.chance(0.5) ? 'female' : 'male'
  const child: PersonRow = {
    id: nextId(),
    given: r.pick(NAMES[sex]),
    family: familyName,
    sex,
    dob: isoDate(r, THIS_YEAR - 17, THIS_YEAR),
    postcode,
    school: null,
    nhs: null,
    upn: null,
  }
  if (!r.chance(0.5)) return [child, null]
  return [
    child,
    {
      id: nextId(),
      given: r.pick(NAMES.female),
      family: familyName,
      sex: 'female',
      dob: isoDate(r, 1970, THIS_YEAR - 19),
      postcode,
      school: null,
      nhs: null,
      upn: null,
    },
  ]
}

async function batchFor(db: Kysely<DB>, council: Council, staff: CouncilStaff, r: Rng, count: number, now: number) {
  const people: PersonRow[] = []
  let person = await reserveIds(db, 'people_id_seq', count * 2)
  const ids: Ids = {
    episode: await reserveIds(db, 'episodes_id_seq', count),
    meeting: await reserveIds(db, 'meetings_id_seq', count * 4),
    outcome: await reserveIds(db, 'plan_outcomes_id_seq', count * 3),
    review: await reserveIds(db, 'reviews_id_seq', count * 40),
  }
  const t = tables()
  for (let i = 0; i < count; i++) {
    const [child, mother] = family(r, () => person++)
    people.push(child, ...(mother ? [mother] : []))
    episode(t, r, council.laId, staff, ids, child, mother, now)
  }
  await insertPeople(db, council, people)
  for (const rows of Object.values(t)) await rows.flush(db)
}

export async function generateEpisodes(db: Kysely<DB>, opts: { episodes: number; councils: number; firstCouncil: number; seed: number; engine: string }) {
  const started = performance.now()
  const r = rng(opts.seed)
  const now = Date.now()
  let made = 0
  // The work queues' facts are kept by triggers row by row; a bulk load switches them off and
  // computes the facts once per council (refresh_queue_facts, migration 0017), three times as fast.
  // Switching them off is for the whole database: run the generator on one nobody else is using.
  for (const table of FACT_TABLES) await sql`alter table ${sql.table(table)} disable trigger user`.execute(db)
  try {
    for (let c = 1; c <= opts.councils; c++) made += await generateCouncil(db, c, opts, r, now, made)
  } finally {
    for (const table of FACT_TABLES) await sql`alter table ${sql.table(table)} enable trigger user`.execute(db)
  }
  await sql`analyze`.execute(db)
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`\nGenerated ${made.toLocaleString('en-GB')} episodes over ${opts.councils} councils in ${seconds.toFixed(1)} s on ${opts.engine}.\n`)
}

const FACT_TABLES = ['lead_professionals', 'consents', 'meetings', 'reviews', 'meeting_invitees']

/** One synthetic council's episodes, in batches, then its queue facts; returns how many were made. */
async function generateCouncil(
  db: Kysely<DB>,
  c: number,
  opts: { episodes: number; councils: number; firstCouncil: number },
  r: Rng,
  now: number,
  before: number,
): Promise<number> {
  const code = `E09999${String(opts.firstCouncil + c - 1).padStart(3, '0')}`
  const council = await setUp(db, code)
  const staff = await councilStaff(db, council, code)
  const target = Math.floor(opts.episodes / opts.councils) + (c <= opts.episodes % opts.councils ? 1 : 0)
  for (let done = 0; done < target; done += BATCH) {
    const n = Math.min(BATCH, target - done)
    await db.transaction().execute((tx) => batchFor(tx, council, staff, r, n, now))
    process.stdout.write(`\r${(before + done + n).toLocaleString('en-GB')} episodes (${code})`)
  }
  await sql`select refresh_queue_facts(${council.laId})`.execute(db)
  return target
}
