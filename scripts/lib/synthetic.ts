/** Deterministic randomness and the misspellings people make, for the synthetic population and the search benchmark. */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  }
}
export type Rng = ReturnType<typeof rng>

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data')
const list = (file: string) => fs.readFileSync(path.join(dataDir, file), 'utf8').split(/\s+/).filter(Boolean)
export const NAMES = { female: list('given-female.txt'), male: list('given-male.txt'), family: list('family.txt') }

const NICK: Record<string, string[]> = {
  John: ['Jon', 'Johnny', 'Jack'],
  William: ['Will', 'Bill', 'Liam'],
  Robert: ['Rob', 'Bob'],
  James: ['Jim', 'Jamie'],
  Thomas: ['Tom', 'Tommy'],
  Michael: ['Mike', 'Mick'],
  Alexander: ['Alex'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Joseph: ['Joe'],
  Samuel: ['Sam'],
  Benjamin: ['Ben'],
  Edward: ['Ed', 'Eddie', 'Ted'],
  Charlie: ['Charles'],
  Henry: ['Harry'],
  Jessica: ['Jess'],
  Isabella: ['Izzy', 'Bella'],
  Amelia: ['Millie'],
  Emily: ['Em'],
  Sophia: ['Sophie'],
  Charlotte: ['Lottie'],
  Rebecca: ['Becky'],
  Victoria: ['Vicky'],
  Samantha: ['Sam'],
  Jennifer: ['Jenny'],
  Elizabeth: ['Liz', 'Beth'],
  Muhammad: ['Mohammed', 'Mohamed'],
  Mohammed: ['Muhammad', 'Mohamed'],
  Oliver: ['Ollie'],
  Theodore: ['Theo'],
  Jacob: ['Jake'],
  Joshua: ['Josh'],
  Stephen: ['Steve', 'Steven'],
  Andrew: ['Andy'],
  David: ['Dave'],
  Christopher: ['Chris'],
  Jonathan: ['Jon'],
}

const SOUNDS: [RegExp, string][] = [
  [/i/, 'y'],
  [/y/, 'i'],
  [/ph/, 'f'],
  [/f/, 'ph'],
  [/ck/, 'k'],
  [/c/, 'k'],
  [/ee/, 'ea'],
  [/ou/, 'ow'],
  [/th/, 't'],
  [/([a-z])\1/, '$1'],
  [/s$/, 'z'],
  [/ie$/, 'y'],
  [/y$/, 'ie'],
  [/er$/, 'a'],
  [/a$/, 'ah'],
]

export type Misspelling = 'transposition' | 'substitution' | 'deletion' | 'insertion' | 'sound-alike' | 'nickname' | 'swapped'

function keepCase(original: string, changed: string) {
  return original[0] === original[0]?.toUpperCase() ? changed.charAt(0).toUpperCase() + changed.slice(1) : changed
}

/** One deliberate mistake of the given kind in a name (returns the name unchanged if it cannot apply). */
export function misspell(name: string, kind: Exclude<Misspelling, 'nickname' | 'swapped'>, r: Rng): string {
  const s = name.toLowerCase()
  if (s.length < 3) return name
  const i = r.int(1, s.length - 2)
  switch (kind) {
    case 'transposition':
      return keepCase(name, s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2))
    case 'substitution':
      return keepCase(name, s.slice(0, i) + r.pick([...'aeiourstnl'].filter((c) => c !== s[i])) + s.slice(i + 1))
    case 'deletion':
      return keepCase(name, s.slice(0, i) + s.slice(i + 1))
    case 'insertion':
      return keepCase(name, s.slice(0, i) + s[i] + s.slice(i))
    case 'sound-alike': {
      const rules = SOUNDS.filter(([re]) => re.test(s))
      if (!rules.length) return keepCase(name, s.slice(0, i) + s[i] + s.slice(i))
      const [re, to] = r.pick(rules)
      return keepCase(name, s.replace(re, to))
    }
  }
}

export function nickname(given: string, r: Rng): string | null {
  const options = NICK[given]
  return options ? r.pick(options) : null
}

/** Date-of-birth slips: day and month swapped (when both can be either), or one digit wrong. */
export function slipDate(iso: string, kind: 'swap' | 'digit', r: Rng): string | null {
  const [y, m, d] = iso.split('-')
  if (kind === 'swap') {
    if (Number(d) > 12 || d === m) return null
    return `${y}-${d}-${m}`
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const digits = [...`${y}${m}${d}`]
    const at = r.int(3, 7) // not the century
    digits[at] = String((Number(digits[at]) + r.int(1, 9)) % 10)
    const candidate = `${digits.slice(0, 4).join('')}-${digits.slice(4, 6).join('')}-${digits.slice(6).join('')}`
    const date = new Date(`${candidate}T00:00:00Z`)
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(candidate) && date < new Date()) return candidate
  }
  return null
}

/** A valid-looking NHS number from the range NHS England reserves for testing (999...), never a real one. */
export function syntheticNhsNumber(r: Rng): string {
  for (;;) {
    const body = `999${String(r.int(0, 999_999)).padStart(6, '0')}`
    const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0)
    const check = (11 - (sum % 11)) % 11
    if (check !== 10) return `${body}${check}`
  }
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'
/** A UPN with a correct check letter, under local authority number 999 (not a real council's). */
export function syntheticUpn(r: Rng): string {
  const body = `999${String(r.int(0, 9999)).padStart(4, '0')}${String(r.int(10, 26))}${String(r.int(0, 999)).padStart(3, '0')}`
  let sum = 0
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i + 2)
  return `${UPN_LETTERS[sum % 23]}${body}`
}

/** A postcode in the made-up "DB" (Demo Borough) area: valid in form, not a real place. */
export function syntheticPostcode(r: Rng): string {
  return `DB${r.int(1, 19)} ${r.int(1, 9)}${r.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}${r.pick([...'ABDEFGHJLNPQRSTUWXYZ'])}`
}
