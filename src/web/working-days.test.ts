import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addWorkingDays, bankHolidays, isWorkingDay } from './working-days.ts'

// The dates gov.uk publishes (www.gov.uk/bank-holidays), England and Wales.
const PUBLISHED: Record<number, string[]> = {
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
}

test('bank holidays are those gov.uk publishes, substitute days and one-off days included', () => {
  for (const [year, days] of Object.entries(PUBLISHED)) assert.deepEqual(bankHolidays(Number(year)), days, year)
})

test('working days skip weekends and bank holidays', () => {
  assert.equal(isWorkingDay('2026-12-04'), true, 'a Friday')
  assert.equal(isWorkingDay('2026-12-05'), false, 'a Saturday')
  assert.equal(isWorkingDay('2026-12-28'), false, 'Boxing Day’s substitute')
  assert.equal(addWorkingDays('2026-12-03', 2), '2026-12-07', 'Thursday + 2 is Monday')
  assert.equal(addWorkingDays('2026-12-05', 1), '2026-12-07', 'from a Saturday, the Monday')
  assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29', 'Christmas Eve + 1 skips Christmas, the weekend and the substitute day')
  assert.equal(addWorkingDays('2027-03-25', 2), '2027-03-31', 'across Easter')
})
