import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { pdfText } from '../../src/features/assessment/pdf-text.test-helper.ts'
import { buildColleague } from '../helpers/staff.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { addToTeam, smithsCaf } from '../helpers/episodes.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'

/**
 * The action plan: it starts from the needs and desired outcomes of the completed assessment; each
 * action has an owner from the team (or a consented agency), a due date and a status; overdue actions
 * show; the family gets a plain copy as a page and a PDF.
 */

let t: TestApp
let practitioner: Client
let gp: { id: number; client: Client }

const NEED = 'Gets to school late most days'
const OUTCOME = 'On time every day by half term'
const YESTERDAY = new Date(Date.now() - 86_400_000)
const NEXT_MONTH = new Date(Date.now() + 30 * 86_400_000)
const boxes = (d: Date) => ({ 'due-day': String(d.getUTCDate()), 'due-month': String(d.getUTCMonth() + 1), 'due-year': String(d.getUTCFullYear()) })

before(async () => {
  t = await testApp()
  practitioner = await t.staff.signIn(t.app, 'practitioner')
  gp = await buildColleague(t.db, t.app, t.staff, 'gp', { name: 'Gwen Hughes' })
})
after(() => t?.close())

/**
 * A Smith family CAF of its own for one test: started by the school's practitioner, completed with
 * consent naming the school and the GP practice, Gwen Hughes of the GP practice in the team; the plan
 * started from the assessment when asked.
 */
async function smithsWithGp(opts: { planStarted: boolean }): Promise<number> {
  const { staff } = t
  const { episode } = await smithsCaf(t.db, staff, practitioner, [staff.agencies.school.id, staff.agencies.gp.id])
  await addToTeam(practitioner, episode, gp.id)
  if (opts.planStarted) {
    await practitioner.get(`/episodes/${episode}/plan`)
    assert.equal((await practitioner.post(`/episodes/${episode}/plan/start`, {})).statusCode, 303, 'plan started')
  }
  return episode
}

async function addAction(episode: number, fields: Record<string, string>) {
  const outcome = (await t.db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  await practitioner.get(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`)
  return practitioner.post(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`, {
    description: '',
    owner: '',
    serviceName: '',
    ...boxes(NEXT_MONTH),
    ...fields,
  })
}

/** Gwen's action, due yesterday: overdue. */
const BREAKFAST_CLUB = () => ({ description: 'Register Amelia with the breakfast club', owner: `user:${gp.id}`, ...boxes(YESTERDAY) })
/** The school's action, with the service that does it. */
const WALKING_BUS = () => ({
  description: 'Offer a place on the walking bus',
  owner: `agency:${t.staff.agencies.school.id}`,
  serviceName: 'Walking bus club',
})

async function actionOf(episode: number, description: string) {
  return t.db
    .selectFrom('plan_actions')
    .select(['id', 'version'])
    .where('episode_id', '=', episode)
    .where('description', '=', description)
    .executeTakeFirstOrThrow()
}

describe('the action plan', () => {
  test('the plan starts from the assessment: one desired outcome for each need, with the need beside it', async () => {
    const episode = await smithsWithGp({ planStarted: false })
    const empty = await practitioner.get(`/episodes/${episode}/plan`)
    assert.match(textOf(empty.body), /Start the plan from the assessment’s needs/)
    const res = await practitioner.post(`/episodes/${episode}/plan/start`, {})
    assert.equal(res.statusCode, 303)
    const page = textOf((await practitioner.get(`/episodes/${episode}/plan`)).body)
    assert.match(page, new RegExp(`Outcome 1: ${OUTCOME}`))
    assert.match(page, new RegExp(`The need: ${NEED}`))
    assert.match(page, /No actions yet/)
    await practitioner.get(`/episodes/${episode}/plan`)
    assert.equal((await practitioner.post(`/episodes/${episode}/plan/start`, {})).statusCode, 409, 'a plan is started once')
  })

  test('an action owned by a team member and already past its date shows as overdue, to the lead and on the episode', async () => {
    const episode = await smithsWithGp({ planStarted: true })
    const res = await addAction(episode, BREAKFAST_CLUB())
    assert.equal(res.statusCode, 303)
    const plan = textOf((await practitioner.get(`/episodes/${episode}/plan`)).body)
    assert.match(plan, new RegExp(`Register Amelia with the breakfast club Gwen Hughes \\(${t.staff.agencies.gp.name}\\) .* Not started Overdue`))
    const row = await t.db.selectFrom('episodes').select('status').where('id', '=', episode).executeTakeFirstOrThrow()
    assert.equal(row.status, 'plan-active', 'the first action makes the plan active')
    assert.match(textOf((await practitioner.get(`/episodes/${episode}`)).body), /The plan \(1 overdue action\)/)
  })

  test('an action can belong to an agency the family agreed to share with, with a service named', async () => {
    const episode = await smithsWithGp({ planStarted: true })
    const res = await addAction(episode, WALKING_BUS())
    assert.equal(res.statusCode, 303)
    const row = tableRows((await practitioner.get(`/episodes/${episode}/plan`)).body).find((r) => r[0]?.startsWith('Offer a place on the walking bus'))
    assert.ok(row?.[0]?.startsWith('Offer a place on the walking bus (service: Walking bus club)'), `the action and its service: ${row?.[0]}`)
    assert.equal(row?.[1], t.staff.agencies.school.name, 'owned by the school')
  })

  test('an owner outside the team and the consent, no description or a bad date: refused with 400, nothing added', async () => {
    const episode = await smithsWithGp({ planStarted: true })
    const count = async () => (await t.db.selectFrom('plan_actions').select('id').where('episode_id', '=', episode).execute()).length
    const before = await count()
    const outsider = await addAction(episode, { description: 'Police visit', owner: `agency:${t.staff.agencies.police.id}` })
    assert.equal(outsider.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(outsider.body), ['#owner'])
    assert.match(outsider.body, /Police visit<\/textarea>/, 'what was typed is kept')
    const blank = await addAction(episode, { description: '', owner: `user:${gp.id}`, 'due-day': '31', 'due-month': '2', 'due-year': '2027' })
    assert.equal(blank.statusCode, 400)
    assert.ok(errorSummaryHrefs(blank.body).includes('#description'))
    assert.equal(await count(), before)
  })

  test('"not done" needs a reason; with one, the action is updated and the reason shown', async () => {
    const episode = await smithsWithGp({ planStarted: true })
    assert.equal((await addAction(episode, BREAKFAST_CLUB())).statusCode, 303)
    const action = await actionOf(episode, 'Register Amelia with the breakfast club')
    const url = `/episodes/${episode}/plan/actions/${action.id}`
    await practitioner.get(url)
    const fields = {
      description: 'Register Amelia with the breakfast club',
      owner: `user:${gp.id}`,
      ...boxes(YESTERDAY),
      serviceName: '',
      version: String(action.version),
    }
    const refused = await practitioner.post(url, { ...fields, status: 'not-done', notDoneReason: '' })
    assert.equal(refused.statusCode, 400)
    assert.match(errorSummaryText(refused.body), /Enter why the action was not done/)
    const saved = await practitioner.post(url, { ...fields, status: 'not-done', notDoneReason: 'The club is full until January' })
    assert.equal(saved.statusCode, 303)
    const plan = textOf((await practitioner.get(`/episodes/${episode}/plan`)).body)
    assert.match(plan, /Not done The club is full until January/)
    assert.doesNotMatch(plan, /Overdue/, 'an action that is finished with is not overdue')
    const stale = await practitioner.post(url, { ...fields, status: 'done', notDoneReason: '' })
    assert.equal(stale.statusCode, 400, 'a save from an old version is refused')
    assert.match(errorSummaryText(stale.body), /Someone else changed this action/)
    assert.equal((await t.db.selectFrom('plan_actions').select('status').where('id', '=', action.id).executeTakeFirstOrThrow()).status, 'not-done')
  })

  test("the family's copy of the plan, as a page and a PDF, says what will change, who does what and by when", async () => {
    // Gwen's action, not done for a reason, and Walking bus club.
    const episode = await smithsWithGp({ planStarted: true })
    assert.equal((await addAction(episode, BREAKFAST_CLUB())).statusCode, 303)
    assert.equal((await addAction(episode, WALKING_BUS())).statusCode, 303)
    const club = await actionOf(episode, 'Register Amelia with the breakfast club')
    await practitioner.get(`/episodes/${episode}/plan/actions/${club.id}`)
    const notDone = await practitioner.post(`/episodes/${episode}/plan/actions/${club.id}`, {
      ...BREAKFAST_CLUB(),
      serviceName: '',
      version: String(club.version),
      status: 'not-done',
      notDoneReason: 'The club is full until January',
    })
    assert.equal(notDone.statusCode, 303)

    const page = textOf((await practitioner.get(`/episodes/${episode}/plan/family`)).body)
    assert.match(page, /Your family’s plan/)
    assert.match(page, new RegExp(`${OUTCOME} Why: ${NEED}`))
    assert.ok(page.includes(`Offer a place on the walking bus Who: ${t.staff.agencies.school.name}`), page)
    const pdf = await practitioner.get(`/episodes/${episode}/plan.pdf`)
    assert.equal(pdf.statusCode, 200)
    assert.equal(pdf.headers['content-type'], 'application/pdf')
    assert.equal(pdf.headers['cache-control'], 'no-store', 'a PDF with personal data is not kept in any cache')
    const text = pdfText(pdf.rawPayload).text
    for (const expected of [
      'Your family’s plan',
      OUTCOME,
      NEED,
      'Offer a place on the walking bus',
      `Gwen Hughes (${t.staff.agencies.gp.name})`,
      'The club is full until January',
    ]) {
      assert.ok(text.includes(expected), `the PDF says "${expected}"`)
    }
  })

  test('the plan is part of the episode: a practitioner of an agency outside the consent cannot see it', async () => {
    const episode = await smithsWithGp({ planStarted: true })
    assert.equal((await addAction(episode, BREAKFAST_CLUB())).statusCode, 303)
    const { client } = await buildColleague(t.db, t.app, t.staff, 'police')
    for (const url of [`/episodes/${episode}/plan`, `/episodes/${episode}/plan/family`, `/episodes/${episode}/plan.pdf`]) {
      assert.equal((await client.get(url)).statusCode, 404, url)
    }
    assert.equal((await gp.client.get(`/episodes/${episode}/plan`)).statusCode, 200, 'the team member can')
  })
})
