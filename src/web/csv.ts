/** Text a spreadsheet will not run as a formula: a leading =, +, -, @, tab or return is made text. */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

/** A cell as a spreadsheet reads it: quoted, and text never a formula (a number, -1.5 say, stays a number). */
function cell(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : spreadsheetSafe(value)
  return `"${text.replace(/"/g, '""')}"`
}

/** Rows (the first the headings) as CSV text, with Windows line ends as spreadsheets expect. */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
