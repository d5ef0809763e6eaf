import fs from 'node:fs'
import { parse } from 'yaml'

/**
 * Ofsted's Annex A schema, as councils' data teams validate against it (schemas/annex-a, copied from
 * SocialFinanceDigitalLabs/liia-tools-pipeline), read here to check an export cell by cell: the
 * columns in order, each category's accepted codes and names, dd/mm/yyyy dates, whole numbers, and
 * which cells may be blank. Rows must also be unique on Child Unique ID + Assessment start date.
 */

interface ColumnSpec {
  category?: { code: string; name?: string[] }[]
  date?: string
  numeric?: { type: string; min_value?: number }
  string?: string
  canbeblank?: boolean
}

const SCHEMA = new URL('../../schemas/annex-a/Annex_A_schema.yml', import.meta.url)

export function annexASchema(list: string): Map<string, ColumnSpec> {
  const doc = parse(fs.readFileSync(SCHEMA, 'utf8'), { merge: true, maxAliasCount: -1 }) as { column_map: Record<string, Record<string, ColumnSpec>> }
  const columns = doc.column_map[list]
  if (!columns) throw new Error(`the schema has no ${list}`)
  return new Map(Object.entries(columns))
}

function realDate(text: string): boolean {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text)
  if (!m) return false
  const iso = `${m[3]}-${m[2]}-${m[1]}`
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso)
}

function cellProblem(spec: ColumnSpec, value: string): string | null {
  if (value === '') return spec.canbeblank === false ? 'is blank, and may not be' : null
  if (spec.category) {
    const accepted = spec.category.flatMap((c) => [String(c.code), ...(c.name ?? []).map(String)])
    return accepted.includes(value) ? null : `"${value}" is not one of the schema's codes`
  }
  if (spec.date) return spec.date === '%d/%m/%Y' && realDate(value) ? null : `"${value}" is not a date as dd/mm/yyyy`
  if (spec.numeric) {
    const ok = /^\d+$/.test(value) && (spec.numeric.min_value === undefined || Number(value) >= spec.numeric.min_value)
    return ok ? null : `"${value}" is not a whole number of at least ${spec.numeric.min_value ?? 0}`
  }
  return null
}

/** Every way the headers and rows break the schema's list; none when the export is valid. */
export function schemaProblems(list: string, headers: readonly string[], rows: readonly (readonly string[])[], unique: readonly string[]): string[] {
  const schema = annexASchema(list)
  const expected = [...schema.keys()]
  const problems: string[] = []
  if (JSON.stringify(headers) !== JSON.stringify(expected)) problems.push(`headers ${JSON.stringify(headers)} should be ${JSON.stringify(expected)}`)
  const seen = new Set<string>()
  rows.forEach((row, i) => {
    if (row.length !== expected.length) problems.push(`row ${i + 2} has ${row.length} cells, not ${expected.length}`)
    expected.forEach((column, c) => {
      const problem = cellProblem(schema.get(column)!, row[c] ?? '')
      if (problem) problems.push(`row ${i + 2}, ${column}: ${problem}`)
    })
    const key = unique.map((u) => row[expected.indexOf(u)]).join('|')
    if (seen.has(key)) problems.push(`row ${i + 2} repeats ${unique.join(' + ')} ${key}`)
    seen.add(key)
  })
  return problems
}
