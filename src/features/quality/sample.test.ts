import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allocate } from './sample.ts'

/** Each stratum's share of a sample of `size`, for strata of these sizes. */
const shares = (counts: Record<string, number>, size: number) => Object.fromEntries(allocate(new Map(Object.entries(counts)), size))

describe('sharing a sample among strata', () => {
  test('in proportion to their sizes', () => {
    assert.deepEqual(shares({ North: 9, South: 3 }, 4), { North: 3, South: 1 })
  })

  test('the places left by rounding down go to the largest remainders, then to the larger stratum', () => {
    // 7, 2 and 1 of 10, for a sample of 5: 3.5, 1 and 0.5. The half places tie; the larger stratum gets it.
    assert.deepEqual(shares({ A: 7, B: 2, C: 1 }, 5), { A: 4, B: 1, C: 0 })
    assert.deepEqual(shares({ A: 1, B: 1, C: 1 }, 2), { A: 1, B: 1, C: 0 })
    // A third each: equal remainders, whatever floating point would make of them.
    assert.deepEqual(shares({ A: 1, B: 4, C: 4 }, 3), { A: 0, B: 2, C: 1 })
  })

  test('never more than there are, and the whole sample when it asks for more', () => {
    assert.deepEqual(shares({ A: 2, B: 1 }, 10), { A: 2, B: 1 })
    assert.deepEqual(shares({}, 10), {})
  })
})
