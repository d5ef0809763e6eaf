import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compareDates, editDistance, LIKELY_MATCH, scoreCandidate, trigramSimilarity, type Candidate, type Query } from './matching.ts'
import { canonicalGivenNames, normaliseName, searchKeys } from './names.ts'
import { dateVariants, splitSearchText } from './search.ts'

describe('names', () => {
  test('are compared without accents, apostrophes or case, in any script', () => {
    assert.equal(normaliseName("Siân O'Neill"), 'sian oneill')
    assert.equal(normaliseName('Nguyễn'), 'nguyen')
    assert.equal(normaliseName('Smith-Jones'), 'smith jones')
    assert.equal(normaliseName('محمد'), 'محمد')
  })
  test('nicknames lead to the names they come from', () => {
    assert.deepEqual(canonicalGivenNames('jon').sort(), ['john', 'jonathan'])
    assert.deepEqual(canonicalGivenNames('bill'), ['william'])
    assert.deepEqual(canonicalGivenNames('zebedee'), ['zebedee'])
    assert.equal(searchKeys('Johnny', 'Smith').given_canon, 'john')
  })
})

describe('dates of birth', () => {
  test('a slip is recognised for what it is', () => {
    assert.equal(compareDates('2015-03-04', '2015-03-04'), 'same')
    assert.equal(compareDates('2015-04-03', '2015-03-04'), 'swapped')
    assert.equal(compareDates('2015-03-14', '2015-03-04'), 'one-digit')
    assert.equal(compareDates('2016-03-14', '2015-03-04'), 'different')
    assert.equal(compareDates(null, '2015-03-04'), 'not-given')
  })
  test('the variants searched include the swap and one-digit slips, and no impossible dates', () => {
    const v = dateVariants('2015-04-03')
    assert.equal(v[0], '2015-04-03')
    assert.ok(v.includes('2015-03-04'))
    assert.ok(v.includes('2015-04-08'))
    assert.ok(v.includes('2013-04-03'))
    assert.ok(!v.some((d) => d.endsWith('-04-33') || d.startsWith('0015')))
  })
  test('a date typed in the search box is read day first, as in the UK', () => {
    assert.deepEqual(splitSearchText('Jon Smyth 3/4/2015'), { names: ['jon', 'smyth'], date: '2015-04-03' })
    assert.deepEqual(splitSearchText('31.12.09 Ali'), { names: ['ali'], date: '2009-12-31' })
    assert.deepEqual(splitSearchText('Ali 31/02/2015'), { names: ['ali'], date: null })
  })
  test('a date written out, or the other way round, is read as a date of birth too (issue 15 item 7)', () => {
    for (const [typed, names] of [
      ['Mason 4 March 2015', ['mason']],
      ['Mason 4 Mar 15', ['mason']],
      ['Mason 4th March, 2015', ['mason']],
      ['2015-03-04 Mason', ['mason']],
      ['Mason Ali born 4 March 2015', ['mason', 'ali']],
      ['Mason dob 04-Mar-2015', ['mason']],
    ] as const) {
      assert.deepEqual(splitSearchText(typed), { names, date: '2015-03-04' }, typed)
    }
    assert.deepEqual(splitSearchText('Rosie, born 27 October 2018'), { names: ['rosie'], date: '2018-10-27' })
    assert.deepEqual(splitSearchText('March Hare'), { names: ['march', 'hare'], date: null }, 'a month alone is a name')
    assert.deepEqual(splitSearchText('May 30 Feb 2015'), { names: ['may'], date: null }, 'an impossible date is not a date, and not a name either')
  })
})

describe('spelling', () => {
  test('a transposition is one edit', () => {
    assert.equal(editDistance('smith', 'smtih'), 1)
    assert.equal(editDistance('smith', 'smyth'), 1)
    assert.equal(editDistance('smith', 'jones'), 5)
  })
  test('trigram similarity agrees with pg_trgm on simple cases', () => {
    assert.equal(trigramSimilarity('smith', 'smith'), 1)
    assert.ok(trigramSimilarity('john smith', 'jon smith') > 0.5)
    assert.equal(trigramSimilarity('abc', 'xyz'), 0)
  })
})

describe('scoring', () => {
  const person: Candidate = {
    given: { text: 'john', dm: 'JN' },
    family: { text: 'smith', dm: 'SM0' },
    givenCanon: 'john',
    dob: '2015-03-04',
    postcode: 'DB1 4QT',
    nhsNumber: null,
    upn: null,
    schoolId: null,
  }
  const query = (over: Partial<Query>): Query => ({
    given: { text: 'john', dm: 'JN' },
    family: { text: 'smith', dm: 'SM0' },
    dob: '2015-03-04',
    postcode: null,
    nhsNumber: null,
    upn: null,
    schoolId: null,
    ...over,
  })
  test('the same name and date of birth is a likely match, explained', () => {
    const m = scoreCandidate(query({}), person)
    assert.ok(m.score >= LIKELY_MATCH)
    assert.deepEqual(m.reasons, ['same given name', 'same family name', 'same date of birth'])
  })
  test('"Jon Smyth 3/4/2015" is a likely match for John Smith born 4 March 2015', () => {
    const m = scoreCandidate(query({ given: { text: 'jon', dm: 'JN' }, family: { text: 'smyth', dm: 'SM0' }, dob: '2015-04-03' }), person)
    assert.ok(m.score >= LIKELY_MATCH, String(m.score))
    assert.ok(m.reasons.includes('date of birth with day and month swapped'))
    assert.ok(m.reasons.includes('family name sounds alike'))
  })
  test('names the other way round are recognised and said so', () => {
    const m = scoreCandidate(query({ given: { text: 'smith', dm: 'SM0' }, family: { text: 'john', dm: 'JN' } }), person)
    assert.ok(m.reasons.includes('given and family names the other way round'))
    assert.ok(m.score >= LIKELY_MATCH)
  })
  test('a different person with the same family name is not a likely match', () => {
    const m = scoreCandidate(query({ given: { text: 'amelia', dm: 'AML' }, dob: '2018-11-30' }), person)
    assert.ok(m.score < LIKELY_MATCH, String(m.score))
  })
})
