/**
 * Working days in England: Monday to Friday, not a bank holiday. Councils count the time they have to
 * decide (a notification from social care, a step up) in working days. The bank holidays are those of
 * England and Wales, by the rules that set them (substitute days when one falls at a weekend), with
 * the one-off days the government has announced listed in MOVED and EXTRA.
 */

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10)
const weekday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay()
const shift = (day: string, days: number) => new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Easter Sunday, by the anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms"). */
function easter(y: number): string {
  const a = y % 19
  const b = Math.floor(y / 100)
  const c = y % 100
  const g = Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3)
  const h = (19 * a + b - Math.floor(b / 4) - g + 15) % 30
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const n = h + l - 7 * m + 114
  return iso(y, Math.floor(n / 31), (n % 31) + 1)
}

/** The first Monday of a month, or the last (day counted back from the month's end). */
function monday(y: number, m: number, which: 'first' | 'last'): string {
  let day = which === 'first' ? iso(y, m, 1) : iso(y, m + 1, 0)
  while (weekday(day) !== 1) day = shift(day, which === 'first' ? 1 : -1)
  return day
}

/** Bank holidays moved from their usual day by proclamation: the usual day, and the day instead. */
const MOVED: Record<string, string> = {
  '2020-05-04': '2020-05-08', // VE Day's 75th anniversary
  '2022-05-30': '2022-06-02', // the Platinum Jubilee
}
/** One-off bank holidays. */
const EXTRA = ['2022-06-03', '2022-09-19', '2023-05-08']

/** The bank holidays of England and Wales in a year, as ISO dates. */
export function bankHolidays(y: number): string[] {
  const sunday = easter(y)
  const days = [shift(sunday, -2), shift(sunday, 1), monday(y, 5, 'first'), monday(y, 5, 'last'), monday(y, 8, 'last')]
  // New Year's Day, Christmas and Boxing Day falling at a weekend move to the next weekdays free.
  const fixed = [iso(y, 1, 1), iso(y, 12, 25), iso(y, 12, 26)]
  const taken = new Set<string>()
  for (const day of fixed) {
    let d = day
    while (weekday(d) === 0 || weekday(d) === 6 || taken.has(d)) d = shift(d, 1)
    taken.add(d)
  }
  return [...days.map((d) => MOVED[d] ?? d), ...taken, ...EXTRA.filter((d) => d.startsWith(String(y)))].sort()
}

export function isWorkingDay(day: string): boolean {
  const w = weekday(day)
  return w !== 0 && w !== 6 && !bankHolidays(Number(day.slice(0, 4))).includes(day)
}

/** The working day `n` working days after `day` (which need not itself be one): 2 after a Friday is the Tuesday. */
export function addWorkingDays(day: string, n: number): string {
  let d = day
  for (let left = n; left > 0;) {
    d = shift(d, 1)
    if (isWorkingDay(d)) left--
  }
  return d
}
