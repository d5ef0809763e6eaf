import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, londonInstant, today } from '../../web/dates.ts'
import { askForPanel, decideCase } from '../panel/cases.ts'
import { recordGap } from '../panel/gaps.ts'
import { arrangePanelMeeting, placeOnAgenda, publishAgenda, recordPanelAttendance } from '../panel/meetings.ts'
import type { Story } from './story.ts'

/**
 * Demo Borough's multi-agency panel, as steps of the story: Priya took the Okafors to panel twelve days
 * ago; the panel met a week ago (agenda published three days before), heard the case, committed six
 * hours of family support, put an action into the plan and found a gap in debt advice. The next
 * panel, in a fortnight, has nothing on its agenda yet.
 */
export async function seedDemoPanel(db: Kysely<DB>, story: Story, people: { priya: Actor; callum: Actor; members: number[] }, okafors: number) {
  const { priya, callum, members } = people
  const daysAgo = (n: number) => addDays(today(), -n)
  const id = async (table: 'agencies' | 'services' | 'localities', name: string) =>
    (await db.selectFrom(table).select('id').where('la_id', '=', callum.laId).where('name', '=', name).executeTakeFirstOrThrow()).id
  const familiesTogether = await id('agencies', 'Families Together (charity)')
  const request = await story.on(12, () =>
    askForPanel(db, priya, okafors, {
      stuck: 'Mornings are better, but Grace is exhausted and has no time for herself. Nobody in the team can help with that.',
      tried: 'A breakfast club place for Joy, a morning routine chart, two Team Around the Family meetings.',
      asked: 'Some hours of family support at home, and advice on a break for Grace.',
    }),
  )
  // Arranged (and its agenda made) before it met: it is moved to its day, a week ago, once decided.
  const meeting = await story.on(10, async () => {
    const meeting = await arrangePanelMeeting(
      db,
      callum,
      {
        startsAt: londonInstant(daysAgo(-1), 14, 0),
        durationMinutes: 120,
        place: 'Civic Centre, Committee Room 2',
        chairId: callum.userId,
        memberIds: members,
      },
      '',
    )
    await placeOnAgenda(db, callum, meeting, request)
    return meeting
  })
  await story.on(10, () => publishAgenda(db, callum, meeting, ''))
  await story.on(7, async () => {
    await recordPanelAttendance(db, callum, meeting, Object.fromEntries(members.map((m, i) => [m, i === members.length - 1 ? 'apologies' : 'attended'])))
    const outcome = await db
      .selectFrom('plan_outcomes')
      .select('id')
      .where('episode_id', '=', okafors)
      .where('need', 'like', 'Grace is worn out%')
      .executeTakeFirstOrThrow()
    await decideCase(
      db,
      callum,
      meeting,
      request,
      {
        advice: 'Families Together will visit weekly for six weeks, working on mornings and on time for Grace. Ask the carers’ centre about a weekly break.',
        reviewOn: daysAgo(-35),
        resources: [{ serviceId: await id('services', 'Families Together family support'), agencyId: familiesTogether, amount: 6, unit: 'hours' }],
        actions: [
          {
            description: 'Weekly home visits from a Families Together worker',
            outcomeId: outcome.id,
            owner: { kind: 'agency', id: familiesTogether },
            dueOn: daysAgo(-14),
          },
        ],
      },
      '',
    )
    await recordGap(db, callum, meeting, {
      need: 'housing-money',
      localityId: await id('localities', 'North'),
      note: 'No debt advice with evening appointments for parents who work days.',
    })
  })
  await db
    .updateTable('panel_meetings')
    .set({ starts_at: londonInstant(daysAgo(7), 14, 0) })
    .where('id', '=', meeting)
    .execute()
  await story.on(0, () =>
    arrangePanelMeeting(
      db,
      callum,
      {
        startsAt: londonInstant(daysAgo(-14), 14, 0),
        durationMinutes: 120,
        place: 'Civic Centre, Committee Room 2',
        chairId: callum.userId,
        memberIds: members,
      },
      '',
    ),
  )
}
