import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'kysely'
import { buildFamilyCopy } from '../../src/features/assessment/family-copy.ts'
import { loadEpisode } from '../../src/features/episodes/repository.ts'
import { familyPlan } from '../../src/features/plans/family-plan.ts'
import { addMonths, today } from '../../src/web/dates.ts'
import { demoApp, type DemoApp } from '../helpers/app.ts'

/**
 * Issue 15 item 9: the demo's dates contradicted each other (an assessment "done on 1 December" and
 * "agreed on 6 October"; a plan "started on 1 December" with actions due in November, one already done).
 * This is a test of the demo seed itself: every episode it makes must tell a story that holds in time.
 */

let t: DemoApp
before(async () => {
  t = await demoApp()
})
after(() => t?.close())

/** A timestamp as the London calendar date the pages show. */
const day = (at: Date | string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(at))

async function episodes() {
  return t.db.selectFrom('episodes').selectAll().execute()
}

test('each demo episode happens in order: started, assessed, agreed, planned, reviewed, closed, none of it in the future', async () => {
  const now = today()
  for (const e of await episodes()) {
    const stages = await t.db.selectFrom('episode_stage_changes').select('changed_at').where('episode_id', '=', e.id).orderBy('id').execute()
    const when = stages.map((s) => day(s.changed_at))
    assert.deepEqual(when, [...when].sort(), `episode ${e.id}: its stages in order`)
    assert.ok(day(e.created_at) <= when[0]! && when.at(-1)! <= now, `episode ${e.id}: started before its first stage, nothing after today`)

    const present = await t.db
      .selectFrom('assessment_sections')
      .select('data')
      .where('episode_id', '=', e.id)
      .where('section', '=', 'present')
      .executeTakeFirst()
    const assessedOn = (present?.data as { date?: string } | undefined)?.date
    if (assessedOn) assert.ok(day(e.created_at) <= assessedOn && assessedOn <= now, `episode ${e.id}: assessed after it started`)
    if (!e.assessment_completed_at) continue
    const completed = day(e.assessment_completed_at)
    assert.ok(assessedOn && assessedOn <= completed, `episode ${e.id}: the assessment (${assessedOn}) was done before it was agreed (${completed})`)
    const consents = await t.db.selectFrom('consents').select(['given_on', 'recorded_at']).where('episode_id', '=', e.id).execute()
    for (const c of consents) assert.ok(c.given_on <= completed && day(c.recorded_at) <= completed, `episode ${e.id}: consent before completion`)

    const actions = await t.db.selectFrom('plan_actions').select(['created_at', 'due_on', 'updated_at', 'status']).where('episode_id', '=', e.id).execute()
    for (const a of actions) {
      assert.ok(completed <= day(a.created_at), `episode ${e.id}: actions agreed after the assessment`)
      assert.ok(day(a.created_at) < a.due_on, `episode ${e.id}: an action is due after it was agreed (${day(a.created_at)} → ${a.due_on})`)
      assert.ok(day(a.updated_at) <= now)
    }
    const reviews = await t.db.selectFrom('reviews').select(['held_on', 'next_review_on', 'created_at']).where('episode_id', '=', e.id).execute()
    const planStart = actions.map((a) => day(a.created_at)).sort()[0]
    for (const r of reviews) {
      assert.ok(planStart && planStart <= r.held_on && r.held_on <= day(r.created_at), `episode ${e.id}: reviewed after the plan started`)
      if (r.next_review_on) assert.ok(r.held_on < r.next_review_on)
    }
    const meetings = await t.db.selectFrom('meetings').select(['starts_at', 'status']).where('episode_id', '=', e.id).execute()
    for (const m of meetings) {
      if (m.status === 'held') assert.ok(completed <= day(m.starts_at) && day(m.starts_at) <= now, `episode ${e.id}: a meeting held after the assessment`)
      else assert.ok(day(m.starts_at) >= now, `episode ${e.id}: a meeting to come is in the future`)
    }
    if (e.closed_at) {
      const closed = day(e.closed_at)
      assert.ok(reviews.every((r) => r.held_on <= closed) && completed <= closed && closed <= now, `episode ${e.id}: closed last`)
      const followUps = await t.db.selectFrom('follow_ups').select(['months', 'due_on']).where('episode_id', '=', e.id).execute()
      assert.ok(followUps.length > 0)
      for (const f of followUps)
        assert.equal(f.due_on, addMonths(closed, f.months), `episode ${e.id}: the ${f.months}-month call is due ${f.months} months after closing`)
    }
  }
})

test("the Okafors' family copies read in order: assessed, then agreed, then the plan started, with its actions due after", async () => {
  const [okafors] = await sql<{ id: number }>`select e.id from episodes e join episode_people ep on ep.episode_id = e.id join people p on p.id = ep.person_id
    where p.given_name = 'Daniel' and p.family_name = 'Okafor'`
    .execute(t.db)
    .then((r) => r.rows)
  const laId = (await t.db.selectFrom('local_authorities').select('id').where('code', '=', 'E09999001').executeTakeFirstOrThrow()).id
  const episode = await loadEpisode(t.db, laId, okafors!.id)
  const copy = await buildFamilyCopy(t.db, laId, episode)
  const plan = await familyPlan(t.db, laId, episode)
  const asDate = (words: string) => day(new Date(`${words} 12:00Z`))
  const doneOn = copy.sections.flatMap((s) => s.items).find((i) => i.label === 'When it was done')?.value
  assert.ok(doneOn, 'the copy says when the assessment was done')
  assert.ok(asDate(String(doneOn)) <= asDate(copy.completedOn), `done on ${doneOn}, agreed on ${copy.completedOn}`)
  assert.ok(asDate(copy.completedOn) <= asDate(plan.completedOn), `agreed on ${copy.completedOn}, plan started on ${plan.completedOn}`)
  const dueDates = plan.sections.flatMap((s) => s.items).flatMap((i) => i.value.split('\n').filter((line) => line.startsWith('By: ')))
  assert.ok(dueDates.length >= 2)
  for (const due of dueDates) assert.ok(asDate(due.slice(4)) > asDate(plan.completedOn), `${due}, plan started on ${plan.completedOn}`)
})
