/**
 * Who made a contact or referral to children's social care, coded as the children in need census
 * codes the referral source (DfE, "Children in need census: guide"), so counts match the council's return.
 */
export const REFERRAL_SOURCES = [
  { code: '1A', text: 'Individual: a family member, relative or carer' },
  { code: '1B', text: 'Individual: an acquaintance (including neighbours and childminders)' },
  { code: '1C', text: 'Individual: the child themself' },
  { code: '1D', text: 'Individual: other (including strangers and MPs)' },
  { code: '2A', text: 'Schools' },
  { code: '2B', text: 'Education services' },
  { code: '3A', text: 'Health services: GP' },
  { code: '3B', text: 'Health services: health visitor' },
  { code: '3C', text: 'Health services: school nurse' },
  { code: '3D', text: 'Health services: other primary health services' },
  { code: '3E', text: 'Health services: A&E (emergency department)' },
  { code: '3F', text: 'Health services: other (for example a hospice)' },
  { code: '4', text: 'Housing (the council’s housing or a housing association)' },
  { code: '5A', text: 'The council: social care (for example adult social care)' },
  { code: '5B', text: 'The council: other internal services' },
  { code: '5C', text: 'The council: external (for example another council’s services)' },
  { code: '5D', text: 'The council: early help' },
  { code: '6', text: 'Police' },
  { code: '7', text: 'Other legal agency (including courts, probation, immigration, Cafcass and prisons)' },
  { code: '8', text: 'Other (including children’s centres, independent agencies and voluntary organisations)' },
  { code: '9', text: 'Anonymous' },
  { code: '10', text: 'Unknown' },
] as const

export type ReferralSource = (typeof REFERRAL_SOURCES)[number]['code']
export const SOURCE_CODES = REFERRAL_SOURCES.map((s) => s.code) as [ReferralSource, ...ReferralSource[]]

export function sourceText(code: string): string {
  return REFERRAL_SOURCES.find((s) => s.code === code)?.text ?? code
}

/** Whether the family knows the contact went to early help, and agrees. */
export const FAMILY_AWARE = [
  { value: 'agrees', text: 'Yes, and they agree to early help' },
  { value: 'knows', text: 'They know, and have not agreed yet' },
  { value: 'unaware', text: 'No, the family does not know yet' },
] as const
