import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addDays, dateWords, today } from '../../src/web/dates.ts'
import { addWorkingDays } from '../../src/web/working-days.ts'
import { demoApp, type DemoApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { tableRows } from '../helpers/html.ts'

/**
 * What issue 13 promises of the demo: the social care worker's home with their step downs and step
 * ups, the hub's desk with the interface's lists, and a step up from a review waiting for social
 * care's decision.
 */

let t: DemoApp
before(async () => {
  t = await demoApp()
})
after(() => t?.close())

async function signedIn(email: string) {
  const client = new Client(t.app)
  await client.signIn(email, t.demo.password)
  return client
}

test('Sarah Ahmed’s home lists the Kellys’ step up from today’s review, her step downs with their 3-week rule, and her notifications', async () => {
  const sarah = await signedIn('social-care@demo-borough.example')
  const home = await sarah.get('/')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/social-care')
  const page = await sarah.get('/social-care')
  const waiting = tableRows(page.body, 'Step ups waiting')
  assert.equal(waiting.length, 1)
  assert.match(waiting[0]![0]!, /Liam Kelly/)
  assert.ok(waiting[0]![3]!.includes(dateWords(addWorkingDays(today(), 1))), 'due in one working day')
  const decided = tableRows(page.body, 'Step ups decided in the last 90 days')
  assert.deepEqual(
    decided.map((r) => [r[0], r[1]]),
    [['Ruby Green', 'Not accepted']],
  )
  const downs = tableRows(page.body, 'Step downs open')
  assert.deepEqual(
    downs.map((r) => r[0]),
    ['Mason Walker', 'Ellie Turner'],
  )
  assert.match(downs[0]![2]!, /To allocate/)
  assert.match(downs[0]![3]!, /At risk/)
  assert.match(downs[1]![2]!, /Priya Patel \(accepted\)/)
  assert.match(downs[1]![3]!, /A meeting is arranged in time/)
  const notes = tableRows(page.body, 'Waiting for the hub’s decision')
  assert.deepEqual(
    notes.map((r) => r[0]),
    ['Isla Robinson'],
  )
  assert.deepEqual(
    tableRows(page.body, 'Decided in the last 90 days').map((r) => [r[0], r[1]]),
    [
      ['Oscar Hall', 'Offer a CAF'],
      ['Freya Lewis', 'No further action'],
    ],
  )
})

test('the step up came from a review, and Sarah can decide it', async () => {
  const stepUp = await t.db
    .selectFrom('step_ups as s')
    .innerJoin('reviews as r', 'r.id', 's.review_id')
    .select(['s.id', 's.status', 'r.held_on'])
    .executeTakeFirstOrThrow()
  assert.deepEqual([stepUp.status, stepUp.held_on], ['waiting', today()])
  const sarah = await signedIn('social-care@demo-borough.example')
  const page = textOf((await sarah.get(`/step-ups/${stepUp.id}`)).body)
  assert.match(page, /Does social care accept the step up\?/)
  assert.match(page, /The family’s early help information/)
})

test('the hub’s desk counts the interface: one notification, one step up, one step down to allocate, one at risk of the 3-week rule', async () => {
  const callum = await signedIn('coordinator@demo-borough.example')
  const rows = tableRows((await callum.get('/desk')).body, 'Around the episodes')
  const count = (list: string) => rows.find((r) => r[0] === list)?.[2]
  assert.equal(count('Sent by social care'), '1')
  assert.equal(count('Step ups waiting for social care'), '1')
  assert.equal(count('Step downs: allocate a lead professional'), '1')
  assert.equal(count('Step downs at risk of the 3-week rule'), '1')
  const turner = await t.db.selectFrom('step_downs').select('involvement_ends_on').where('decision_point', '=', 'after-assessment').executeTakeFirstOrThrow()
  assert.equal(turner.involvement_ends_on, addDays(today(), 45))
})

test('the Bennetts move to Demo Shire: its hub takes them on, allocating Owen, and they arrive with their history; Demo Borough’s episode closes as transferred', async () => {
  const helen = await signedIn('coordinator@demo-shire.example')
  const list = await helen.get('/transfers')
  const waiting = tableRows(list.body, 'Families moving here')
  assert.equal(waiting.length, 1)
  assert.match(waiting[0]![1]!, /Demo Borough/)
  const transfer = await t.db.selectFrom('transfers').select(['id', 'episode_id']).executeTakeFirstOrThrow()
  const owen = await t.db.selectFrom('users').select('id').where('email', '=', 'practitioner@demo-shire.example').executeTakeFirstOrThrow()
  await helen.get(`/transfers/${transfer.id}`)
  const accepted = await helen.post(`/transfers/${transfer.id}/decision`, { decision: 'accept', lead: String(owen.id) })
  assert.equal(accepted.statusCode, 303)
  const arrived = (await t.db.selectFrom('transfers').select('new_episode_id').where('id', '=', transfer.id).executeTakeFirstOrThrow()).new_episode_id!
  const history = textOf((await helen.get(`/episodes/${arrived}/arrival`)).body)
  assert.match(history, /Laura has a new job in Demo Shire/)
  assert.match(history, /Breakfast club place for Oliver/, 'the plan came across')
  assert.match(history, /Chronology .*Stage: Plan active/, 'with its chronology')
  const sent = await t.db.selectFrom('episodes').select(['status', 'closed_reason']).where('id', '=', transfer.episode_id).executeTakeFirstOrThrow()
  assert.deepEqual(sent, { status: 'closed', closed_reason: 'moved' })
})

test('a Demo Shire practitioner searching for Daniel Okafor sees his open CAF in Demo Borough and who leads it, and nothing more', async () => {
  const daniel = await t.db
    .selectFrom('people')
    .select(['date_of_birth'])
    .where('given_name', '=', 'Daniel')
    .where('family_name', '=', 'Okafor')
    .executeTakeFirstOrThrow()
  const [y, m, d] = daniel.date_of_birth!.split('-')
  const owen = await signedIn('practitioner@demo-shire.example')
  const res = await owen.get(`/people?q=Daniel+Okafor&dob-day=${Number(d)}&dob-month=${Number(m)}&dob-year=${y}`)
  const rows = tableRows(res.body, 'Open CAFs in other councils')
  assert.deepEqual(
    rows.map((r) => [r[0], r[1]]),
    [['Demo Borough', 'A CAF is open']],
  )
  assert.match(rows[0]![2]!, /Priya Patel/)
})
