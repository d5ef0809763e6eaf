import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { NeedLevel } from './config.ts'
import { QUESTIONS, recommend, type Answer, type QuestionKey } from './pre-assessment-rules.ts'

/** The national defaults seeded by src/db/migrations/0003_episodes.sql. */
const DEFAULT_LEVELS: NeedLevel[] = [
  { code: '1', label: 'Level 1: universal', description: 'No additional needs.', tier: 1 },
  { code: '2', label: 'Level 2: additional needs', description: 'Needs that one agency can meet.', tier: 2 },
  { code: '3', label: 'Level 3: multiple or complex needs', description: 'Needs that call for a CAF.', tier: 3 },
  { code: '4', label: 'Level 4: acute needs', description: 'A child at risk of significant harm.', tier: 4 },
]

const ALL_YES: Record<QuestionKey, Answer> = { healthy: 'yes', safe: 'yes', learning: 'yes', impact: 'yes', poverty: 'yes' }
const answers = (changes: Partial<Record<QuestionKey, Answer>>) => ({ ...ALL_YES, ...changes })
/** The area each question is about, as the recommendation names it. */
const AREAS: Record<Exclude<QuestionKey, 'safe'>, string> = {
  healthy: 'healthy',
  learning: 'learning and developing',
  impact: 'having a positive impact on others',
  poverty: 'free from the negative impact of poverty',
}

describe('the pre-assessment recommendation', () => {
  test('every answer yes: no additional needs, universal services carry on', () => {
    const r = recommend(ALL_YES, DEFAULT_LEVELS)
    assert.equal(r.tier, 1)
    assert.equal(r.step, 'universal')
    assert.equal(r.level.code, '1')
    assert.equal(r.because, 'you answered yes to every question')
  })

  test('the checklist asks the five questions', () => {
    assert.deepEqual(
      QUESTIONS.map((q) => q.key),
      ['healthy', 'safe', 'learning', 'impact', 'poverty'],
    )
  })

  for (const [key, area] of Object.entries(AREAS)) {
    for (const answer of ['no', 'not-sure'] as const) {
      test(`one area of concern (${key} = ${answer}): support from one agency, naming the area in plain words`, () => {
        const r = recommend(answers({ [key]: answer }), DEFAULT_LEVELS)
        assert.equal(r.tier, 2)
        assert.equal(r.step, 'single-agency')
        assert.equal(r.level.code, '2')
        assert.equal(r.because, `there is one area of concern (${area})`)
      })
    }
  }

  test('two areas of concern: a CAF assessment, saying how many', () => {
    const r = recommend(answers({ healthy: 'no', impact: 'not-sure' }), DEFAULT_LEVELS)
    assert.equal(r.tier, 3)
    assert.equal(r.step, 'assessment')
    assert.equal(r.level.code, '3')
    assert.equal(r.because, 'there are 2 areas of concern')
  })

  test('four areas of concern, the child safe: a CAF assessment', () => {
    const r = recommend({ healthy: 'no', safe: 'yes', learning: 'no', impact: 'not-sure', poverty: 'no' }, DEFAULT_LEVELS)
    assert.equal(r.tier, 3)
    assert.equal(r.step, 'assessment')
    assert.equal(r.because, 'there are 4 areas of concern')
  })

  test('not safe from harm: refer to social care now, whatever the other answers', () => {
    for (const rest of ['yes', 'no', 'not-sure'] as const) {
      const r = recommend({ healthy: rest, safe: 'no', learning: rest, impact: rest, poverty: rest }, DEFAULT_LEVELS)
      assert.equal(r.tier, 4, `other answers ${rest}`)
      assert.equal(r.step, 'social-care')
      assert.equal(r.level.code, '4')
      assert.equal(r.because, 'you said the child is not safe from harm')
    }
  })

  test('not sure the child is safe: a CAF, even if every other answer is yes, and the safeguarding lead is mentioned', () => {
    for (const rest of ['yes', 'no', 'not-sure'] as const) {
      const r = recommend({ healthy: rest, safe: 'not-sure', learning: rest, impact: rest, poverty: rest }, DEFAULT_LEVELS)
      assert.equal(r.tier, 3, `other answers ${rest}`)
      assert.equal(r.step, 'assessment')
      assert.equal(r.level.code, '3')
      assert.match(r.because, /not sure the child is safe from harm/)
      assert.match(r.because, /safeguarding lead/)
    }
  })
})

describe('the level recommended is the council’s own', () => {
  test('the default levels give the level of the same tier for each recommendation', () => {
    assert.equal(recommend(ALL_YES, DEFAULT_LEVELS).level, DEFAULT_LEVELS[0])
    assert.equal(recommend(answers({ healthy: 'no' }), DEFAULT_LEVELS).level, DEFAULT_LEVELS[1])
    assert.equal(recommend(answers({ healthy: 'no', learning: 'no' }), DEFAULT_LEVELS).level, DEFAULT_LEVELS[2])
    assert.equal(recommend(answers({ safe: 'no' }), DEFAULT_LEVELS).level, DEFAULT_LEVELS[3])
  })

  test('a council that splits level 2 into 2a and 2b: the first of the tier is recommended', () => {
    const split: NeedLevel[] = [
      DEFAULT_LEVELS[0]!,
      { code: '2a', label: 'Level 2a: emerging needs', description: 'Emerging needs.', tier: 2 },
      { code: '2b', label: 'Level 2b: additional needs', description: 'Additional needs.', tier: 2 },
      DEFAULT_LEVELS[2]!,
      DEFAULT_LEVELS[3]!,
    ]
    const r = recommend(answers({ impact: 'no' }), split)
    assert.equal(r.tier, 2)
    assert.equal(r.level.code, '2a')
    assert.equal(r.level.label, 'Level 2a: emerging needs')
    assert.equal(recommend(answers({ impact: 'no', poverty: 'no' }), split).level.code, '3')
    assert.equal(recommend(ALL_YES, split).level.code, '1')
  })

  test('a council that hid its tier-1 level: "no additional needs" falls back to its lowest visible level, the tier stays 1', () => {
    const noTier1 = DEFAULT_LEVELS.slice(1)
    const r = recommend(ALL_YES, noTier1)
    assert.equal(r.tier, 1)
    assert.equal(r.step, 'universal')
    assert.equal(r.level.code, '2')
    // The other recommendations are unaffected.
    assert.equal(recommend(answers({ healthy: 'no' }), noTier1).level.code, '2')
    assert.equal(recommend(answers({ safe: 'no' }), noTier1).level.code, '4')
  })

  test('a council that hid a middle level: the nearest level of a lower tier is recommended, not a higher one', () => {
    const noTier3 = [DEFAULT_LEVELS[0]!, DEFAULT_LEVELS[1]!, DEFAULT_LEVELS[3]!]
    const r = recommend(answers({ safe: 'not-sure' }), noTier3)
    assert.equal(r.tier, 3)
    assert.equal(r.step, 'assessment')
    assert.equal(r.level.code, '2')
    const noTier2 = [DEFAULT_LEVELS[0]!, DEFAULT_LEVELS[2]!, DEFAULT_LEVELS[3]!]
    assert.equal(recommend(answers({ poverty: 'no' }), noTier2).level.code, '1')
  })

  test('a council with no levels at all is an error, not a silent recommendation', () => {
    assert.throws(() => recommend(ALL_YES, []), /no levels of need configured/)
  })
})
