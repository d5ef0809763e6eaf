/** A cell as a spreadsheet reads it: quoted, and never a formula (a leading =, +, - or @ is made text). */
function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value)
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

/** Rows (the first the headings) as CSV text, with Windows line ends as spreadsheets expect. */
export function csvText(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}
