import type { SupportingFamiliesHeadline } from '../../db/schema.ts'

/**
 * The ten headlines of the national Supporting Families outcome framework. A need in the assessment
 * may be put under one; the council's Supporting Families report counts the families with needs under
 * three or more, as the programme's whole-family criteria ask.
 */
export const HEADLINES: readonly { value: SupportingFamiliesHeadline; text: string }[] = [
  { value: 'education', text: 'Getting a good education' },
  { value: 'early-years', text: 'Good early years development' },
  { value: 'health', text: 'Improved mental and physical health' },
  { value: 'substance-use', text: 'Promoting recovery and reducing harm from substance use' },
  { value: 'family-relationships', text: 'Improved family relationships' },
  { value: 'safe-from-abuse', text: 'Children safe from abuse and exploitation' },
  { value: 'crime', text: 'Crime prevention and tackling crime' },
  { value: 'domestic-abuse', text: 'Safe from domestic abuse' },
  { value: 'housing', text: 'Secure housing' },
  { value: 'financial-stability', text: 'Financial stability' },
]

export function isHeadline(value: unknown): value is SupportingFamiliesHeadline {
  return HEADLINES.some((h) => h.value === value)
}

export function headlineText(value: string | null | undefined): string | null {
  return HEADLINES.find((h) => h.value === value)?.text ?? null
}
