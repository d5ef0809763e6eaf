import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { preAssessToAssessment, recordConsent, startCaf } from '../helpers/episodes.ts'
import { buildFamily } from '../helpers/staff.ts'

/**
 * Whatever a user sends to an episode's forms — fields the form does not have, a field repeated, text
 * far too long, record numbers that are not numbers — they get a GOV.UK page saying what is wrong, never
 * the 500 page, and nothing about the episode changes.
 */

let t: TestApp
let practitioner: Client
let episode: number
/** The practitioner's school, named in the consent. */
let school: number
/** A child with no CAF, for the start form. */
let child: number

/** Each form that changes an episode, with the fields it has. */
const FORMS: { path: string; fields: string[] }[] = [
  { path: '/people/:child/start-caf', fields: ['relationship', 'kind', 'members', 'start', 'reason', 'planned-day', 'planned-month', 'planned-year'] },
  { path: '/episodes/:id/break-glass', fields: ['reason'] },
  { path: '/episodes/:id/pre-assessment/begin', fields: [] },
  { path: '/episodes/:id/pre-assessment', fields: ['healthy', 'healthy-note', 'safe', 'concern', 'agencies'] },
  { path: '/episodes/:id/pre-assessment/decision', fields: ['level', 'nextStep', 'reason'] },
  { path: '/episodes/:id/assessment/check', fields: [] },
  { path: '/episodes/:id/assessment/present', fields: ['version', 'date-day', 'present', 'others-present', 'led-to'] },
  { path: '/episodes/:id/assessment/conclusions', fields: ['version', 'strengths', 'needs-1-need', 'needs-1-term', 'needs-1-outcome'] },
  { path: '/episodes/:id/consent/record', fields: ['decision', 'givenBy', 'giverRole', 'method', 'given-day', 'given-month', 'given-year', 'agencies'] },
  { path: '/episodes/:id/consent/agencies', fields: ['agency'] },
  { path: '/episodes/:id/consent/agencies/:agency/withdraw', fields: ['reason'] },
  { path: '/episodes/:id/consent/withdraw', fields: ['withdrawn-day', 'withdrawn-month', 'withdrawn-year', 'reason'] },
  { path: '/episodes/:id/lawful-basis', fields: ['basis'] },
  { path: '/episodes/:id/team', fields: ['user'] },
  { path: '/episodes/:id/team/1/remove', fields: [] },
  { path: '/episodes/:id/lead', fields: ['user', 'agreed-day', 'agreed-month', 'agreed-year'] },
  { path: '/episodes/:id/lead/accept', fields: [] },
  { path: '/episodes/:id/lead/decline', fields: [] },
  { path: '/episodes/:id/family-copy', fields: ['given-day', 'given-month', 'given-year'] },
  { path: '/episodes/:id/meetings/new', fields: ['date-day', 'time', 'duration', 'place', 'chair', 'minuteTaker', 'invitees'] },
]

/** John Smith's CAF (John alone), in the assessment with consent naming the school; his sister Amelia has none. */
before(async () => {
  t = await testApp()
  const { staff } = t
  practitioner = await staff.signIn(t.app, 'practitioner')
  school = staff.agencies.school.id
  const smiths = await buildFamily(t.db, staff.actor('practitioner'), { familyName: 'Smith', mother: 'Sarah', children: ['John', 'Amelia'], schoolId: school })
  const [john, amelia] = smiths.children
  child = amelia!.id
  episode = await startCaf(practitioner, john!.id)
  await preAssessToAssessment(practitioner, episode)
  assert.equal((await recordConsent(practitioner, episode, smiths.mother.id, [school])).statusCode, 400, 'Sarah is not in this episode')
  assert.equal((await recordConsent(practitioner, episode, john!.id, [school])).statusCode, 303)
})
after(() => t?.close())

const url = (path: string) => path.replace(':id', String(episode)).replace(':agency', String(school)).replace(':child', String(child))

/** Every row an episode form could change. */
async function snapshot(): Promise<string> {
  const tables = [
    'episodes',
    'episode_people',
    'pre_assessments',
    'assessment_sections',
    'assessment_amendments',
    'consents',
    'consent_agencies',
    'team_members',
    'lead_professionals',
    'break_glass',
  ] as const
  const rows = await Promise.all(tables.map((name) => t.db.selectFrom(name).selectAll().execute()))
  return JSON.stringify(rows)
}

function assertFriendly(res: LightMyRequestResponse, what: string) {
  assert.match(String(res.headers['content-type']), /^text\/html/, what)
  assert.match(res.body, /govuk-template__header/, `${what}: a GOV.UK page`)
  assert.doesNotMatch(textOf(res.body), /Sorry, there is a problem with the service/, `${what}: not the 500 page`)
}

describe('hostile submissions to every episode form', () => {
  for (const form of FORMS) {
    test(`${form.path}: unknown fields, repeated fields and over-long text are refused with 400 and change nothing`, async () => {
      const before = await snapshot()
      await practitioner.get(`/episodes/${episode}`)
      const payloads: Record<string, string | string[]>[] = [
        { sneaky: 'x' },
        ...form.fields.map((f) => ({ [f]: ['1', '2'] })),
        ...form.fields.map((f) => ({ [f]: 'x'.repeat(30_000) })),
      ]
      for (const payload of payloads) {
        const res = await practitioner.post(url(form.path), payload)
        const what = `${form.path} with ${Object.keys(payload).join(', ')}`
        assertFriendly(res, what)
        assert.equal(res.statusCode, 400, `${what}: status ${res.statusCode}`)
        assert.match(res.body, /govuk-error-summary/, `${what}: an error summary`)
      }
      assert.equal(await snapshot(), before, `${form.path}: nothing changed`)
    })
  }

  test('record numbers in the address that are not numbers, or not this council’s, give the not-found page', async () => {
    const before = await snapshot()
    for (const bad of ['abc', '-1', '99999999999', '0x10', '999999']) {
      const res = await practitioner.post(`/episodes/${bad}/consent/agencies`, { agency: String(school) })
      assertFriendly(res, bad)
      assert.equal(res.statusCode, 404, `/episodes/${bad}: status ${res.statusCode}`)
    }
    assert.equal(await snapshot(), before)
  })

  test('an agency or practitioner number that is not one of the council’s is refused with 400', async () => {
    const before = await snapshot()
    for (const [path, field] of [
      ['/episodes/:id/consent/agencies', 'agency'],
      ['/episodes/:id/team', 'user'],
      ['/episodes/:id/lead', 'user'],
    ] as const) {
      await practitioner.get(`/episodes/${episode}`)
      const res = await practitioner.post(url(path), { [field]: '999999', 'agreed-day': '1', 'agreed-month': '1', 'agreed-year': '2026' })
      assertFriendly(res, path)
      assert.equal(res.statusCode, 400, `${path}: status ${res.statusCode}`)
    }
    assert.equal(await snapshot(), before)
  })
})
