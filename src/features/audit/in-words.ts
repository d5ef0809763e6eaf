import { actionInWords, RECORD_TYPES } from './actions.ts'

/**
 * An audit event as an administrator reads it: what happened, to which record, and its details in
 * words. The log holds identifiers and field names only (never a child's name or notes); staff and
 * agencies are named, as the administrator manages them, and people stay as record numbers.
 */

export interface Directory {
  users: ReadonlyMap<number, string>
  agencies: ReadonlyMap<number, string>
}

/** Words for the detail keys and changed fields events carry; any other key is spelled out from its name. */
const KEY_WORDS: Record<string, string> = {
  userId: 'User',
  invited: 'Invited',
  agencyId: 'Agency',
  managesLocalityId: 'Locality they manage',
  agencies: 'Agencies',
  people: 'People',
  family: 'Family members invited',
  externals: 'Members without an account invited',
  subjectId: 'About person',
  memberId: 'Person',
  mergedId: 'Merged record',
  meetingId: 'Meeting',
  actionId: 'Action',
  outcomeId: 'Desired outcome',
  reviewId: 'Review',
  consentId: 'Consent',
  withoutRight: 'Started without a right to the record',
  recommendedLevel: 'Level of need recommended',
  level: 'Level of need',
  nextStep: 'Next step',
  handover: 'A handover from another lead',
  scoreMin: 'Lowest score',
  scoreMax: 'Highest score',
  scoreLowLabel: 'Words for the lowest score',
  scoreHighLabel: 'Words for the highest score',
  followUpDays: 'Days before an intention is followed up',
  firstMeetingDays: 'Days to the first meeting',
  nonAttendanceRepeats: 'Missed meetings in a row before it is raised',
  leadAcceptDays: 'Days to accept being lead professional',
  copyGivenDays: 'Days to give the family their copy',
  openLimitDays: 'Days an episode may stay open without a review',
  reminderWeekday: 'Day for reminder emails (1 is Monday)',
  reopenDays: 'Days a closed episode can be reopened',
  followUpMonths: 'Follow-up calls (months after closing)',
  safeguardingContact: 'Safeguarding contact details',
  feedbackAddress: 'Where users send feedback',
  reviewDays: 'Days between reviews',
  fullName: 'Name',
  jobTitle: 'Job title',
  events: 'Events checked',
  intact: 'Unchanged',
}
const USER_KEYS = new Set(['userId', 'invited', 'users'])
const AGENCY_KEYS = new Set(['agencyId', 'agencies'])
const PERSON_KEYS = new Set(['people', 'family', 'subjectId', 'memberId', 'mergedId', 'joined', 'left'])

/** "recommendedLevel" -> "Recommended level"; "meeting_id" -> "Meeting number". */
function keyInWords(key: string): string {
  if (KEY_WORDS[key]) return KEY_WORDS[key]
  const words = key
    .replace(/Ids?$/, (m) => (m === 'Ids' ? ' numbers' : ' number'))
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function valueInWords(key: string, value: unknown, names: Directory): string {
  if (Array.isArray(value)) return value.length ? value.map((v) => valueInWords(key, v, names)).join(', ') : 'none'
  if (value === null || value === undefined || value === '') return 'none'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number' && USER_KEYS.has(key)) return names.users.get(value) ?? `user ${value}`
  if (typeof value === 'number' && AGENCY_KEYS.has(key)) return names.agencies.get(value) ?? `agency ${value}`
  if (typeof value === 'number' && PERSON_KEYS.has(key)) return value === 0 ? 'the whole family' : `person ${value}`
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${keyInWords(k)}: ${valueInWords(k, v, names)}`)
      .join('; ')
  // Codes such as "needs-met" read as words.
  return typeof value === 'string' && /^[a-z]+(-[a-z]+)+$/.test(value) ? value.replace(/-/g, ' ') : String(value)
}

/** The detail of an event, one line each. A change of settings ("fields", "from", "to") is one line per field. */
export function detailInWords(detail: Record<string, unknown>, names: Directory): string[] {
  const { fields, from, to, ...rest } = detail
  const lines: string[] = []
  if (Array.isArray(fields)) {
    const before = (from ?? {}) as Record<string, unknown>
    const after = (to ?? {}) as Record<string, unknown>
    for (const field of fields.map(String)) {
      lines.push(
        field in after
          ? `${keyInWords(field)} changed from ${valueInWords(field, before[field], names)} to ${valueInWords(field, after[field], names)}`
          : `${keyInWords(field)} changed`,
      )
    }
  } else if (from !== undefined || to !== undefined) {
    lines.push(`Changed from ${valueInWords('', from, names)} to ${valueInWords('', to, names)}`)
  }
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'changed' && Array.isArray(value))
      lines.push(`Changed: ${value.length ? value.map((f) => keyInWords(String(f)).toLowerCase()).join(', ') : 'nothing'}`)
    else lines.push(`${keyInWords(key)}: ${valueInWords(key, value, names)}`)
  }
  return lines
}

/** The record an event is about: "CAF episode 12", "User 4 (Sam Jones)". */
export function recordInWords(type: string | null, id: string | null, names: Directory): string {
  if (!type) return ''
  const kind = RECORD_TYPES[type] ?? type
  if (!id) return kind
  const named = type === 'user' ? names.users.get(Number(id)) : type === 'agency' ? names.agencies.get(Number(id)) : undefined
  return named ? `${kind} ${id} (${named})` : `${kind} ${id}`
}

export function eventInWords(
  event: { action: string; recordType: string | null; recordId: string | null; detail: unknown },
  names: Directory,
): { what: string; record: string; details: string[] } {
  const detail = event.detail && typeof event.detail === 'object' && !Array.isArray(event.detail) ? (event.detail as Record<string, unknown>) : {}
  return { what: actionInWords(event.action), record: recordInWords(event.recordType, event.recordId, names), details: detailInWords(detail, names) }
}
