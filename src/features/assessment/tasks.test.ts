import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { CafConfig } from '../episodes/config.ts'
import type { EpisodePerson } from '../episodes/repository.ts'
import { readSection, type SectionData } from './fields.ts'
import { assessmentTasks, taskStatus, type Task, type TaskStatus } from './tasks.ts'
import { missingForCompletion } from './use-cases.ts'

const CONFIG: CafConfig = {
  scale: { min: 1, max: 10, lowLabel: 'Things are very hard', highLabel: 'Things are going well' },
  intentionFollowUpDays: 28,
  safeguardingContact: 'Children’s social care front door: phone 0300 000 0000',
  stepUpDecisionDays: 1,
  levels: [
    { code: '1', label: 'Level 1: universal', description: 'No additional needs.', tier: 1 },
    { code: '2', label: 'Level 2: additional needs', description: 'One agency.', tier: 2 },
    { code: '3', label: 'Level 3: multiple or complex needs', description: 'A CAF.', tier: 3 },
    { code: '4', label: 'Level 4: acute needs', description: 'Social care.', tier: 4 },
  ],
  domains: [
    {
      code: 'child',
      label: 'Development of the child',
      perChild: true,
      elements: [
        { code: 'general-health', label: 'General health' },
        { code: 'behaviour', label: 'Behavioural development' },
      ],
    },
    { code: 'parents', label: 'Parents and carers', perChild: false, elements: [{ code: 'basic-care', label: 'Basic care, safety and protection' }] },
    {
      code: 'family',
      label: 'Family and environment',
      perChild: false,
      elements: [
        { code: 'wider-family', label: 'Wider family' },
        { code: 'housing-money', label: 'Housing, employment and financial considerations' },
      ],
    },
  ],
}

const person = (id: number, name: string, role: 'child' | 'adult'): EpisodePerson => ({
  id,
  name,
  role,
  dateOfBirth: null,
  expectedDeliveryDate: null,
  inTeam: false,
})
const LAN = person(11, 'Lan Nguyen', 'child')
const MINH = person(12, 'Minh Nguyen', 'child')
const THI = person(21, 'Thi Nguyen', 'adult')
const FAMILY = assessmentTasks([LAN, MINH, THI], CONFIG)
const SINGLE = assessmentTasks([LAN], CONFIG)

function task(tasks: readonly Task[], key: string): Task {
  const t = tasks.find((x) => x.key === key)
  assert.ok(t, `no task ${key} among ${tasks.map((x) => x.key).join(', ')}`)
  return t
}

/** What the task's form saves for a submission, as the app stores it. */
function save(t: Task, body: Record<string, unknown>): SectionData {
  const r = readSection(t.fields, body, CONFIG.scale)
  assert.ok('data' in r, `the ${t.key} form refused ${JSON.stringify(body)}: ${JSON.stringify('errors' in r ? r.errors : null)}`)
  return r.data
}

const status = (t: Task, body: Record<string, unknown> | undefined): TaskStatus => taskStatus(t, body === undefined ? undefined : save(t, body))

describe('the task list', () => {
  test('a family with two children and one adult: per-child tasks for the child domain and views, one task for the rest', () => {
    assert.deepEqual(
      FAMILY.map((t) => t.key),
      [
        'details',
        'present',
        'services',
        'domain-child-11',
        'domain-child-12',
        'domain-parents',
        'domain-family',
        'child-views-11',
        'child-views-12',
        'parent-views',
        'conclusions',
      ],
    )
    assert.equal(task(FAMILY, 'domain-child-11').subjectId, 11)
    assert.equal(task(FAMILY, 'domain-child-12').subjectId, 12)
    assert.equal(task(FAMILY, 'domain-parents').subjectId, 0)
    assert.equal(task(FAMILY, 'child-views-12').section, 'child-views')
  })

  test('in a family, each child’s tasks are titled with the child’s name', () => {
    assert.equal(task(FAMILY, 'domain-child-11').title, 'Development of the child: Lan Nguyen')
    assert.equal(task(FAMILY, 'domain-child-12').title, 'Development of the child: Minh Nguyen')
    assert.equal(task(FAMILY, 'child-views-11').title, 'Lan Nguyen’s views')
    assert.equal(task(FAMILY, 'child-views-12').title, 'Minh Nguyen’s views')
    assert.equal(task(FAMILY, 'domain-parents').title, 'Parents and carers')
    assert.equal(task(FAMILY, 'domain-family').title, 'Family and environment')
  })

  test('a single child’s CAF: one task per domain, titled without a name suffix', () => {
    assert.deepEqual(
      SINGLE.filter((t) => t.section.startsWith('domain-')).map((t) => t.title),
      ['Development of the child', 'Parents and carers', 'Family and environment'],
    )
    assert.equal(SINGLE.filter((t) => t.section === 'child-views').length, 1)
  })

  test('each domain task asks about its configured elements only', () => {
    assert.deepEqual(
      task(FAMILY, 'domain-child-12').fields.map((f) => ('name' in f ? f.name : null)),
      ['general-health', 'behaviour'],
    )
    assert.deepEqual(
      task(FAMILY, 'domain-family').fields.map((f) => ('label' in f ? f.label : null)),
      ['Wider family', 'Housing, employment and financial considerations'],
    )
  })

  test('the family’s details ask about each child and each adult by name', () => {
    const labels = task(FAMILY, 'details').fields.map((f) => ('label' in f ? f.label : ''))
    assert.ok(labels.includes('Lan Nguyen: is an interpreter or signer needed?'))
    assert.ok(labels.includes('Minh Nguyen: is an interpreter or signer needed?'))
    assert.ok(labels.includes('Thi Nguyen: do they have parental responsibility?'))
  })

  test('who was present is chosen from the episode’s people', () => {
    const present = task(FAMILY, 'present').fields.find((f) => f.kind === 'checkboxes')
    assert.ok(present && present.kind === 'checkboxes')
    assert.deepEqual(
      present.options.map((o) => o.text),
      ['Lan Nguyen', 'Minh Nguyen', 'Thi Nguyen'],
    )
  })

  test('the tasks needed to complete are who was present, each child’s and the parents’ views, and the conclusions', () => {
    assert.deepEqual(
      FAMILY.filter((t) => t.required).map((t) => t.key),
      ['present', 'child-views-11', 'child-views-12', 'parent-views', 'conclusions'],
    )
  })
})

describe('a task’s status', () => {
  test('nothing saved: not started', () => {
    for (const t of FAMILY) assert.equal(taskStatus(t, undefined), 'not-started', t.key)
  })

  test('a domain is completed when every element has a narrative or is not applicable', () => {
    const t = task(FAMILY, 'domain-child-11')
    assert.equal(status(t, { 'general-health-narrative': 'Healthy; asthma managed' }), 'in-progress')
    assert.equal(status(t, { 'general-health-practitioner': '7', 'behaviour-practitioner': '5', 'behaviour-family': '6' }), 'in-progress')
    assert.equal(status(t, { 'general-health-narrative': 'Healthy', 'behaviour-na': 'yes' }), 'completed')
    assert.equal(status(t, { 'general-health-narrative': 'Healthy', 'behaviour-narrative': 'Settled at school' }), 'completed')
    const family = task(FAMILY, 'domain-family')
    assert.equal(status(family, { 'wider-family-na': 'yes' }), 'in-progress')
    assert.equal(status(family, { 'wider-family-na': 'yes', 'housing-money-narrative': 'Damp flat, rent arrears' }), 'completed')
  })

  test('conclusions are completed only when there is at least one need and every need has an outcome', () => {
    const t = task(FAMILY, 'conclusions')
    assert.equal(status(t, { strengths: 'A loving family; grandmother helps' }), 'in-progress')
    assert.equal(
      status(t, {
        'needs-1-need': 'Getting to school',
        'needs-1-outcome': 'Lan is in class by 8:50 every day',
        'needs-2-need': 'Damp flat',
      }),
      'in-progress',
    )
    assert.equal(
      status(t, {
        'needs-1-need': 'Getting to school',
        'needs-1-outcome': 'Lan is in class by 8:50 every day',
        'needs-4-need': 'Damp flat',
        'needs-4-outcome': 'The flat is dry by winter',
      }),
      'completed',
    )
  })

  test('views are completed with the views, or the reason they were not recorded', () => {
    const child = task(FAMILY, 'child-views-12')
    assert.equal(status(child, {}), 'in-progress')
    assert.equal(status(child, { views: 'Minh wants to play football again' }), 'completed')
    assert.equal(status(child, { 'not-recorded': 'Minh is 4 months old' }), 'completed')
    const parents = task(FAMILY, 'parent-views')
    assert.equal(status(parents, { differences: 'Mum thinks school is to blame' }), 'in-progress')
    assert.equal(status(parents, { views: 'Mum wants help with the mornings' }), 'completed')
  })

  test('who was present needs the date, someone present and what led to the assessment', () => {
    const t = task(FAMILY, 'present')
    const full = { 'date-day': '3', 'date-month': '2', 'date-year': '2025', present: ['21'], 'led-to': 'School raised attendance' }
    assert.equal(status(t, full), 'completed')
    assert.equal(status(t, { ...full, present: undefined, 'others-present': 'Ms Patel, class teacher' }), 'completed')
    assert.equal(status(t, { ...full, 'date-day': '', 'date-month': '', 'date-year': '' }), 'in-progress')
    assert.equal(status(t, { ...full, present: undefined }), 'in-progress')
    assert.equal(status(t, { ...full, 'led-to': '' }), 'in-progress')
  })

  test('the family’s details are completed when each child’s interpreter need and each adult’s relationship and responsibility are given', () => {
    const t = task(FAMILY, 'details')
    const full = { 'p11-interpreter': 'not-needed', 'p12-interpreter': 'arranged', 'p21-relationship': 'Mother', 'p21-pr': 'yes' }
    assert.equal(status(t, full), 'completed')
    assert.equal(status(t, { ...full, 'p12-interpreter': undefined }), 'in-progress')
    assert.equal(status(t, { ...full, 'p21-pr': undefined }), 'in-progress')
  })

  test('services are completed with either universal or other services', () => {
    const t = task(FAMILY, 'services')
    assert.equal(status(t, {}), 'in-progress')
    assert.equal(status(t, { other: 'Speech and language therapy' }), 'completed')
  })
})

describe('what stops the assessment being completed', () => {
  const CONSENT = { key: 'consent', text: 'Record the family’s consent, naming at least one agency information may be shared with' }
  const statuses = (entries: Record<string, TaskStatus>) => new Map<string, TaskStatus>(Object.entries(entries))

  test('nothing done: every required task, by title, and consent', () => {
    assert.deepEqual(missingForCompletion(FAMILY, statuses({}), false), [
      { key: 'present', text: 'Complete “Who was present and what led to the assessment”' },
      { key: 'child-views-11', text: 'Complete “Lan Nguyen’s views”' },
      { key: 'child-views-12', text: 'Complete “Minh Nguyen’s views”' },
      { key: 'parent-views', text: 'Complete “Parents’ or carers’ views”' },
      { key: 'conclusions', text: 'Complete “Strengths, needs and what should change”' },
      CONSENT,
    ])
  })

  test('optional tasks left undone do not stop it; required ones in progress do', () => {
    const missing = missingForCompletion(
      FAMILY,
      statuses({
        details: 'not-started',
        services: 'in-progress',
        'domain-child-11': 'not-started',
        present: 'completed',
        'child-views-11': 'completed',
        'child-views-12': 'in-progress',
        'parent-views': 'completed',
        conclusions: 'completed',
      }),
      true,
    )
    assert.deepEqual(
      missing.map((m) => m.key),
      ['child-views-12'],
    )
  })

  test('every required task completed and consent in force: nothing missing', () => {
    const done = statuses(Object.fromEntries(FAMILY.filter((t) => t.required).map((t) => [t.key, 'completed' as TaskStatus])))
    assert.deepEqual(missingForCompletion(FAMILY, done, true), [])
    assert.deepEqual(missingForCompletion(FAMILY, done, false), [CONSENT])
  })

  test('statuses worked out from saved answers feed straight into it', () => {
    const answers: Record<string, Record<string, unknown>> = {
      present: { 'date-day': '3', 'date-month': '2', 'date-year': '2025', present: ['11'], 'led-to': 'School raised attendance' },
      'child-views-11': { views: 'Lan wants mornings to be calmer' },
      'parent-views': { 'not-recorded': 'Mum was unwell on the day' },
      conclusions: { 'needs-1-need': 'Getting to school', 'needs-1-outcome': 'In class by 8:50' },
    }
    const computed = new Map(SINGLE.map((t) => [t.key, status(t, answers[t.key])]))
    assert.deepEqual(missingForCompletion(SINGLE, computed, true), [])
    computed.set('conclusions', status(task(SINGLE, 'conclusions'), { 'needs-1-need': 'Getting to school' }))
    assert.deepEqual(
      missingForCompletion(SINGLE, computed, true).map((m) => m.key),
      ['conclusions'],
    )
  })
})
