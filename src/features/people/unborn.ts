import { addMonths, today } from '../../web/dates.ts'

/** The youngest a person can be for the register to offer adding an unborn baby to her record. */
export const YOUNGEST_MOTHER_YEARS = 12

/**
 * Whether a person's record offers "Add an unborn baby of this mother": not a man, not an unborn baby,
 * and not a child under 12 (a person with no date of birth recorded may be offered it).
 */
export function mayAddUnbornBaby(p: { sex: string | null; date_of_birth: string | null; expected_delivery_date: string | null }, on = today()): boolean {
  if (p.sex === 'male' || p.expected_delivery_date) return false
  return !p.date_of_birth || addMonths(p.date_of_birth, 12 * YOUNGEST_MOTHER_YEARS) <= on
}
