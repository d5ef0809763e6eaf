import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, today } from '../../web/dates.ts'
import { closeEpisode } from '../closure/use-cases.ts'
import { proposeLead } from '../episodes/lead.ts'
import { startEpisode } from '../episodes/start.ts'
import { assessed, preAssessed } from './builders.ts'
import { saveSection } from '../assessment/use-cases.ts'
import { addTeamMember, setFamilyInTeam } from '../episodes/team.ts'
import { recordPastMeeting } from '../meetings/recording.ts'
import { scheduleMeeting } from '../meetings/use-cases.ts'
import { addAction, startPlan } from '../plans/use-cases.ts'
import { recordReview } from '../reviews/use-cases.ts'

/**
 * Demo episodes at different stages, made through the same use cases as the pages, so that a newcomer
 * sees a living system: the Okafors' plan is active (meetings held and to come, a review done, the next
 * one overdue, an action overdue); Piotr Kowalczyk's episode closed in the summer with a follow-up call
 * due; Cerys Evans's assessment is part done. Dates are then moved back to where the story needs them.
 */
export async function seedDemoEpisodes(db: Kysely<DB>, laCode: string): Promise<void> {
  const la = await db.selectFrom('local_authorities').select('id').where('code', '=', laCode).executeTakeFirstOrThrow()
  const actorFor = async (email: string): Promise<Actor> => {
    const u = await db.selectFrom('users').select(['id', 'agency_id', 'full_name', 'email', 'roles']).where('email', '=', email).executeTakeFirstOrThrow()
    return { userId: u.id, laId: la.id, agencyId: u.agency_id, fullName: u.full_name, email: u.email, roles: u.roles as Actor['roles'], sessionId: 'demo-seed' }
  }
  const priya = await actorFor('practitioner@demo-borough.example')
  const callum = await actorFor('coordinator@demo-borough.example')
  const person = async (given: string, family: string) =>
    (
      await db
        .selectFrom('people')
        .select('id')
        .where('la_id', '=', la.id)
        .where('given_name', '=', given)
        .where('family_name', '=', family)
        .executeTakeFirstOrThrow()
    ).id
  const agency = async (name: string) =>
    (await db.selectFrom('agencies').select('id').where('la_id', '=', la.id).where('name', '=', name).executeTakeFirstOrThrow()).id

  const [daniel, joy, grace] = [await person('Daniel', 'Okafor'), await person('Joy', 'Okafor'), await person('Grace', 'Okafor')]
  const okafors = await assessed(db, priya, {
    child: daniel,
    others: [joy, grace],
    children: [daniel, joy],
    adult: grace,
    agencies: [await agency('Oakfield Primary School'), await agency('Demo Borough Early Help Hub')],
  })
  await addTeamMember(db, priya, okafors, callum.userId)
  await setFamilyInTeam(db, priya, okafors, [grace, daniel])
  await proposeLead(db, priya, okafors, priya.userId, today())
  // Their first meeting was held before the CAF was on CAF Hub, and written up afterwards.
  await recordPastMeeting(db, priya, okafors, {
    startsAt: new Date(Date.now() - 49 * 86_400_000),
    durationMinutes: 60,
    place: 'Oakfield Primary School, the family room',
    chairId: priya.userId,
    minuteTakerId: callum.userId,
    attendance: {},
    familyPresent: true,
    familyAbsentReason: null,
    minutes: 'Grace said mornings are the hardest part. Daniel wants to walk to school on his own.',
    decisions: 'Morning routine chart; breakfast club for Joy; review in six weeks.',
  })
  await startPlan(db, priya, okafors)
  const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', okafors).executeTakeFirstOrThrow()).id
  await addAction(db, priya, okafors, outcome, {
    description: 'Set up a morning routine chart with Daniel and Joy',
    owner: { kind: 'user', id: priya.userId },
    dueOn: addDays(today(), -10),
    serviceName: null,
  })
  const club = await addAction(db, priya, okafors, outcome, {
    description: 'Offer Joy a breakfast club place',
    owner: { kind: 'agency', id: await agency('Oakfield Primary School') },
    dueOn: addDays(today(), -20),
    serviceName: 'Oakfield breakfast club',
  })
  await recordReview(db, priya, okafors, {
    heldOn: addDays(today(), -14),
    outcomes: { [outcome]: { progress: 'progressing', evidence: 'Late twice in the last fortnight, instead of most days' } },
    scores: [{ subjectId: daniel, element: 'general-health', practitioner: 6, family: 5 }],
    // The review found the breakfast club place taken up.
    actions: [{ actionId: club, status: 'done', notDoneReason: null, version: 1 }],
    newOutcome: { need: 'Grace is worn out and has no time for herself', outcome: 'Grace has one morning a week that is her own' },
    decision: 'continue',
    nextReviewOn: addDays(today(), 1),
    closing: null,
    summary: 'Mornings are getting easier.',
  })
  await scheduleMeeting(
    db,
    priya,
    okafors,
    {
      startsAt: new Date(Date.now() + 7 * 86_400_000),
      durationMinutes: 60,
      place: 'The family’s home',
      chairId: priya.userId,
      minuteTakerId: callum.userId,
      inviteeIds: [],
      externalIds: [],
      family: [],
    },
    '',
  )

  const [piotr, anna] = [await person('Piotr', 'Kowalczyk'), await person('Anna', 'Kowalczyk')]
  const kowalczyks = await assessed(db, priya, {
    child: piotr,
    others: [anna],
    children: [piotr],
    adult: anna,
    agencies: [await agency('Riverside Academy'), await agency('Oakfield Primary School')],
  })
  await proposeLead(db, priya, kowalczyks, priya.userId, today())
  await closeEpisode(db, priya, kowalczyks, { reason: 'needs-met', summary: 'Piotr is back in school full time; Anna has support from the housing team.' })

  // An intention to assess Siân O'Neill, recorded six weeks ago and not followed up: the hub's list has work in it.
  const sian = await startEpisode(db, priya, {
    childId: await person('Siân', "O'Neill"),
    kind: 'child',
    memberIds: [],
    start: 'intention',
    intentionReason: 'Attendance has dropped this term and Siân seems withdrawn in class.',
    plannedOn: addDays(today(), 28),
    relationship: null,
  })
  if (sian.type !== 'started') throw new Error("the demo intention for Siân O'Neill could not start")

  const [cerys, rhian] = [await person('Cerys', 'Evans'), await person('Rhian', 'Evans')]
  const evans = await startEpisode(db, priya, {
    childId: cerys,
    kind: 'family',
    memberIds: [rhian],
    start: 'pre-assessment',
    intentionReason: null,
    plannedOn: null,
    relationship: null,
  })
  if (evans.type !== 'started') throw new Error('the demo episode for Cerys Evans could not start')
  await preAssessed(db, priya, evans.id)
  await saveSection(
    db,
    priya,
    evans.id,
    'present',
    {
      'date-day': String(Number(today().slice(8))),
      'date-month': String(Number(today().slice(5, 7))),
      'date-year': today().slice(0, 4),
      present: [String(rhian), String(cerys)],
      'led-to': 'The nursery noticed Cerys is not talking much yet.',
    },
    { version: 0, amendReason: null },
  )

  // Move the story back in time: the Okafors' assessment eight weeks ago and their first meeting soon after;
  // the Kowalczyks' episode closed in the summer, so their three-month call is now due.
  await db
    .updateTable('episodes')
    .set({ assessment_completed_at: sql<Date>`now() - interval '56 days'`, created_at: sql<Date>`now() - interval '63 days'` })
    .where('id', '=', okafors)
    .execute()
  await db
    .updateTable('episodes')
    .set({ next_review_on: addDays(today(), -3) })
    .where('id', '=', okafors)
    .execute()
  await db
    .updateTable('episodes')
    .set({
      created_at: sql<Date>`now() - interval '200 days'`,
      assessment_completed_at: sql<Date>`now() - interval '190 days'`,
      closed_at: sql<Date>`now() - interval '100 days'`,
    })
    .where('id', '=', kowalczyks)
    .execute()
  await db
    .updateTable('episodes')
    .set({ created_at: sql<Date>`now() - interval '42 days'`, updated_at: sql<Date>`now() - interval '42 days'`, intention_planned_on: addDays(today(), -14) })
    .where('id', '=', sian.id)
    .execute()
  await db
    .updateTable('episode_stage_changes')
    .set({ changed_at: new Date(Date.now() - 42 * 24 * 3600 * 1000) })
    .where('episode_id', '=', sian.id)
    .execute()
  await db
    .updateTable('follow_ups')
    .set({ due_on: sql<string>`due_on - 100` })
    .where('episode_id', '=', kowalczyks)
    .execute()
  // The invitations were "sent" when the story happened: nothing from the demo waits in the outbox.
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, delivered_as: 'demo data: not sent' })
    .where('la_id', '=', la.id)
    .where('status', '=', 'pending')
    .where('subject', 'like', '%Team Around the Family%')
    .execute()
}
