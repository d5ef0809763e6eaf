import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { allocate } from './sample.ts'

describe('sharing a sample among strata', () => {
  test('in proportion to their sizes', () => {
    assert.deepEqual(
      Object.fromEntries(
        allocate(
          new Map([
            ['North', 9],
            ['South', 3],
          ]),
          4,
        ),
      ),
      { North: 3, South: 1 },
    )
  })

  test('the places left by rounding down go to the largest remainders', () => {
    // 7 of 10, 2 of 10 and 1 of 10 of a sample of 5: 3.5, 1 and 0.5 — the half places go to the largest stratum first.
    assert.deepEqual(
      Object.fromEntries(
        allocate(
          new Map([
            ['A', 7],
            ['B', 2],
            ['C', 1],
          ]),
          5,
        ),
      ),
      { A: 4, B: 1, C: 0 },
    )
    assert.deepEqual(
      Object.fromEntries(
        allocate(
          new Map([
            ['A', 1],
            ['B', 1],
            ['C', 1],
          ]),
          2,
        ),
      ),
      { A: 1, B: 1, C: 0 },
    )
  })

  test('never more than there are, and the whole sample when it asks for more', () => {
    assert.deepEqual(
      Object.fromEntries(
        allocate(
          new Map([
            ['A', 2],
            ['B', 1],
          ]),
          10,
        ),
      ),
      { A: 2, B: 1 },
    )
    assert.deepEqual(Object.fromEntries(allocate(new Map(), 10)), {})
  })
})
