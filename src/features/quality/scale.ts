import type { QaScaleKey } from '../../db/schema.ts'

/**
 * The scales a council judges its CAFs on, and the areas judged: the one place their words are kept.
 * Many councils have moved from good / satisfactory / poor to Ofsted's four grades, so the council
 * chooses (CAF settings); each audit keeps the scale it was judged on, so a change of scale never
 * rewrites what an auditor said.
 */
export interface Grade {
  value: string
  text: string
  /** Counts towards "judged good or better" on the QA page. */
  goodOrBetter: boolean
}

export const QA_SCALES: Record<QaScaleKey, { name: string; grades: readonly Grade[] }> = {
  'good-satisfactory-poor': {
    name: 'Good, satisfactory, poor',
    grades: [
      { value: 'good', text: 'Good', goodOrBetter: true },
      { value: 'satisfactory', text: 'Satisfactory', goodOrBetter: false },
      { value: 'poor', text: 'Poor', goodOrBetter: false },
    ],
  },
  'outstanding-to-inadequate': {
    name: 'Outstanding, good, requires improvement, inadequate (as Ofsted grades)',
    grades: [
      { value: 'outstanding', text: 'Outstanding', goodOrBetter: true },
      { value: 'good', text: 'Good', goodOrBetter: true },
      { value: 'requires-improvement', text: 'Requires improvement', goodOrBetter: false },
      { value: 'inadequate', text: 'Inadequate', goodOrBetter: false },
    ],
  },
}

export const QA_SCALE_KEYS = Object.keys(QA_SCALES) as QaScaleKey[]

/** What the auditor judges, beyond the checklist the record answers itself. */
export const AREAS = [
  { key: 'detail', text: 'Level of detail', hint: 'Is there enough for someone new to the family to understand it?' },
  { key: 'needs', text: 'Summary of needs', hint: 'Are the needs clear, and do they follow from what the assessment found?' },
  { key: 'strengths', text: 'Strengths', hint: 'Are the family’s strengths and resources recorded, not only problems?' },
  { key: 'risks', text: 'Risks', hint: 'Are risks named, with what happens if nothing changes?' },
  { key: 'outcomes', text: 'Desired outcomes', hint: 'Is each outcome a change for the family that can be seen, not a service?' },
  { key: 'overall', text: 'Overall', hint: 'The quality of the work as a whole: this is the grade the QA page counts' },
] as const
export type AreaKey = (typeof AREAS)[number]['key']
export const AREA_KEYS = AREAS.map((a) => a.key)

export function gradeText(scale: QaScaleKey, value: string | undefined): string {
  return QA_SCALES[scale].grades.find((g) => g.value === value)?.text ?? 'Not judged'
}

export function isGoodOrBetter(scale: QaScaleKey, value: string | undefined): boolean {
  return QA_SCALES[scale].grades.some((g) => g.value === value && g.goodOrBetter)
}

export type Judgements = Record<AreaKey, string>

/** The judgements of a form, each checked against the scale it is judged on: the grades, or area to message. */
export function readJudgements(input: Readonly<Record<string, unknown>>, scale: QaScaleKey): { judgements: Judgements } | { errors: Record<string, string> } {
  const allowed = QA_SCALES[scale].grades.map((g) => g.value)
  const errors: Record<string, string> = {}
  for (const area of AREAS) if (!allowed.includes(String(input[area.key]))) errors[area.key] = `${area.text}: select one of the grades shown`
  if (Object.keys(errors).length) return { errors }
  return { judgements: Object.fromEntries(AREA_KEYS.map((k) => [k, String(input[k])])) as Judgements }
}
