import type { NeedLevel } from './config.ts'

/** The pre-assessment checklist's five questions, in the words practitioners and families use. */
export const QUESTIONS = [
  {
    key: 'healthy',
    short: 'Health',
    text: 'Is the child healthy?',
    hint: 'Physical and mental health, including any disability, and getting to health appointments',
  },
  { key: 'safe', short: 'Safety', text: 'Is the child safe from harm?', hint: 'At home, at school and in the community, including online' },
  {
    key: 'learning',
    short: 'Learning and development',
    text: 'Is the child learning and developing?',
    hint: 'Going to school or a setting, and making progress for their age',
  },
  {
    key: 'impact',
    short: 'Impact on others',
    text: 'Is the child having a positive impact on others?',
    hint: 'How they get on with family, friends and others, and their behaviour',
  },
  {
    key: 'poverty',
    short: 'Money and housing',
    text: 'Is the child free from the negative impact of poverty?',
    hint: 'Enough money for food, heating and housing; the family’s housing is secure',
  },
] as const

/** The questions as a family CAF asks them: once, about all the children. */
export function questionsFor(children: number) {
  if (children < 2) return QUESTIONS.map((q) => ({ ...q }))
  return QUESTIONS.map((q) => ({
    ...q,
    text: q.text.replace('Is the child', 'Are the children'),
    hint: `${q.hint}. If any of them is not, answer No and say who in the note`,
  }))
}
export type QuestionKey = (typeof QUESTIONS)[number]['key']

export const ANSWERS = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'not-sure', text: 'Not sure' },
] as const
export type Answer = (typeof ANSWERS)[number]['value']

/** What the practitioner may decide to do next, each tied to the national tier it usually goes with. */
export const NEXT_STEPS = [
  { value: 'universal', tier: 1, text: 'No additional needs: universal services carry on supporting the child', hint: 'No CAF. The episode ends here.' },
  { value: 'single-agency', tier: 2, text: 'Support from one agency, without a CAF', hint: 'The episode ends here; start a CAF later if needs grow.' },
  { value: 'assessment', tier: 3, text: 'Start a CAF assessment with the family', hint: 'Several agencies are likely to be needed.' },
  {
    value: 'social-care',
    tier: 4,
    text: 'Refer to children’s social care now',
    hint: 'For a child at risk of significant harm. The referral is recorded as the outcome.',
  },
] as const
export type NextStep = (typeof NEXT_STEPS)[number]['value']

export interface Recommendation {
  tier: 1 | 2 | 3 | 4
  level: NeedLevel
  step: NextStep
  /** Why, in words, for the practitioner to weigh. */
  because: string
}

/**
 * The checklist's recommendation. A child who is not safe from harm: refer to social care now. Every
 * answer "yes": no additional needs. One area of concern: one agency can help. Two or more, or doubt
 * about safety: a CAF with several agencies. The practitioner decides; this is advice.
 */
export function recommend(answers: Record<QuestionKey, Answer>, levels: readonly NeedLevel[]): Recommendation {
  const concerns = QUESTIONS.filter((q) => answers[q.key] !== 'yes')
  let tier: Recommendation['tier']
  let because: string
  if (answers.safe === 'no') {
    tier = 4
    because = 'you said the child is not safe from harm'
  } else if (answers.safe === 'not-sure') {
    tier = 3
    because = 'you are not sure the child is safe from harm: talk to your safeguarding lead as well'
  } else if (concerns.length === 0) {
    tier = 1
    because = 'you answered yes to every question'
  } else if (concerns.length === 1) {
    tier = 2
    because = `there is one area of concern (${concerns[0]!.text.replace('Is the child ', '').replace('?', '')})`
  } else {
    tier = 3
    because = `there are ${concerns.length} areas of concern`
  }
  return { tier, level: levelForTier(levels, tier), step: NEXT_STEPS.find((s) => s.tier === tier)!.value, because }
}

/** The council's first visible level of a tier (or the nearest tier below it, if a council has hidden one). */
function levelForTier(levels: readonly NeedLevel[], tier: number): NeedLevel {
  for (let t = tier; t >= 1; t--) {
    const found = levels.find((l) => l.tier === t)
    if (found) return found
  }
  const first = levels[0]
  if (!first) throw new Error('The council has no levels of need configured')
  return first
}
