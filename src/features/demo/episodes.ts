import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, londonInstant, londonParts, today } from '../../web/dates.ts'
import { closeEpisode, followUpDueOn } from '../closure/use-cases.ts'
import { proposeLead } from '../episodes/lead.ts'
import { startEpisode } from '../episodes/start.ts'
import { assessed, preAssessed } from './builders.ts'
import { saveSection } from '../assessment/use-cases.ts'
import { addTeamMember, setFamilyInTeam } from '../episodes/team.ts'
import { recordPastMeeting } from '../meetings/recording.ts'
import { scheduleMeeting } from '../meetings/use-cases.ts'
import { addAction, startPlan } from '../plans/use-cases.ts'
import { recordReview } from '../reviews/use-cases.ts'
import { seedDemoPanel } from './panel.ts'
import { seedDemoServices } from './services.ts'
import { seedDemoSignposting } from './signposting.ts'
import { seedDemoSocialCare, stepUpsDueFromTheirDays } from './social-care.ts'
import { askDemoTransfer, seedBennetts, SHIRE_LA_CODE } from './second-council.ts'
import { demoPerson, sentWhenItHappened, Story } from './story.ts'

/**
 * Demo episodes at different stages, made through the same use cases as the pages, so that a newcomer
 * sees a living system that holds together in time (each step on its day of the story, see `Story`):
 * - the Okafors: assessed eight weeks ago; their first meeting a week later, written up two days after
 *   it, with the plan; a review a fortnight ago found the breakfast club place taken up; the morning
 *   routine action is now overdue, the next review three days overdue, and a meeting is arranged;
 * - Piotr Kowalczyk: assessed in the spring, closed about three months ago, so his follow-up call is due;
 * - Siân O'Neill: an intention to assess six weeks ago that nobody has followed up;
 * - Cerys Evans: an assessment started today;
 * - the Hussains: assessed three days ago, waiting for the hub to find them a lead professional.
 * Then the service directory, the multi-agency panel that heard the Okafors a week ago (panel.ts) and
 * the signposting of the last three months (signposting.ts), and the families between early help and
 * children's social care (social-care.ts).
 */
export async function seedDemoEpisodes(db: Kysely<DB>, laCode: string): Promise<void> {
  const la = await db.selectFrom('local_authorities').select('id').where('code', '=', laCode).executeTakeFirstOrThrow()
  const actorFor = async (email: string): Promise<Actor> => {
    const u = await db
      .selectFrom('users')
      .select(['id', 'agency_id', 'full_name', 'email', 'roles', 'manages_locality_id'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    return {
      userId: u.id,
      laId: la.id,
      agencyId: u.agency_id,
      fullName: u.full_name,
      email: u.email,
      roles: u.roles as Actor['roles'],
      managesLocalityId: u.manages_locality_id,
      sessionId: 'demo-seed',
    }
  }
  const priya = await actorFor('practitioner@demo-borough.example')
  const callum = await actorFor('coordinator@demo-borough.example')
  const person = (given: string, family: string) => demoPerson(db, la.id, given, family)
  const agency = async (name: string) =>
    (await db.selectFrom('agencies').select('id').where('la_id', '=', la.id).where('name', '=', name).executeTakeFirstOrThrow()).id
  const daysAgo = (n: number) => addDays(today(), -n)
  /** 10am on a day of the story, counted from today (negative: in the future). */
  const atTen = (n: number) => londonInstant(daysAgo(n), 10, 0)
  const story = new Story(db)

  const [daniel, joy, grace] = [await person('Daniel', 'Okafor'), await person('Joy', 'Okafor'), await person('Grace', 'Okafor')]
  const okafors = await story.on(56, async () => {
    const id = await assessed(db, priya, {
      child: daniel,
      others: [joy, grace],
      children: [daniel, joy],
      adult: grace,
      agencies: [await agency('Oakfield Primary School'), await agency('Demo Borough Early Help Hub'), await agency('Families Together (charity)')],
      on: daysAgo(56),
    })
    await addTeamMember(db, priya, id, callum.userId)
    await setFamilyInTeam(db, priya, id, [grace, daniel])
    await proposeLead(db, priya, id, priya.userId, daysAgo(56))
    return id
  })
  // Their first meeting was written up two days after it was held, with the plan it agreed.
  const { outcome, club } = await story.on(47, async () => {
    await recordPastMeeting(db, priya, okafors, {
      startsAt: atTen(49),
      durationMinutes: 60,
      place: 'Oakfield Primary School, the family room',
      chairId: priya.userId,
      minuteTakerId: callum.userId,
      attendance: {},
      familyPresent: true,
      familyAbsentReason: null,
      minutes: 'Grace said mornings are the hardest part. Daniel wants to walk to school on his own.',
      decisions: 'Morning routine chart; breakfast club for Joy; review in five weeks.',
    })
    await startPlan(db, priya, okafors)
    const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', okafors).executeTakeFirstOrThrow()).id
    await addAction(db, priya, okafors, outcome, {
      description: 'Set up a morning routine chart with Daniel and Joy',
      owner: { kind: 'user', id: priya.userId },
      dueOn: daysAgo(10),
      serviceName: null,
    })
    const club = await addAction(db, priya, okafors, outcome, {
      description: 'Offer Joy a breakfast club place',
      owner: { kind: 'agency', id: await agency('Oakfield Primary School') },
      dueOn: daysAgo(20),
      serviceName: 'Oakfield breakfast club',
    })
    return { outcome, club }
  })
  await story.on(14, () =>
    recordReview(
      db,
      priya,
      okafors,
      {
        heldOn: daysAgo(14),
        outcomes: { [outcome]: { progress: 'progressing', evidence: 'Late twice in the last fortnight, instead of most days' } },
        scores: [{ subjectId: daniel, element: 'general-health', practitioner: 6, family: 5 }],
        // The review found the breakfast club place taken up.
        actions: [{ actionId: club, status: 'done', notDoneReason: null, version: 1 }],
        newOutcome: { need: 'Grace is worn out and has no time for herself', outcome: 'Grace has one morning a week that is her own' },
        decision: 'continue',
        nextReviewOn: daysAgo(3),
        closing: null,
        stepUp: null,
        summary: 'Mornings are getting easier.',
      },
      '',
    ),
  )
  await story.on(0, () =>
    scheduleMeeting(
      db,
      priya,
      okafors,
      {
        startsAt: atTen(-7),
        durationMinutes: 60,
        place: 'The family’s home',
        chairId: priya.userId,
        minuteTakerId: callum.userId,
        inviteeIds: [],
        externalIds: [],
        family: [],
      },
      '',
    ),
  )

  const [piotr, anna] = [await person('Piotr', 'Kowalczyk'), await person('Anna', 'Kowalczyk')]
  const kowalczyks = await story.on(190, async () => {
    const id = await assessed(db, priya, {
      child: piotr,
      others: [anna],
      children: [piotr],
      adult: anna,
      agencies: [await agency('Riverside Academy'), await agency('Oakfield Primary School')],
      on: daysAgo(190),
    })
    await proposeLead(db, priya, id, priya.userId, daysAgo(190))
    return id
  })
  // Two Team Around the Family meetings, which the cost report counts.
  for (const days of [175, 120])
    await story.on(days, () =>
      recordPastMeeting(db, priya, kowalczyks, {
        startsAt: atTen(days),
        durationMinutes: 90,
        place: 'Riverside Academy',
        chairId: priya.userId,
        minuteTakerId: priya.userId,
        attendance: {},
        familyPresent: true,
        familyAbsentReason: null,
        minutes: 'Piotr has been in school every day this half term. Anna has met the housing officer.',
        decisions: 'Keep going; review before the summer.',
      }),
    )
  await story.on(95, () =>
    closeEpisode(db, priya, kowalczyks, { reason: 'needs-met', summary: 'Piotr is back in school full time; Anna has support from the housing team.' }),
  )

  const sianId = await person('Siân', "O'Neill")
  const sian = await story.on(42, () =>
    startEpisode(db, priya, {
      childId: sianId,
      kind: 'child',
      memberIds: [],
      start: 'intention',
      intentionReason: 'Attendance has dropped this term and Siân seems withdrawn in class.',
      plannedOn: daysAgo(14),
      relationship: null,
    }),
  )
  if (sian.type !== 'started') throw new Error("the demo intention for Siân O'Neill could not start")

  const [cerys, rhian] = [await person('Cerys', 'Evans'), await person('Rhian', 'Evans')]
  const evans = await story.on(0, async () => {
    const started = await startEpisode(db, priya, {
      childId: cerys,
      kind: 'family',
      memberIds: [rhian],
      start: 'pre-assessment',
      intentionReason: null,
      plannedOn: null,
      relationship: null,
    })
    if (started.type !== 'started') throw new Error('the demo episode for Cerys Evans could not start')
    await preAssessed(db, priya, started.id)
    const [y, m, d] = today().split('-')
    await saveSection(
      db,
      priya,
      started.id,
      'present',
      {
        'date-day': String(Number(d)),
        'date-month': String(Number(m)),
        'date-year': y,
        present: [String(rhian), String(cerys)],
        'led-to': 'The nursery noticed Cerys is not talking much yet.',
      },
      { version: 0, amendReason: null },
    )
    return started.id
  })

  // The Hussains: assessed three days ago, with the hub in the team; nobody has been asked to lead yet.
  const [yusuf, amina] = [await person('Yusuf', 'Hussain'), await person('Amina', 'Hussain')]
  const hussains = await story.on(3, async () => {
    const id = await assessed(db, priya, {
      child: yusuf,
      others: [amina],
      children: [yusuf],
      adult: amina,
      agencies: [await agency('Riverside Academy'), await agency('Demo Borough Early Help Hub')],
      on: daysAgo(3),
    })
    await addTeamMember(db, priya, id, callum.userId)
    return id
  })

  await seedDemoServices(db, callum)
  const panelMembers = [await actorFor('panel@demo-borough.example'), await actorFor('manager@demo-borough.example')]
  await seedDemoPanel(db, story, { priya, callum, members: panelMembers.map((m) => m.userId) }, okafors)
  const betweenServices = await seedDemoSocialCare(db, story, { priya, callum, sarah: await actorFor('social-care@demo-borough.example') })
  const bennetts = await seedBennetts(db, story, priya)
  await story.settle([okafors, kowalczyks, sian.id, evans, hussains, ...betweenServices, bennetts])
  await stepUpsDueFromTheirDays(db, la.id)
  await askDemoTransfer(db, priya, bennetts)
  await seedDemoSignposting(db, { priya, callum, tom: await actorFor('family-support@demo-borough.example') })
  // Closing booked the follow-up calls from the day it was done; the story closed the Kowalczyks earlier.
  await rebookFollowUps(db, kowalczyks)
  await sentWhenItHappened(db, la.id, ['%Team Around the Family%', '%panel%', '%step up%', '%notification%'])
  await sentWhenItHappened(db, (await db.selectFrom('local_authorities').select('id').where('code', '=', SHIRE_LA_CODE).executeTakeFirstOrThrow()).id, [
    'A family is moving%',
  ])
}

/** Each follow-up call due its number of months after the episode's (settled) closing day. */
async function rebookFollowUps(db: Kysely<DB>, episodeId: number): Promise<void> {
  const { closed_at } = await db.selectFrom('episodes').select('closed_at').where('id', '=', episodeId).executeTakeFirstOrThrow()
  const closedOn = londonParts(new Date(closed_at!)).date
  for (const f of await db.selectFrom('follow_ups').select(['id', 'months']).where('episode_id', '=', episodeId).execute())
    await db
      .updateTable('follow_ups')
      .set({ due_on: followUpDueOn(closedOn, f.months) })
      .where('id', '=', f.id)
      .execute()
}
