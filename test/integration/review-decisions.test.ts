import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, completedCaf, makeLead, planWithAction } from '../helpers/episodes.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { buildColleague, buildFamily } from '../helpers/staff.ts'

/**
 * How a review ends, and what it does to the plan's actions: the lead professional may close the
 * episode or step up to children's social care from the review itself; anyone on the team may move
 * actions on as the review finds them.
 */

let t: TestApp
let lead: Client
let gp: Client
let gpUserId: number

const iso = (d: Date) => d.toISOString().slice(0, 10)
const inDays = (n: number) => iso(new Date(Date.now() + n * 86_400_000))
const boxes = (prefix: string, isoDate: string) => {
  const [y, m, d] = isoDate.split('-')
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! }
}

/** A review of one outcome that found it progressing, with its decision and whatever else is given. */
function review(on: { outcome: number }, fields: Record<string, string>) {
  return {
    ...boxes('held', iso(new Date())),
    [`progress-${on.outcome}`]: 'progressing',
    [`evidence-${on.outcome}`]: 'On time three days out of five',
    ...boxes('next', inDays(42)),
    closeReason: '',
    closingSummary: '',
    summary: '',
    ...fields,
  }
}

async function post(client: Client, episode: number, body: Record<string, string>) {
  await client.get(`/episodes/${episode}/reviews/new`)
  return client.post(`/episodes/${episode}/reviews/new`, body)
}

const episodeRow = (id: number) =>
  t.db.selectFrom('episodes').select(['status', 'closed_reason', 'closing_summary', 'next_review_on']).where('id', '=', id).executeTakeFirstOrThrow()
const reviewsOf = (id: number) => t.db.selectFrom('reviews').select(['id', 'decision', 'next_review_on']).where('episode_id', '=', id).execute()
const actionRow = (id: number) =>
  t.db.selectFrom('plan_actions').select(['status', 'not_done_reason', 'version']).where('id', '=', id).executeTakeFirstOrThrow()

before(async () => {
  t = await testApp()
  lead = await t.staff.signIn(t.app, 'practitioner')
  const gpUser = await buildColleague(t.db, t.app, t.staff, 'gp')
  gpUserId = gpUser.id
  gp = gpUser.client
})
after(() => t?.close())

/**
 * A CAF of its own for one test, for a child of a new Smith family (John, or Amelia) and their mother
 * Sarah: completed by the school's practitioner with consent naming the school and the GP practice, the
 * GP practitioner in the team, the school's practitioner the lead professional, the plan running with
 * one action, owned by the lead.
 */
async function started(child: 'John' | 'Amelia'): Promise<{ episode: number; outcome: number; action: number }> {
  const { staff } = t
  const smiths = await buildFamily(t.db, staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    schoolId: staff.agencies.school.id,
  })
  const sarah = smiths.mother.id
  const me = staff.users.practitioner.id
  const episode = await completedCaf(lead, {
    child: smiths.children[child === 'John' ? 0 : 1]!.id,
    others: [sarah],
    giver: sarah,
    agencies: [staff.agencies.school.id, staff.agencies.gp.id],
  })
  await addToTeam(lead, episode, gpUserId)
  await makeLead(lead, episode, me)
  return { episode, ...(await planWithAction(lead, t.db, episode, me)) }
}

describe('actions at a review', () => {
  test('the review lists each outcome’s actions still to do, with their owner and due date', async () => {
    const john = await started('John')
    const text = textOf((await lead.get(`/episodes/${john.episode}/reviews/new`)).body)
    const { users, agencies } = t.staff
    assert.ok(text.includes(`Actions still to do Morning routine chart ${users.practitioner.fullName} (${agencies.school.name}). Due by`), text)
  })

  test('an action marked not done needs a reason; the refused review saves nothing and keeps what was chosen', async () => {
    const john = await started('John')
    const res = await post(lead, john.episode, review(john, { decision: 'continue', [`action-${john.action}-status`]: 'not-done' }))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), [`#action-${john.action}-reason`])
    assert.match(errorSummaryText(res.body), /Enter why “Morning routine chart” was not done/)
    assert.match(res.body, new RegExp(`name="action-${john.action}-status" type="radio" value="not-done" checked`))
    assert.equal((await reviewsOf(john.episode)).length, 0)
    assert.equal((await actionRow(john.action)).status, 'not-started')
  })

  test('a refused review, which shows the family’s plan again, is audited as a view; a version out of range is refused, not a 500', async () => {
    const john = await started('John')
    const mark =
      (
        await t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.max('id').as('n'))
          .executeTakeFirstOrThrow()
      ).n ?? 0
    const res = await post(
      lead,
      john.episode,
      review(john, { decision: 'continue', [`action-${john.action}-status`]: 'done', [`action-${john.action}-version`]: '99999999999' }),
    )
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), /The form had information in it that we did not expect/)
    const viewed = await t.db
      .selectFrom('audit_events')
      .select(['action', 'record_id'])
      .where('id', '>', Number(mark))
      .where('action', '=', 'episode.viewed')
      .execute()
    // The form opened (GET), then shown again refused (POST): two views.
    assert.deepEqual(viewed, [
      { action: 'episode.viewed', record_id: String(john.episode) },
      { action: 'episode.viewed', record_id: String(john.episode) },
    ])
    assert.equal((await actionRow(john.action)).status, 'not-started')
  })

  test('an action someone else changed while the review was written is a conflict: nothing is saved, and the form shows the action as it is now', async () => {
    const john = await started('John')
    await lead.get(`/episodes/${john.episode}/reviews/new`)
    // Meanwhile the action moves on elsewhere.
    await t.db.updateTable('plan_actions').set({ status: 'in-progress', version: 2 }).where('id', '=', john.action).execute()
    const res = await lead.post(
      `/episodes/${john.episode}/reviews/new`,
      review(john, { decision: 'continue', [`action-${john.action}-status`]: 'done', [`action-${john.action}-version`]: '1' }),
    )
    assert.equal(res.statusCode, 409)
    assert.match(errorSummaryText(res.body), /Someone else updated an action while you were writing/)
    assert.match(res.body, new RegExp(`name="action-${john.action}-version" value="2"`))
    assert.equal((await reviewsOf(john.episode)).length, 0)
    assert.deepEqual(await actionRow(john.action), { status: 'in-progress', not_done_reason: null, version: 2 })
  })

  test('a team member who is not the lead records a review that moves an action on', async () => {
    const john = await started('John')
    const { version } = await actionRow(john.action)
    const res = await post(
      gp,
      john.episode,
      review(john, { decision: 'continue', [`action-${john.action}-status`]: 'done', [`action-${john.action}-version`]: String(version) }),
    )
    assert.equal(res.statusCode, 303)
    assert.equal((await actionRow(john.action)).status, 'done')
    const audit = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'plan.action-updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual({ ...(audit.detail as object) }, { actionId: john.action, status: 'done', reviewId: (await reviewsOf(john.episode))[0]!.id })
    // Done, it is no longer one of the actions a review asks about.
    assert.doesNotMatch(textOf((await lead.get(`/episodes/${john.episode}/reviews/new`)).body), /Actions still to do/)
  })
})

describe('a review that closes the episode', () => {
  test('only the lead professional is offered closing or stepping up; anyone else who sends it is refused', async () => {
    const john = await started('John')
    const form = textOf((await gp.get(`/episodes/${john.episode}/reviews/new`)).body)
    assert.doesNotMatch(form, /Step up to children’s social care The family needs/)
    assert.ok(
      form.includes(
        `Only the lead professional can close the episode or step up to children’s social care. If the review decided that, ask ${t.staff.users.practitioner.fullName}`,
      ),
      form,
    )
    const before = (await reviewsOf(john.episode)).length
    const res = await post(gp, john.episode, review(john, { decision: 'close', closeReason: 'needs-met', closingSummary: 'All better' }))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#decision'])
    assert.equal((await reviewsOf(john.episode)).length, before)
    assert.equal((await episodeRow(john.episode)).status, 'plan-active')
  })

  test('closing needs a reason and a closing summary; without them nothing is saved', async () => {
    const john = await started('John')
    const before = (await reviewsOf(john.episode)).length
    const res = await post(lead, john.episode, review(john, { decision: 'close' }))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#closeReason', '#closingSummary'])
    // The step-up reason is its own decision, not a reason to close with.
    const stepped = await post(lead, john.episode, review(john, { decision: 'close', closeReason: 'stepped-up', closingSummary: 'Referred' }))
    assert.equal(stepped.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(stepped.body), ['#closeReason'])
    // Nor does a review that closes set a new desired outcome: there will be no review to go back to it.
    const added = await post(
      lead,
      john.episode,
      review(john, { decision: 'close', closeReason: 'needs-met', closingSummary: 'Done', newNeed: 'Sleep', newOutcome: 'Sleeps through' }),
    )
    assert.equal(added.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(added.body), ['#newNeed'])
    assert.equal((await reviewsOf(john.episode)).length, before)
    assert.equal((await episodeRow(john.episode)).status, 'plan-active')
  })

  test('the lead closes at the review: the episode closes with the reason and summary, no next review, and follow-up calls scheduled', async () => {
    const john = await started('John')
    const res = await post(
      lead,
      john.episode,
      review(john, {
        [`progress-${john.outcome}`]: 'achieved',
        decision: 'close',
        closeReason: 'needs-met',
        closingSummary: 'John is on time every day; the school keeps an eye on mornings.',
      }),
    )
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${john.episode}?done=closed`)
    assert.deepEqual(await episodeRow(john.episode), {
      status: 'closed',
      closed_reason: 'needs-met',
      closing_summary: 'John is on time every day; the school keeps an eye on mornings.',
      next_review_on: null,
    })
    const last = (await reviewsOf(john.episode)).at(-1)!
    assert.deepEqual({ decision: last.decision, next: last.next_review_on }, { decision: 'close', next: null })
    const calls = await t.db.selectFrom('follow_ups').select('months').where('episode_id', '=', john.episode).orderBy('months').execute()
    assert.deepEqual(
      calls.map((c) => c.months),
      [3, 6, 12],
    )
    const page = textOf((await lead.get(res.headers.location as string)).body)
    assert.match(page, /Episode closed\. Follow-up calls to the family are scheduled/)
    assert.match(page, /Why Needs met Closing summary John is on time every day.* Desired outcomes achieved 1 of 1/)
    const closed = await t.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'episode.closed')
      .where('record_id', '=', String(john.episode))
      .executeTakeFirstOrThrow()
    assert.deepEqual({ ...(closed.detail as object) }, { reason: 'needs-met', reviewId: last.id })
  })
})

describe('a review that closes as needs met with an outcome not achieved', () => {
  test('is refused until the lead says why the needs are met all the same; nothing is saved', async () => {
    const john = await started('John')
    const closing = { decision: 'close', closeReason: 'needs-met', closingSummary: 'Mornings are calmer' }
    const res = await post(lead, john.episode, review(john, closing))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#closingOpenOutcomes'])
    assert.match(errorSummaryText(res.body), /You are closing as needs met with 1 desired outcome that is not achieved/)
    assert.match(res.body, /Mornings are calmer/, 'what was typed is kept')
    assert.equal((await episodeRow(john.episode)).status, 'plan-active')
    assert.equal((await reviewsOf(john.episode)).length, 0, 'no review saved')

    const why = 'John now has a place at the breakfast club run by the charity'
    const saved = await post(lead, john.episode, review(john, { ...closing, closingOpenOutcomes: why }))
    assert.equal(saved.statusCode, 303)
    const row = await t.db.selectFrom('episodes').select(['status', 'closed_with_open_outcomes']).where('id', '=', john.episode).executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'closed', closed_with_open_outcomes: why })
  })
})

describe('a review that steps up to children’s social care', () => {
  test('it needs why the family needs social care and the risks now', async () => {
    const amelia = await started('Amelia')
    const res = await post(lead, amelia.episode, review(amelia, { decision: 'step-up', stepUpRisks: 'Bruising seen twice this week' }))
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#stepUpReason'])
    assert.match(errorSummaryText(res.body), /Enter why the family needs children’s social care now/)
    assert.match(res.body, /Bruising seen twice this week/, 'what was typed is kept')
    assert.equal((await reviewsOf(amelia.episode)).length, 0, 'no review saved')
  })

  test('the episode stays open, waiting for social care, with the review’s step up and its package; no follow-up calls are booked', async () => {
    const amelia = await started('Amelia')
    const res = await post(
      lead,
      amelia.episode,
      review(amelia, {
        [`progress-${amelia.outcome}`]: 'no-progress',
        decision: 'step-up',
        stepUpReason: 'Concerns about neglect have grown; Sarah knows we are referring.',
        stepUpRisks: 'Amelia is often hungry and unwashed',
      }),
    )
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${amelia.episode}?done=stepped-up`)
    const row = await episodeRow(amelia.episode)
    assert.deepEqual(
      { status: row.status, closed_reason: row.closed_reason, next_review_on: row.next_review_on },
      {
        status: 'stepping-up',
        closed_reason: null,
        next_review_on: null,
      },
    )
    const last = (await reviewsOf(amelia.episode)).at(-1)!
    const stepUps = await t.db
      .selectFrom('step_ups')
      .select(['id', 'review_id', 'status', 'reason', 'risks', 'from_stage'])
      .where('episode_id', '=', amelia.episode)
      .execute()
    assert.deepEqual(
      stepUps.map(({ id: _, ...s }) => s),
      [
        {
          review_id: last.id,
          status: 'waiting',
          reason: 'Concerns about neglect have grown; Sarah knows we are referring.',
          risks: 'Amelia is often hungry and unwashed',
          from_stage: 'plan-active',
        },
      ],
    )
    assert.equal((await t.db.selectFrom('follow_ups').select('id').where('episode_id', '=', amelia.episode).execute()).length, 0)
    const page = textOf((await lead.get(res.headers.location as string)).body)
    assert.match(page, /Step up sent to children’s social care/)
    assert.match(page, /Stage Waiting for social care’s decision/)
    assert.match(page, /Step ups to children’s social care/)
  })
})
