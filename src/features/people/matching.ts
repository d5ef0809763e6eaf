/**
 * Scoring a candidate against what was searched for, with the reasons in words. Pure functions:
 * the database finds candidates (by date of birth, sound and spelling); this decides how alike they are.
 */
import { canonicalGivenNames } from './names.ts'

/** pg_trgm's similarity, so the app and the database agree on "spelt similarly". */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const set = new Set<string>()
    for (const word of s.split(' ').filter(Boolean)) {
      const padded = `  ${word} `
      for (let i = 0; i < padded.length - 2; i++) set.add(padded.slice(i, i + 3))
    }
    return set
  }
  const ga = grams(a)
  const gb = grams(b)
  if (!ga.size || !gb.size) return 0
  let common = 0
  for (const g of ga) if (gb.has(g)) common++
  return common / (ga.size + gb.size - common)
}

/** Edit distance with adjacent transpositions counted as one edit ("Smtih" is one slip from "Smith"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  }
  return d[a.length]![b.length]!
}

export type DateMatch = 'same' | 'swapped' | 'one-digit' | 'different' | 'not-given'

export function compareDates(searched: string | null, recorded: string | null): DateMatch {
  if (!searched) return 'not-given'
  if (!recorded) return 'different'
  if (searched === recorded) return 'same'
  const [y, m, d] = searched.split('-')
  if (`${y}-${d}-${m}` === recorded) return 'swapped'
  const a = searched.replace(/-/g, '')
  const b = recorded.replace(/-/g, '')
  let diff = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++
  return diff === 1 ? 'one-digit' : 'different'
}

interface NamePart {
  text: string
  dm: string
}

type PartMatch = { score: number; words: string } | null

function matchGiven(q: NamePart, p: NamePart, pCanon: string): PartMatch {
  if (!q.text || !p.text) return null
  if (q.text === p.text) return { score: 20, words: 'same given name' }
  if (canonicalGivenNames(q.text).includes(pCanon) || canonicalGivenNames(p.text).some((c) => canonicalGivenNames(q.text).includes(c))) {
    return { score: 16, words: 'given name is a short form or another spelling' }
  }
  if (q.dm && q.dm === p.dm) return { score: 15, words: 'given name sounds alike' }
  if (editDistance(q.text, p.text) <= 2 || trigramSimilarity(q.text, p.text) >= 0.4) return { score: 12, words: 'given name spelt similarly' }
  return null
}

function matchFamily(q: NamePart, p: NamePart): PartMatch {
  if (!q.text || !p.text) return null
  if (q.text === p.text) return { score: 25, words: 'same family name' }
  if (q.dm && q.dm === p.dm) return { score: 20, words: 'family name sounds alike' }
  if (editDistance(q.text, p.text) <= 2 || trigramSimilarity(q.text, p.text) >= 0.4) return { score: 15, words: 'family name spelt similarly' }
  return null
}

export interface Query {
  given: NamePart
  family: NamePart
  dob: string | null
  postcode: string | null
  nhsNumber: string | null
  upn: string | null
  schoolId: number | null
}

export interface Candidate {
  given: NamePart
  family: NamePart
  givenCanon: string
  dob: string | null
  postcode: string | null
  nhsNumber: string | null
  upn: string | null
  schoolId: number | null
}

export interface Match {
  score: number
  reasons: string[]
}

const DATE_POINTS: Record<DateMatch, [number, string | null]> = {
  same: [35, 'same date of birth'],
  swapped: [25, 'date of birth with day and month swapped'],
  'one-digit': [20, 'date of birth one digit different'],
  different: [0, 'different date of birth'],
  'not-given': [0, null],
}

/** How alike a candidate is to the query, 0 to 100, with the reasons a practitioner can check. */
export function scoreCandidate(q: Query, c: Candidate): Match {
  let score = 0
  const reasons: string[] = []
  const add = (points: number, words: string) => {
    score += points
    reasons.push(words)
  }
  if (q.nhsNumber && q.nhsNumber === c.nhsNumber) add(60, 'same NHS number')
  if (q.upn && q.upn === c.upn) add(60, 'same unique pupil number')

  const straight = [matchGiven(q.given, c.given, c.givenCanon), matchFamily(q.family, c.family)]
  const swapped = [matchGiven(q.family, c.given, c.givenCanon), matchFamily(q.given, c.family)]
  const total = (parts: PartMatch[]) => parts.reduce((s, p) => s + (p?.score ?? 0), 0)
  // Only two names can be the other way round: a single word is handled below, as either name.
  const useSwapped = Boolean(q.given.text && q.family.text) && total(swapped) - 3 > total(straight)
  const parts = useSwapped ? swapped : straight
  score += total(parts) - (useSwapped ? 3 : 0)
  if (useSwapped) reasons.push('given and family names the other way round')
  for (const p of parts) if (p) reasons.push(p.words)
  // A single word searched for may be either name.
  if (!q.family.text && !parts[0] && q.given.text) {
    const asFamily = matchFamily(q.given, c.family)
    if (asFamily) add(asFamily.score, asFamily.words)
  }

  const [datePoints, dateWords] = DATE_POINTS[compareDates(q.dob, c.dob)]
  score += datePoints
  if (dateWords) reasons.push(dateWords)
  if (q.postcode && q.postcode === c.postcode) add(10, 'same postcode')
  if (q.schoolId && q.schoolId === c.schoolId) add(5, 'same school')
  return { score: Math.min(100, score), reasons }
}

/** A result at or above this is shown as a likely match (and must be dismissed before creating a new record). */
export const LIKELY_MATCH = 60
