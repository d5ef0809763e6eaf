import { z } from 'zod'
import type { Attendance } from '../../db/schema.ts'
import { choice, dateFields, integer, isEmail, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { londonInstant, readDate, readTime, today } from '../../web/dates.ts'
import type { FamilyInvite } from './family.ts'
import { ATTENDANCE, hasStarted } from './repository.ts'

/** The form fields and readers the meeting pages share: when and where, and the write-up of a meeting held. */

export const DURATIONS = ['30', '45', '60', '90', '120'] as const
export const WHEN_ORDER = ['date-day', 'time', 'duration', 'place']
export const MEETING_CONFLICT =
  'Someone else changed this meeting while you were editing it, so your changes were not saved. Copy anything you typed, open the meeting again to see their changes, then make yours'

export const whenFields = {
  ...dateFields('date', 'Date'),
  time: text('Time', { max: 10, requiredMessage: 'Enter the time the meeting starts, like 10:30 or 2pm' }),
  duration: choice('How long', DURATIONS, 'Select how long the meeting will be'),
  place: text('Place', { max: 300, requiredMessage: 'Enter where the meeting will be' }),
}

export const personFields = {
  chair: integer('Chair', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will chair the meeting' }),
  minuteTaker: integer('Minute taker', { min: 1, max: 1_000_000_000, requiredMessage: 'Select who will take the minutes' }),
}

export const writeUpFields = {
  familyPresent: choice('Family present', ['yes', 'no'] as const, 'Select whether the family was at the meeting'),
  familyAbsentReason: optionalText('Why the family was not there', { max: 2000, multiline: true }),
  minutes: text('Minutes', { max: 50_000, multiline: true, requiredMessage: 'Enter the minutes of the meeting' }),
  decisions: optionalText('Decisions', { max: 20_000, multiline: true }),
}
export const WRITE_UP_ORDER = ['familyPresent', 'familyAbsentReason', 'minutes', 'decisions']

/**
 * A form with fields per person as well as its own: attendance-<id> on a write-up; family-<id> and
 * family-<id>-email (how a family member is invited) on the arrange form. The route checks each person.
 */
function withPersonFields<T extends z.ZodRawShape>(shape: T, name: RegExp) {
  return z
    .object(shape)
    .catchall(z.string().max(300))
    .refine((b) => Object.keys(b).every((k) => k in shape || name.test(k)), {
      message: 'The form had information in it that we did not expect. Check your answers and submit the form again',
    })
}
export const withAttendance = <T extends z.ZodRawShape>(shape: T) => withPersonFields(shape, /^attendance-\d{1,12}$/)
export const withFamilyInvites = <T extends z.ZodRawShape>(shape: T) => withPersonFields(shape, /^family-\d{1,12}(-email)?$/)

/** How each family member taking part in the team is invited ("" for not invited), from family-<id> fields. */
export function readFamilyInvites(input: Record<string, unknown>, taking: readonly { id: number; name: string }[], errors: FieldErrors): FamilyInvite[] {
  const invites: FamilyInvite[] = []
  for (const [key, value] of Object.entries(input)) {
    const id = Number(/^family-(\d+)$/.exec(key)?.[1])
    if (!id || value === '') continue
    const person = taking.find((p) => p.id === id)
    if (!person) {
      errors.form = 'Invite only family members who take part in the team'
      continue
    }
    if (value !== 'email' && value !== 'letter') {
      errors[key] = `Select how ${person.name} is invited`
      continue
    }
    const email = String(input[`${key}-email`] ?? '')
      .trim()
      .toLowerCase()
    if (value === 'email' && !email) errors[`${key}-email`] = `Enter ${person.name}’s email address, or invite them by letter`
    else if (value === 'email' && !isEmail(email)) errors[`${key}-email`] = `Enter ${person.name}’s email address in the correct format, like name@example.com`
    invites.push({ personId: id, method: value, email: value === 'email' ? email : null })
  }
  return invites
}

/**
 * The start time from the date and time boxes, or the errors to show. A meeting to arrange starts
 * today or later; one written up afterwards has already started.
 */
export function readWhen(input: Record<string, unknown>, when: 'to-come' | 'held'): { at: Date } | { errors: FieldErrors } {
  const date = readDate(input, 'date', 'Date', when === 'to-come' ? { notBefore: today() } : { notAfter: today() })
  const time = readTime(String(input.time ?? ''))
  const errors: FieldErrors = {}
  if ('error' in date) {
    errors['date-day'] =
      when === 'to-come' && date.error.endsWith('in the future')
        ? 'Date must be today or in the future. To write up a meeting that has already happened, record a past meeting instead'
        : date.error
  }
  if (!time) errors.time = 'Enter the time in the right format, like 10:30 or 2pm'
  if (Object.keys(errors).length) return { errors }
  const at = londonInstant((date as { iso: string }).iso, time!.hours, time!.minutes)
  if (when === 'held' && !hasStarted(at)) return { errors: { time: 'Time must be in the past: the meeting must have started already' } }
  return { at }
}

/** Whether the family was there, and why not: the reason is needed when they were not. */
export function readFamilyPresence(input: { familyPresent: 'yes' | 'no'; familyAbsentReason: string | null }, errors: FieldErrors) {
  if (input.familyPresent === 'no' && !input.familyAbsentReason) errors.familyAbsentReason = 'Enter why the family was not at the meeting'
  return { familyPresent: input.familyPresent === 'yes', familyAbsentReason: input.familyAbsentReason }
}

export const isAttendance = (value: unknown): value is Attendance => ATTENDANCE.some((a) => a.value === value)
