/** Checks a council's data team expects on the identifiers that link records across agencies. */

/** NHS number: 10 digits, the last a modulus 11 check digit. Spaces and hyphens as people type them are allowed. */
export function normaliseNhsNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '')
  if (!/^\d{10}$/.test(digits)) return null
  const sum = [...digits.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  if (expected === 10 || expected !== Number(digits[9])) return null
  return digits
}

const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ' // no I, O or S

/**
 * Unique pupil number: a check letter, 11 digits, and a last character that is a digit (or, for a
 * temporary UPN, a letter). The check letter is the weighted sum of characters 2 to 13, modulo 23.
 */
export function normaliseUpn(input: string): string | null {
  const upn = input.replace(/\s/g, '').toUpperCase()
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return null
  let sum = 0
  for (let i = 1; i < 13; i++) {
    const c = upn[i]!
    sum += (/\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c)) * (i + 1)
  }
  return UPN_LETTERS[sum % 23] === upn[0] ? upn : null
}

/** UK postcode, normalised to upper case with one space before the inward code (e.g. "SW1A 1AA"). */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/\s+/g, '').toUpperCase()
  const m = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact)
  if (m) return `${m[1]} ${m[2]}`
  return compact === 'GIR0AA' ? 'GIR 0AA' : null
}
