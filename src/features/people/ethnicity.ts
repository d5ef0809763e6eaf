/** The national ethnicity codes (2001 census based) used by the DfE and Ofsted in children's statistics. */
export const ETHNICITIES = [
  { code: 'WBRI', label: 'White British' },
  { code: 'WIRI', label: 'White Irish' },
  { code: 'WIRT', label: 'Traveller of Irish heritage' },
  { code: 'WOTH', label: 'Any other White background' },
  { code: 'WROM', label: 'Gypsy or Roma' },
  { code: 'MWBC', label: 'White and Black Caribbean' },
  { code: 'MWBA', label: 'White and Black African' },
  { code: 'MWAS', label: 'White and Asian' },
  { code: 'MOTH', label: 'Any other mixed background' },
  { code: 'AIND', label: 'Indian' },
  { code: 'APKN', label: 'Pakistani' },
  { code: 'ABAN', label: 'Bangladeshi' },
  { code: 'AOTH', label: 'Any other Asian background' },
  { code: 'BCRB', label: 'Black Caribbean' },
  { code: 'BAFR', label: 'Black African' },
  { code: 'BOTH', label: 'Any other Black background' },
  { code: 'CHNE', label: 'Chinese' },
  { code: 'OOTH', label: 'Any other ethnic group' },
  { code: 'REFU', label: 'Refused to say' },
  { code: 'NOBT', label: 'Information not yet obtained' },
] as const

export type EthnicityCode = (typeof ETHNICITIES)[number]['code']
export const ETHNICITY_CODES: readonly EthnicityCode[] = ETHNICITIES.map((e) => e.code)
