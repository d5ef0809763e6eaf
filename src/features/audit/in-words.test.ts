import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventInWords } from './in-words.ts'

const names = { users: new Map([[4, 'Sam Jones']]), agencies: new Map([[2, 'Oakfield Primary School']]) }
const words = (action: string, detail: unknown, recordType: string | null = 'episode', recordId: string | null = '12') =>
  eventInWords({ action, recordType, recordId, detail }, names)

test('staff and agencies are named; people stay record numbers; codes read as words', () => {
  assert.deepEqual(words('team.member-added', { userId: 4 }), {
    what: 'Added a practitioner to the Team Around the Family',
    record: 'CAF episode 12',
    details: ['User: Sam Jones'],
  })
  assert.deepEqual(words('consent.recorded', { agencies: [2, 9], decision: 'given', consentId: 3 }).details, [
    'Agencies: Oakfield Primary School, agency 9',
    'Decision: given',
    'Consent: 3',
  ])
  assert.deepEqual(words('episode.started', { people: [8, 7], withoutRight: false }).details, [
    'People: person 8, person 7',
    'Started without a right to the record: no',
  ])
  assert.deepEqual(words('episode.closed', { reason: 'needs-met' }).details, ['Reason: needs met'])
  assert.deepEqual(words('assessment.section-saved', { subjectId: 0, section: 'present' }).details, ['About person: the whole family', 'Section: present'])
})

test('a change of settings is one line per field, and a redacted field says only that it changed', () => {
  const detail = { fields: ['scoreMin', 'safeguardingContact'], from: { scoreMin: 1 }, to: { scoreMin: 0 } }
  assert.deepEqual(words('caf-settings.updated', detail, 'caf-settings', '3'), {
    what: 'Changed the CAF settings',
    record: 'CAF settings 3',
    details: ['Lowest score changed from 1 to 0', 'Safeguarding contact details changed'],
  })
  assert.deepEqual(words('locality.renamed', { from: 'North', to: 'North and East' }, 'locality', '5').details, ['Changed from North to North and East'])
  assert.deepEqual(words('user.updated', { changed: ['fullName', 'jobTitle'], agencyId: 2 }, 'user', '4'), {
    what: 'Changed a user’s details',
    record: 'User 4 (Sam Jones)',
    details: ['Changed: name, job title', 'Agency: Oakfield Primary School'],
  })
})

test('an event the catalogue does not know is shown as it was recorded, and nothing is lost', () => {
  assert.deepEqual(words('test.long-ago', { somethingId: 7, note: 'x' }, null, null), {
    what: 'test.long-ago',
    record: '',
    details: ['Something number: 7', 'Note: x'],
  })
  assert.deepEqual(words('sign-in', null, null, null).details, [])
})
