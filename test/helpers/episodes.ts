import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import type { Client } from './browser-client.ts'
import { buildFamily, type Staff } from './staff.ts'

/** What a practitioner types, step by step, to take a child or family through the CAF over HTTP. */

const ALL_YES = { healthy: 'yes', safe: 'yes', learning: 'yes', impact: 'yes', poverty: 'yes' }

/** The episode id in a redirect to one of its pages, failing on anything else. */
export function episodeIdFrom(location: unknown): number {
  const m = /^\/episodes\/(\d+)(\/|\?|$)/.exec(String(location ?? ''))
  if (!m) throw new Error(`expected a redirect to an episode, got ${String(location)}`)
  return Number(m[1])
}

/** Starts a CAF straight into the pre-assessment: for one child, or a family CAF with the members named. */
export async function startCaf(client: Client, childId: number, memberIds: number[] = []): Promise<number> {
  await client.get(`/people/${childId}/start-caf`)
  const res = await client.post(`/people/${childId}/start-caf`, {
    kind: memberIds.length ? 'family' : 'child',
    members: memberIds.map(String),
    start: 'pre-assessment',
    reason: '',
    'planned-day': '',
    'planned-month': '',
    'planned-year': '',
  })
  assert.equal(res.statusCode, 303, `starting a CAF: ${res.statusCode}`)
  return episodeIdFrom(res.headers.location)
}

/** Fills in the checklist (all "yes", a concern and no agencies, unless told otherwise) and decides to go on to the assessment. */
export async function preAssessToAssessment(client: Client, id: number, answers: Record<string, string> = {}): Promise<void> {
  await client.get(`/episodes/${id}/pre-assessment`)
  const notes = Object.fromEntries(Object.keys(ALL_YES).map((k) => [`${k}-note`, '']))
  const saved = await client.post(`/episodes/${id}/pre-assessment`, {
    ...ALL_YES,
    ...notes,
    concern: 'Late for school most days; mum is struggling',
    agencies: '',
    ...answers,
  })
  assert.equal(saved.statusCode, 303, `saving the checklist: ${saved.statusCode}`)
  await client.get(`/episodes/${id}/pre-assessment/decision`)
  const decided = await client.post(`/episodes/${id}/pre-assessment/decision`, { level: '3', nextStep: 'assessment', reason: 'Several agencies needed' })
  assert.equal(decided.statusCode, 303, `deciding: ${decided.statusCode}`)
}

/** Saves one task of the assessment from the version shown on its form. */
export async function saveTask(client: Client, id: number, task: string, answers: Record<string, string | string[]>, extra: Record<string, string> = {}) {
  const page = await client.get(`/episodes/${id}/assessment/${task}`)
  assert.equal(page.statusCode, 200, `opening ${task}: ${page.statusCode}`)
  const version = /name="version" value="(\d+)"/.exec(page.body)?.[1]
  assert.ok(version, `no version on the ${task} form`)
  return client.post(`/episodes/${id}/assessment/${task}`, { version, ...answers, ...extra })
}

/** The answers completion needs: who was present, each child's and the parents' views, a need with an outcome. */
export async function fillRequiredTasks(client: Client, id: number, childIds: number[], presentIds: number[]): Promise<void> {
  const today = new Date()
  const ok = (res: { statusCode: number }, what: string) => assert.equal(res.statusCode, 303, `saving ${what}: ${res.statusCode}`)
  ok(
    await saveTask(client, id, 'present', {
      'date-day': String(today.getUTCDate()),
      'date-month': String(today.getUTCMonth() + 1),
      'date-year': String(today.getUTCFullYear()),
      present: presentIds.map(String),
      'led-to': 'School raised concerns about lateness',
    }),
    'present',
  )
  for (const child of childIds)
    ok(await saveTask(client, id, `child-views-${child}`, { views: 'Wants to walk to school with friends' }), `child-views-${child}`)
  ok(await saveTask(client, id, 'parent-views', { views: 'Mum wants help with mornings' }), 'parent-views')
  ok(
    await saveTask(client, id, 'conclusions', {
      strengths: 'A loving family',
      'needs-1-need': 'Gets to school late most days',
      'needs-1-term': 'short',
      'needs-1-outcome': 'On time every day by half term',
    }),
    'conclusions',
  )
}

/** Records consent given in writing by this person, naming these agencies. */
export async function recordConsent(client: Client, id: number, givenBy: number, agencyIds: number[]) {
  await client.get(`/episodes/${id}/consent/record`)
  const today = new Date()
  return client.post(`/episodes/${id}/consent/record`, {
    decision: 'given',
    givenBy: String(givenBy),
    giverRole: 'parent-with-pr',
    method: 'written',
    'given-day': String(today.getUTCDate()),
    'given-month': String(today.getUTCMonth() + 1),
    'given-year': String(today.getUTCFullYear()),
    agencies: agencyIds.map(String),
  })
}

/** Today as the three boxes of a date input, named prefix-day/-month/-year. */
export function todayParts(prefix: string): Record<string, string> {
  const d = new Date()
  return { [`${prefix}-day`]: String(d.getUTCDate()), [`${prefix}-month`]: String(d.getUTCMonth() + 1), [`${prefix}-year`]: String(d.getUTCFullYear()) }
}

/**
 * A completed family CAF ready for planning: started by this practitioner for the child with the others,
 * the required sections filled in, consent from the giver naming these agencies, completed.
 */
export async function completedCaf(client: Client, opts: { child: number; others: number[]; giver: number; agencies: number[] }): Promise<number> {
  const id = await startCaf(client, opts.child, opts.others)
  await preAssessToAssessment(client, id)
  await fillRequiredTasks(client, id, [opts.child, ...opts.others.filter((o) => o !== opts.giver)], [opts.giver])
  assert.equal((await recordConsent(client, id, opts.giver, opts.agencies)).statusCode, 303, 'consent recorded')
  await client.get(`/episodes/${id}/assessment/check`)
  assert.equal((await client.post(`/episodes/${id}/assessment/check`, {})).statusCode, 303, 'assessment completed')
  return id
}

/** Adds a practitioner to the Team Around the Family. */
export async function addToTeam(client: Client, episode: number, userId: number): Promise<void> {
  await client.get(`/episodes/${episode}/team`)
  assert.equal((await client.post(`/episodes/${episode}/team`, { user: String(userId) })).statusCode, 303, 'added to the team')
}

/** Makes this practitioner the lead professional, agreed today (they are on the team already). */
export async function makeLead(client: Client, episode: number, userId: number): Promise<void> {
  await client.get(`/episodes/${episode}/lead`)
  assert.equal((await client.post(`/episodes/${episode}/lead`, { user: String(userId), ...todayParts('agreed') })).statusCode, 303, 'lead professional set')
}

/** Starts the plan from the assessment and adds one action, owned by this user and due in 14 days: the plan is then active. */
export async function planWithAction(client: Client, db: Kysely<DB>, episode: number, ownerId: number): Promise<{ outcome: number; action: number }> {
  await client.get(`/episodes/${episode}/plan`)
  assert.equal((await client.post(`/episodes/${episode}/plan/start`, {})).statusCode, 303, 'plan started')
  const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  await client.get(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`)
  const due = new Date(Date.now() + 14 * 86_400_000)
  const res = await client.post(`/episodes/${episode}/plan/outcomes/${outcome}/actions/new`, {
    description: 'Morning routine chart',
    owner: `user:${ownerId}`,
    serviceName: '',
    'due-day': String(due.getUTCDate()),
    'due-month': String(due.getUTCMonth() + 1),
    'due-year': String(due.getUTCFullYear()),
  })
  assert.equal(res.statusCode, 303, 'action added')
  const action = (await db.selectFrom('plan_actions').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  return { outcome, action }
}

/**
 * The Smiths (Sarah, and John and Amelia at the practitioner's school), added by the practitioner, and
 * their family CAF completed over HTTP by the practitioner's client: John's, with Amelia and Sarah in
 * it, Sarah giving consent for `agencies` (the school unless told).
 */
export async function smithsCaf(db: Kysely<DB>, staff: Staff, client: Client, agencies = [staff.agencies.school.id]) {
  const smiths = await buildFamily(db, staff.actor('practitioner'), {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    schoolId: staff.agencies.school.id,
  })
  const [john, amelia] = smiths.children.map((c) => c.id) as [number, number]
  const sarah = smiths.mother.id
  const episode = await completedCaf(client, { child: john, others: [amelia, sarah], giver: sarah, agencies })
  return { episode, john, amelia, sarah }
}
