import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { FieldErrors } from '../../web/forms.ts'
import { answerText, formValuesOf, NARRATIVE_MAX, readSection, type Field, type SectionData } from './fields.ts'

const FIELDS: Field[] = [
  { kind: 'person', personId: 7, label: 'Lan Nguyen' },
  { kind: 'text', name: 'others-present', label: 'Anyone else present' },
  { kind: 'textarea', name: 'led-to', label: 'What led to this assessment?' },
  {
    kind: 'radios',
    name: 'pr',
    label: 'Do they have parental responsibility?',
    options: [
      { value: 'yes', text: 'Yes' },
      { value: 'no', text: 'No' },
    ],
  },
  {
    kind: 'checkboxes',
    name: 'present',
    label: 'Who from the family was present?',
    options: [
      { value: '7', text: 'Lan Nguyen' },
      { value: '8', text: 'Minh Nguyen' },
      { value: '9', text: 'Thi Nguyen' },
    ],
  },
  { kind: 'date', name: 'date', label: 'Date of the assessment' },
  { kind: 'element', name: 'general-health', label: 'General health' },
  { kind: 'element', name: 'behaviour', label: 'Behavioural development' },
  { kind: 'needs', name: 'needs', rows: 4 },
]
const SCALE = { min: 1, max: 10 }

function saved(body: Record<string, unknown>, fields: readonly Field[] = FIELDS, scale = SCALE): SectionData {
  const r = readSection(fields, body, scale)
  assert.ok('data' in r, `expected the section to save, got ${JSON.stringify('errors' in r ? r.errors : null)}`)
  return r.data
}

function refused(body: Record<string, unknown>, fields: readonly Field[] = FIELDS, scale = SCALE): FieldErrors {
  const r = readSection(fields, body, scale)
  assert.ok('errors' in r, `expected the section to be refused, but it saved ${JSON.stringify('data' in r ? r.data : null)}`)
  return r.errors
}

/** An ISO date some days from today (UTC), and its three boxes. */
function dayOffset(days: number) {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() + days)
  return { day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()), iso: d.toISOString().slice(0, 10) }
}

describe('narratives', () => {
  test('a narrative of 20,000 characters is stored complete, in a text area and in an element', () => {
    assert.equal(NARRATIVE_MAX, 20_000)
    const long = 'Lan finds mornings hard.\n'.repeat(800).slice(0, 19_999) + '.'
    assert.equal(long.length, 20_000)
    const edge = 'x'.repeat(19_999) + 'z'
    const data = saved({ 'led-to': long, 'general-health-narrative': edge })
    assert.equal(data['led-to'], long)
    assert.equal(data['general-health-narrative'], edge)
    assert.equal((data['general-health-narrative'] as string).length, 20_000)
  })

  test('a narrative of 20,001 characters is refused, naming the field, and nothing is cut short', () => {
    const errors = refused({ 'led-to': 'a'.repeat(20_001) })
    assert.equal(errors['led-to'], 'What led to this assessment? must be 20,000 characters or fewer')
    const elementErrors = refused({ 'behaviour-narrative': 'b'.repeat(20_001) })
    assert.equal(elementErrors['behaviour-narrative'], 'Behavioural development must be 20,000 characters or fewer')
  })

  test('line breaks typed in a narrative are kept, and spaces around it are trimmed', () => {
    const data = saved({ 'led-to': '  School raised concerns.\r\n\r\nMum agreed to the assessment.  ' })
    assert.equal(data['led-to'], 'School raised concerns.\n\nMum agreed to the assessment.')
  })

  test('a single-line answer refuses a tab or a line break', () => {
    const errors = refused({ 'others-present': 'Ms Patel\tclass teacher' })
    assert.match(errors['others-present']!, /^Anyone else present must not contain special characters/)
    assert.ok('others-present' in refused({ 'others-present': 'Ms Patel\nclass teacher' }))
  })
})

describe('scores', () => {
  test('scores within the scale are stored as numbers, both ends included', () => {
    const data = saved({ 'general-health-practitioner': '1', 'general-health-family': '10', 'behaviour-practitioner': ' 7 ' })
    assert.equal(data['general-health-practitioner'], 1)
    assert.equal(data['general-health-family'], 10)
    assert.equal(data['behaviour-practitioner'], 7)
    assert.equal(data['behaviour-family'], null)
  })

  for (const bad of ['0', '11', 'abc', '5.5', '-1', '1e1']) {
    test(`a score of "${bad}" on a 1 to 10 scale is refused, naming the element and the scale`, () => {
      const errors = refused({ 'general-health-practitioner': bad, 'behaviour-family': bad })
      assert.equal(errors['general-health-practitioner'], "General health: the practitioner's score must be a number from 1 to 10")
      assert.equal(errors['behaviour-family'], "Behavioural development: the family's score must be a number from 1 to 10")
    })
  }

  test('the council’s own scale is what counts', () => {
    const scale = { min: 0, max: 5 }
    assert.equal(saved({ 'general-health-family': '0' }, FIELDS, scale)['general-health-family'], 0)
    assert.equal(
      refused({ 'general-health-family': '6' }, FIELDS, scale)['general-health-family'],
      "General health: the family's score must be a number from 0 to 5",
    )
    assert.ok('general-health-family' in refused({ 'general-health-family': '0' }))
  })

  test('"not applicable" is ticked or not, and nothing else', () => {
    assert.equal(saved({ 'behaviour-na': 'yes' })['behaviour-na'], true)
    assert.equal(saved({})['behaviour-na'], false)
    assert.match(refused({ 'behaviour-na': 'maybe' })['behaviour-na']!, /^Behavioural development: "not applicable"/)
  })
})

describe('what the form may send', () => {
  test('an unknown field name is refused for the whole form', () => {
    const errors = refused({ 'led-to': 'Concerns from school', 'is-admin': 'yes' })
    assert.equal(errors.form, 'The form had information in it that we did not expect. Check your answers and submit the form again')
  })

  test('a field name from another element, or a needs row beyond the form’s rows, is unknown', () => {
    assert.ok(refused({ 'speech-language-narrative': 'Talks well' }).form)
    assert.ok(refused({ 'needs-5-need': 'A fifth need' }).form)
  })

  test('a repeated single field is refused, not joined or half kept', () => {
    assert.equal(refused({ 'led-to': ['first', 'second'] })['led-to'], 'This question must have a single answer')
    assert.equal(refused({ pr: ['yes', 'no'] }).pr, 'This question must have a single answer')
    assert.equal(refused({ 'general-health-practitioner': ['3', '4'] })['general-health-practitioner'], 'This question must have a single answer')
  })

  test('a radio answer must be one of the options', () => {
    assert.equal(saved({ pr: 'no' }).pr, 'no')
    assert.equal(refused({ pr: 'perhaps' }).pr, 'Do they have parental responsibility?: select one of the options shown')
  })

  test('checkboxes accept only the values listed, one or several, without repeats', () => {
    assert.deepEqual(saved({ present: '8' }).present, ['8'])
    assert.deepEqual(saved({ present: ['7', '9', '7'] }).present, ['7', '9'])
    assert.equal(refused({ present: ['7', '42'] }).present, 'Who from the family was present?: select from the options shown')
    assert.ok(refused({ present: 'everyone' }).present)
  })
})

describe('dates', () => {
  test('a past date is stored as an ISO date', () => {
    assert.equal(saved({ 'date-day': '3', 'date-month': '2', 'date-year': '2025' }).date, '2025-02-03')
  })

  test('today is accepted', () => {
    const t = dayOffset(0)
    assert.equal(saved({ 'date-day': t.day, 'date-month': t.month, 'date-year': t.year }).date, t.iso)
  })

  test('a date in the future is refused', () => {
    const t = dayOffset(1)
    assert.equal(refused({ 'date-day': t.day, 'date-month': t.month, 'date-year': t.year })['date-day'], 'Date of the assessment must be today or in the past')
  })

  test('a date that does not exist (31 2 2026) is refused', () => {
    assert.equal(
      refused({ 'date-day': '31', 'date-month': '2', 'date-year': '2026' })['date-day'],
      'Date of the assessment must be a real date, like 27 3 2026',
    )
    assert.ok(refused({ 'date-day': '1', 'date-month': '13', 'date-year': '2025' })['date-day'])
    assert.ok(refused({ 'date-day': 'first', 'date-month': '1', 'date-year': '2025' })['date-day'])
  })

  test('a date with a box left empty is refused', () => {
    assert.equal(refused({ 'date-day': '3', 'date-month': '', 'date-year': '2025' })['date-day'], 'Date of the assessment must include a day, month and year')
  })

  test('a date left empty is no answer', () => {
    assert.equal(saved({ 'date-day': '', 'date-month': '', 'date-year': '' }).date, null)
  })

  test('"check your answers" and the family’s copy show a date the UK way, in words', () => {
    const date = FIELDS.find((f) => f.kind === 'date')!
    assert.equal(answerText(date, saved({ 'date-day': '1', 'date-month': '12', 'date-year': '2025' })), '1 December 2025')
  })
})

describe('needs', () => {
  test('blank rows are ignored and the needs keep the order typed', () => {
    const data = saved({
      'needs-1-need': 'Lan gets to school on time',
      'needs-1-term': 'short',
      'needs-1-outcome': 'Lan is in class by 8:50 every day',
      'needs-2-need': '',
      'needs-2-term': '',
      'needs-2-outcome': '',
      'needs-3-need': 'Housing is damp',
      'needs-4-need': 'Mum’s health',
      'needs-4-outcome': 'Mum sees her GP about her back',
      'needs-4-headline': 'health',
    })
    assert.deepEqual(data.needs, [
      { need: 'Lan gets to school on time', term: 'short', outcome: 'Lan is in class by 8:50 every day', headline: null },
      { need: 'Housing is damp', term: null, outcome: null, headline: null },
      { need: 'Mum’s health', term: null, outcome: 'Mum sees her GP about her back', headline: 'health' },
    ])
  })

  test('a Supporting Families headline not on the list is refused, and one without a need', () => {
    assert.equal(
      refused({ 'needs-1-need': 'Rent arrears', 'needs-1-headline': 'wealth' })['needs-1-headline'],
      'Need 1: select a Supporting Families headline from the options shown',
    )
    assert.ok(refused({ 'needs-1-headline': 'housing' })['needs-1-need'])
  })

  test('a row with an outcome but no need is refused', () => {
    const errors = refused({ 'needs-2-outcome': 'Lan sleeps through the night' })
    assert.equal(errors['needs-2-need'], 'Need 2: describe the need, or clear its other answers')
  })

  test('a row with only a term is refused, and a term not offered is refused', () => {
    assert.ok(refused({ 'needs-1-term': 'medium' })['needs-1-need'])
    assert.equal(refused({ 'needs-1-need': 'Sleep', 'needs-1-term': 'never' })['needs-1-term'], 'Need 1: select when it should be met from the options shown')
  })
})

describe('nothing is required', () => {
  test('an empty form saves as empty answers', () => {
    assert.deepEqual(saved({}), {
      'others-present': null,
      'led-to': null,
      pr: null,
      present: [],
      date: null,
      'general-health-narrative': null,
      'general-health-na': false,
      'general-health-practitioner': null,
      'general-health-family': null,
      'behaviour-narrative': null,
      'behaviour-na': false,
      'behaviour-practitioner': null,
      'behaviour-family': null,
      needs: [],
    })
  })

  test('spaces alone are no answer', () => {
    const data = saved({ 'led-to': '   ', 'others-present': ' ', 'general-health-practitioner': '  ' })
    assert.equal(data['led-to'], null)
    assert.equal(data['others-present'], null)
    assert.equal(data['general-health-practitioner'], null)
  })
})

describe('the form filled in again from what was saved', () => {
  const body = {
    'others-present': 'Ms Patel, class teacher',
    'led-to': 'School raised concerns about attendance.\n\nMum asked for help.',
    pr: 'yes',
    present: ['7', '9'],
    'date-day': '5',
    'date-month': '3',
    'date-year': '2025',
    'general-health-narrative': 'Healthy; asthma well managed',
    'general-health-practitioner': '8',
    'general-health-family': '9',
    'behaviour-na': 'yes',
    'behaviour-family': '4',
    'needs-1-need': 'Getting to school',
    'needs-1-term': 'short',
    'needs-1-outcome': 'In class by 8:50 every day',
    'needs-3-need': 'Damp flat',
    'needs-3-term': 'long',
  }

  test('shows the boxes as they were typed: date parts without leading zeros, scores, ticks, needs rows', () => {
    const values = formValuesOf(FIELDS, saved(body))
    assert.equal(values['date-day'], '5')
    assert.equal(values['date-month'], '3')
    assert.equal(values['date-year'], '2025')
    assert.equal(values['general-health-practitioner'], '8')
    assert.equal(values['behaviour-practitioner'], '')
    assert.equal(values['behaviour-na'], 'yes')
    assert.equal(values['general-health-na'], '')
    assert.deepEqual(values.present, ['7', '9'])
    assert.equal(values['needs-1-need'], 'Getting to school')
    assert.equal(values['needs-2-need'], 'Damp flat')
    assert.equal(values['needs-2-term'], 'long')
    assert.equal(values['needs-2-outcome'], '')
  })

  test('submitting the values again saves exactly the same answers', () => {
    const first = saved(body)
    const again = saved(formValuesOf(FIELDS, first))
    assert.deepEqual(again, first)
    assert.equal(again.date, '2025-03-05')
  })

  test('an empty section round-trips to empty answers', () => {
    const first = saved({})
    assert.deepEqual(saved(formValuesOf(FIELDS, first)), first)
  })

  test('a two-digit day and month and a zero-less score round-trip too', () => {
    const first = saved({ 'date-day': '28', 'date-month': '12', 'date-year': '2024', 'behaviour-practitioner': '10', 'behaviour-family': '1' })
    assert.deepEqual(saved(formValuesOf(FIELDS, first)), first)
    assert.equal(first.date, '2024-12-28')
  })
})
