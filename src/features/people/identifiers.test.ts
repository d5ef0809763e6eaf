import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { normaliseNhsNumber, normalisePostcode, normaliseUpn } from './identifiers.ts'

describe('NHS number (modulus 11)', () => {
  for (const [input, expected] of [
    ['9434765919', '9434765919'],
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    ['4010232137', '4010232137'],
  ] as const) {
    test(`accepts ${input}`, () => assert.equal(normaliseNhsNumber(input), expected))
  }
  for (const input of ['9434765918', '943476591', '94347659190', 'abcdefghij', '', '1000000010' /* check digit would be 10 */]) {
    test(`refuses "${input}"`, () => assert.equal(normaliseNhsNumber(input), null))
  }
})

describe('Unique pupil number (check letter, modulus 23)', () => {
  for (const [input, expected] of [
    ['A123456789012', 'A123456789012'],
    ['B123456789012', null], // right shape, wrong check letter
    ['H801200001001', 'H801200001001'],
    ['h801200001001', 'H801200001001'],
    ['H 8012 0000 1001', 'H801200001001'],
  ] as const) {
    test(`${expected ? 'accepts' : 'refuses'} ${input}`, () => assert.equal(normaliseUpn(input), expected))
  }
  for (const input of ['I801200001001' /* I is never a check letter */, 'H80120000100', '8012000010011', 'H80120000100S', '']) {
    test(`refuses "${input}"`, () => assert.equal(normaliseUpn(input), null))
  }
  test('a temporary UPN (letter last) is checked with the letter counted', () => {
    // find the check letter for body 80120000100 + 'A' by trying each: exactly one must pass
    const letters = 'ABCDEFGHJKLMNPQRTUVWXYZ'
    const passing = [...letters].filter((c) => normaliseUpn(`${c}80120000100A`) !== null)
    assert.equal(passing.length, 1)
  })
})

describe('UK postcode', () => {
  for (const [input, expected] of [
    ['sw1a1aa', 'SW1A 1AA'],
    ['SW1A  1AA', 'SW1A 1AA'],
    ['m1 1ae', 'M1 1AE'],
    ['B33 8TH', 'B33 8TH'],
    ['CR2 6XH', 'CR2 6XH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['W1A 0AX', 'W1A 0AX'],
    ['GIR 0AA', 'GIR 0AA'],
  ] as const) {
    test(`normalises ${input} to ${expected}`, () => assert.equal(normalisePostcode(input), expected))
  }
  for (const input of ['SW1A', '12345', 'SW1A 1A', 'SW1A1AAA', 'Q1 1AA1', '']) {
    test(`refuses "${input}"`, () => assert.equal(normalisePostcode(input), null))
  }
})
