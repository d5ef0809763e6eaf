import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { addDays, dateParts, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs } from '../helpers/html.ts'
import { formFields } from '../helpers/people.ts'
import { auditOverHttp, GRADES, sampleOfEverything } from '../helpers/quality.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * Whatever is sent to the quality assurance forms — drawing a sample, auditing, moderating,
 * acknowledging — a wrong answer gets a 400 with the error summary, what was typed stays in the form,
 * and nothing is saved or emailed.
 */

let t: TestApp
let staff: Staff
let hub: Client
let practitioner: Client
let moderator: Client
let episode: number
let sample: number
/** An audit of another episode, waiting to be acknowledged and moderated. */
let audited: { episode: number; audit: number }

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  practitioner = await staff.signIn(t.app, 'practitioner')
  moderator = (await buildColleague(t.db, t.app, staff, 'hub', { roles: ['coordinator'] })).client
  const me = staff.actor('practitioner')
  episode = (await buildEpisode(t.db, me, { consentedAgencies: [staff.agencies.school.id], lead: true })).id
  const other = (await buildEpisode(t.db, me, { consentedAgencies: [staff.agencies.school.id], lead: true })).id
  sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
  audited = { episode: other, audit: await auditOverHttp(hub, other, sample) }
})
after(() => t?.close())

/** Every row a QA form could write, and the outbox. */
async function snapshot() {
  const tables = ['qa_samples', 'qa_sample_episodes', 'qa_audits', 'qa_moderations', 'mail_outbox'] as const
  return JSON.stringify(await Promise.all(tables.map((name) => t.db.selectFrom(name).selectAll().execute())))
}

const LONG = 'x'.repeat(10_001)
const SAMPLE = {
  ...dateParts(addDays(today(), -30), 'from'),
  ...dateParts(today(), 'to'),
  size: '5',
  stages: 'plan-active',
  stratifyBy: 'none',
  seed: '',
}

interface Case {
  name: string
  client: () => Client
  path: () => string
  form: Record<string, string | string[]>
  errors: string[]
  /** A field whose typed value the form shows again. */
  kept?: [string, string]
}

const auditPath = () => `/episodes/${episode}/samples/${sample}/audit`
const moderatePath = () => `/episodes/${audited.episode}/audits/${audited.audit}/moderate`
const acknowledgePath = () => `/episodes/${audited.episode}/audits/${audited.audit}/acknowledge`

const CASES: Case[] = [
  { name: 'a sample of none', client: () => hub, path: () => '/qa/samples/new', form: { ...SAMPLE, size: '0' }, errors: ['#size'], kept: ['size', '0'] },
  {
    name: 'a sample of too many',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, size: '201' },
    errors: ['#size'],
    kept: ['size', '201'],
  },
  {
    name: 'a sample size in words',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, size: 'ten' },
    errors: ['#size'],
    kept: ['size', 'ten'],
  },
  { name: 'no stage', client: () => hub, path: () => '/qa/samples/new', form: { ...SAMPLE, stages: [] }, errors: ['#stages'], kept: ['size', '5'] },
  {
    name: 'a stage that does not exist',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, stages: ['plan-active', 'archived'] },
    errors: ['#stages'],
  },
  {
    name: 'an intention is not a stage to audit',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, stages: 'intention' },
    errors: ['#stages'],
  },
  {
    name: 'a way of sharing it out that does not exist',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, stratifyBy: 'postcode' },
    errors: ['#stratifyBy'],
  },
  {
    name: 'a period that ends before it starts',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, ...dateParts(today(), 'from'), ...dateParts(addDays(today(), -1), 'to') },
    errors: ['#to-day'],
  },
  {
    name: 'a date that does not exist',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, 'from-day': '31', 'from-month': '2' },
    errors: ['#from-day'],
    kept: ['from-day', '31'],
  },
  {
    name: 'a period in the future',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, ...dateParts(addDays(today(), 1), 'to') },
    errors: ['#to-day'],
  },
  {
    name: 'a seed with spaces and symbols',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, seed: 'a b;drop' },
    errors: ['#seed'],
    kept: ['seed', 'a b;drop'],
  },
  {
    name: 'a sample form with a field it does not have',
    client: () => hub,
    path: () => '/qa/samples/new',
    form: { ...SAMPLE, la_id: '1' },
    errors: ['#main-content'],
  },
  {
    name: 'an audit with no grades',
    client: () => hub,
    path: auditPath,
    form: { feedback: 'Good work' },
    errors: ['#detail', '#needs', '#strengths', '#risks', '#outcomes', '#overall'],
  },
  {
    name: 'an audit with a grade not on the scale',
    client: () => hub,
    path: auditPath,
    form: { ...GRADES, overall: 'outstanding', feedback: 'Good' },
    errors: ['#overall'],
  },
  { name: 'an audit without feedback', client: () => hub, path: auditPath, form: { ...GRADES, feedback: '   ' }, errors: ['#feedback'] },
  { name: 'an audit with feedback too long', client: () => hub, path: auditPath, form: { ...GRADES, feedback: LONG }, errors: ['#feedback'] },
  {
    name: 'an audit with a grade sent twice',
    client: () => hub,
    path: auditPath,
    form: { ...GRADES, overall: ['good', 'poor'], feedback: 'Fine' },
    errors: ['#overall'],
  },
  {
    name: 'an audit naming another practitioner to tell',
    client: () => hub,
    path: auditPath,
    form: { ...GRADES, feedback: 'Fine', practitioner: '1' },
    errors: ['#main-content'],
  },
  { name: 'a moderation without a comment', client: () => moderator, path: moderatePath, form: { ...GRADES, comment: '' }, errors: ['#comment'] },
  {
    name: 'a moderation with a grade missing',
    client: () => moderator,
    path: moderatePath,
    form: { ...GRADES, risks: '', comment: 'Agree' },
    errors: ['#risks'],
    kept: ['comment', 'Agree'],
  },
  { name: 'a reply too long', client: () => practitioner, path: acknowledgePath, form: { reply: LONG }, errors: ['#reply'] },
  {
    name: 'an acknowledgement with a field it does not have',
    client: () => practitioner,
    path: acknowledgePath,
    form: { reply: 'Thanks', acknowledged_at: '2020-01-01' },
    errors: ['#main-content'],
  },
]

describe('hostile input to the quality assurance forms', () => {
  for (const c of CASES) {
    test(`${c.name}: 400, the error summary, what was typed kept, nothing saved`, async () => {
      const client = c.client()
      const page = c.path().endsWith('/acknowledge') ? c.path().replace(/\/acknowledge$/, '') : c.path()
      await client.get(page)
      const before = await snapshot()
      const res = await client.post(c.path(), c.form)
      assert.equal(res.statusCode, 400, textOf(res.body).slice(0, 300))
      assert.deepEqual(errorSummaryHrefs(res.body), c.errors)
      if (c.kept) assert.equal(formFields(res.body, c.path())[c.kept[0]], c.kept[1])
      assert.equal(await snapshot(), before)
    })
  }

  test('a form sent without its security token is refused and changes nothing', async () => {
    await hub.get('/qa/samples/new')
    const before = await snapshot()
    const res = await hub.post('/qa/samples/new', SAMPLE, { csrf: null })
    assert.equal(res.statusCode, 400)
    assert.equal(await snapshot(), before)
  })
})
