import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, londonInstant, today, ukDate } from '../../web/dates.ts'
import { addWorkingDays } from '../../web/working-days.ts'
import { acceptLead, proposeLead } from '../episodes/lead.ts'
import { addTeamMember } from '../episodes/team.ts'
import { scheduleMeeting } from '../meetings/use-cases.ts'
import { addAction, startPlan } from '../plans/use-cases.ts'
import { recordReview } from '../reviews/use-cases.ts'
import { decideNotification, sendNotification } from '../social-care/notifications.ts'
import { startStepDown, type StepDownInput } from '../social-care/step-downs.ts'
import { decideStepUp, requestStepUp } from '../social-care/step-ups.ts'
import { assessed } from './builders.ts'
import { demoPerson, type Story } from './story.ts'

/**
 * Demo Borough between early help and children's social care, through the same use cases as the pages,
 * each step on its day of the story:
 * - the Kellys: a review today decided to step up; waiting for Sarah Ahmed (social care) to decide;
 * - the Greens: stepped up three weeks ago, not accepted, back with early help with social care's advice;
 * - Mason Walker: stepped down by Sarah ten days ago, social care ending in four weeks, no lead yet,
 *   so the handover meeting is at risk of the 3-week rule;
 * - Ellie Turner: stepped down three weeks ago; Priya accepted to lead, and the handover meeting is booked;
 * - notifications Sarah sent: Isla Robinson today (waiting for the hub), Oscar Hall (the hub offered a
 *   CAF) and Freya Lewis (no further action).
 * Returns the episodes the story made, for the story to settle.
 */
export async function seedDemoSocialCare(db: Kysely<DB>, story: Story, who: { priya: Actor; callum: Actor; sarah: Actor }): Promise<number[]> {
  const { priya, callum, sarah } = who
  const laId = priya.laId
  const person = (given: string, family: string) => demoPerson(db, laId, given, family)
  const agency = async (name: string) =>
    (await db.selectFrom('agencies').select('id').where('la_id', '=', laId).where('name', '=', name).executeTakeFirstOrThrow()).id
  const daysAgo = (n: number) => addDays(today(), -n)
  const school = await agency('Oakfield Primary School')
  const socialCareAgency = await agency("Demo Borough Children's Social Care")

  /** A family assessed by Priya, who leads, with a plan of one action. */
  const planned = async (child: number, adult: number, onDaysAgo: number) => {
    const id = await assessed(db, priya, { child, others: [adult], children: [child], adult, agencies: [school, socialCareAgency], on: daysAgo(onDaysAgo) })
    await proposeLead(db, priya, id, priya.userId, daysAgo(onDaysAgo))
    await startPlan(db, priya, id)
    const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', id).executeTakeFirstOrThrow()).id
    await addAction(db, priya, id, outcome, {
      description: 'Weekly home visit',
      owner: { kind: 'user', id: priya.userId },
      dueOn: daysAgo(onDaysAgo - 28),
      serviceName: null,
    })
    return { id, outcome }
  }

  const [liam, niamh] = [await person('Liam', 'Kelly'), await person('Niamh', 'Kelly')]
  const kellys = await story.on(70, () => planned(liam, niamh, 70))
  await story.on(0, () =>
    recordReview(
      db,
      priya,
      kellys.id,
      {
        heldOn: today(),
        outcomes: {
          [kellys.outcome]: {
            progress: 'no-progress',
            evidence: 'Liam has missed eight days this half term; the home visits found the house cold and little food',
          },
        },
        scores: [],
        actions: [],
        newOutcome: null,
        decision: 'step-up',
        nextReviewOn: null,
        closing: null,
        stepUp: {
          reason: 'Home conditions have got worse over the plan despite weekly visits; Niamh says she cannot cope and has agreed to a referral.',
          risks: 'Liam is often hungry and cold at home, and has been left alone in the evenings twice this month.',
        },
        summary: 'The review agreed early help cannot meet Liam’s needs on its own.',
      },
      '',
    ),
  )

  const [ruby, leanne] = [await person('Ruby', 'Green'), await person('Leanne', 'Green')]
  const greens = await story.on(60, () => planned(ruby, leanne, 60))
  const greensStepUp = await story.on(21, () =>
    requestStepUp(
      db,
      priya,
      greens.id,
      { reason: 'Leanne’s new partner shouted at Ruby in the playground.', risks: 'Possible emotional harm; no injuries seen.' },
      '',
    ),
  )
  await story.on(20, () =>
    decideStepUp(
      db,
      sarah,
      greensStepUp,
      {
        accepted: false,
        reason: 'Checks found no concerns about the partner; Leanne has ended the relationship. Below the threshold for social care.',
        advice: 'Keep the plan going, add the school nurse to the team, and contact us again if the partner returns.',
      },
      '',
    ),
  )

  const level = (await db.selectFrom('need_levels').select('code').where('la_id', '=', laId).where('tier', '=', 3).executeTakeFirstOrThrow()).code
  const stepDown = async (child: number, adult: number, input: Partial<StepDownInput>) =>
    startStepDown(db, sarah, child, {
      decisionPoint: 'cin-closure',
      endsOn: addDays(today(), 28),
      known: '',
      proposedAgencyId: school,
      needLevel: level,
      giverId: adult,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
      ...input,
    })
  const [mason, kerry, riverside] = [await person('Mason', 'Walker'), await person('Kerry', 'Walker'), await agency('Riverside Academy')]
  const walkers = await story.on(10, () =>
    stepDown(mason, kerry, {
      proposedAgencyId: riverside,
      givenOn: daysAgo(10),
      known:
        'A child in need plan since March after Mason was excluded twice. Kerry has engaged well; Mason is back in school four days a week. Still needs help with anger at home and a mentor.',
    }),
  )
  const [ellie, dean] = [await person('Ellie', 'Turner'), await person('Dean', 'Turner')]
  const turners = await story.on(21, () =>
    stepDown(ellie, dean, {
      decisionPoint: 'after-assessment',
      endsOn: addDays(today(), 45),
      givenOn: daysAgo(21),
      known: 'Assessed after Ellie’s mum left. Dean is caring well for Ellie but is isolated and struggling with money and nursery drop-offs.',
    }),
  )
  const episodeOf = async (stepDownId: number) =>
    (await db.selectFrom('step_downs').select('episode_id').where('id', '=', stepDownId).executeTakeFirstOrThrow()).episode_id
  const turnersEpisode = await episodeOf(turners)
  await story.on(19, async () => {
    await addTeamMember(db, callum, turnersEpisode, priya.userId)
    await proposeLead(db, callum, turnersEpisode, priya.userId, daysAgo(19))
  })
  await story.on(18, async () => {
    await acceptLead(db, priya, turnersEpisode)
    await scheduleMeeting(
      db,
      priya,
      turnersEpisode,
      {
        startsAt: londonInstant(addDays(today(), 14), 10, 0),
        durationMinutes: 60,
        place: 'St Anne’s, the family room',
        chairId: priya.userId,
        minuteTakerId: priya.userId,
        inviteeIds: [sarah.userId],
        externalIds: [],
        family: [],
      },
      '',
    )
  })

  const oscarsCaf = await seedNotifications(db, story, { callum, sarah }, person)
  return [kellys.id, greens.id, await episodeOf(walkers), turnersEpisode, oscarsCaf]
}

/** The contacts Sarah sent to early help, moved back to their days; returns the CAF the hub offered Oscar Hall. */
async function seedNotifications(
  db: Kysely<DB>,
  story: Story,
  who: { callum: Actor; sarah: Actor },
  person: (given: string, family: string) => Promise<number>,
) {
  const { callum, sarah } = who
  const send = async (child: number, sentDaysAgo: number, input: Omit<Parameters<typeof sendNotification>[3], 'contactOn'>) => {
    const id = await sendNotification(db, sarah, child, { ...input, contactOn: addDays(today(), -sentDaysAgo - 1) })
    return { id, sentDaysAgo }
  }
  const isla = await send(await person('Isla', 'Robinson'), 0, {
    source: '3B',
    reported: 'The health visitor found Gemma low in mood and Isla’s development behind at her 2-year check.',
    socialCareAction: 'Spoke to the health visitor and the GP: no safeguarding concerns. Gemma would like help.',
    familyAware: 'agrees',
  })
  const oscar = await send(await person('Oscar', 'Hall'), 12, {
    source: '2A',
    reported: 'School reports Oscar arriving late and upset most days since his grandmother died.',
    socialCareAction: 'Checked records and spoke to Claire: no previous involvement; below threshold.',
    familyAware: 'agrees',
  })
  const freya = await send(await person('Freya', 'Lewis'), 40, {
    source: '6',
    reported: 'Police attended an argument between Freya and her mother; no one was hurt.',
    socialCareAction: 'Spoke to Bethan and Freya: a one-off argument about a curfew.',
    familyAware: 'knows',
  })
  await story.on(11, () => decideNotification(db, callum, oscar.id, { decision: 'caf' }, ''))
  await decideNotification(
    db,
    callum,
    freya.id,
    { decision: 'no-further-action', note: 'A one-off argument; the family has the school’s pastoral support.' },
    '',
  )
  const { notification_decision_days: days } = await db
    .selectFrom('caf_settings')
    .select('notification_decision_days')
    .where('la_id', '=', callum.laId)
    .executeTakeFirstOrThrow()
  for (const n of [isla, oscar, freya]) {
    const sentOn = addDays(today(), -n.sentDaysAgo)
    await sql`update interface_notifications set sent_at = sent_at - make_interval(days => ${n.sentDaysAgo}),
      decided_at = decided_at - make_interval(days => ${Math.max(n.sentDaysAgo - 1, 0)}), decide_by = ${addWorkingDays(sentOn, days)}::date
      where id = ${n.id}`.execute(db)
  }
  return (await db.selectFrom('interface_notifications').select('episode_id').where('id', '=', oscar.id).executeTakeFirstOrThrow()).episode_id!
}

/** After the story settles: each demo step up is due the council's working days after the day it was asked for. */
export async function stepUpsDueFromTheirDays(db: Kysely<DB>, laId: number): Promise<void> {
  const { step_up_decision_days: days } = await db
    .selectFrom('caf_settings')
    .select('step_up_decision_days')
    .where('la_id', '=', laId)
    .executeTakeFirstOrThrow()
  for (const s of await db.selectFrom('step_ups').select(['id', 'requested_at']).where('la_id', '=', laId).execute())
    await db
      .updateTable('step_ups')
      .set({ decide_by: addWorkingDays(ukDate(s.requested_at), days) })
      .where('id', '=', s.id)
      .execute()
}
