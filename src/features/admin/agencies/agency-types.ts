/**
 * The fixed list of agency types, the same for every council so that reports compare like with like.
 * Migration 0001 puts the same list in the agency_types table (a test checks they agree).
 */
export const AGENCY_TYPES = [
  { code: 'primary_school', label: 'Primary school' },
  { code: 'secondary_school', label: 'Secondary school' },
  { code: 'special_school', label: 'Special school' },
  { code: 'early_years', label: 'Early years setting or nursery' },
  { code: 'further_education', label: 'College or further education' },
  { code: 'health_visiting', label: 'Health visiting team' },
  { code: 'school_nursing', label: 'School nursing team' },
  { code: 'gp_practice', label: 'GP practice' },
  { code: 'health_trust', label: 'Health trust or hospital' },
  { code: 'mental_health', label: "Children's mental health service" },
  { code: 'police', label: 'Police' },
  { code: 'housing', label: 'Housing' },
  { code: 'youth_justice', label: 'Youth justice service' },
  { code: 'childrens_social_care', label: "Children's social care" },
  { code: 'early_help', label: 'Council early help or family support' },
  { code: 'adult_services', label: 'Adult services' },
  { code: 'voluntary', label: 'Voluntary or community organisation' },
  { code: 'other', label: 'Other' },
] as const

export type AgencyType = (typeof AGENCY_TYPES)[number]['code']
export const AGENCY_TYPE_CODES: readonly AgencyType[] = AGENCY_TYPES.map((t) => t.code)
