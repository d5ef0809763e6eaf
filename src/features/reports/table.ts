import ExcelJS from 'exceljs'
import { csvText, spreadsheetSafe } from '../../web/csv.ts'

/**
 * A report's table: what each page shows, each chart draws and each download holds. Every figure of
 * every report is one of these, so the page, the CSV and the workbook cannot disagree.
 */

export type Cell = string | number | null

export interface Column {
  key: string
  text: string
  /** How the value reads: a count (suppressed when small, in downloads), a share of 1, a rate per 10,000, days, pounds, a score. */
  kind: 'text' | 'count' | 'share' | 'rate' | 'days' | 'pounds' | 'score'
  /** For a share, rate or average: the count it was worked out from, hidden in downloads with it. */
  base?: string
}

export interface ReportTable {
  key: string
  caption: string
  /** What the reader needs to know to read it right: what is counted, and any assumptions. */
  notes?: string[]
  columns: Column[]
  rows: Record<string, Cell>[]
  /** A bar chart of one column against the first: drawn on the server beside the table. */
  chart?: { value: string }
}

const GB = new Intl.NumberFormat('en-GB')
const ONE_PLACE = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 })

/** A value as the page shows it: nothing for a figure that does not apply (a step with no target). */
export function shown(column: Column, value: Cell): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  switch (column.kind) {
    case 'share':
      return `${ONE_PLACE.format(value * 100).replace(/\.0$/, '')}%`
    case 'rate':
      return ONE_PLACE.format(value)
    case 'score':
      return `${value > 0 ? '+' : ''}${ONE_PLACE.format(value)}`
    case 'pounds':
      return POUNDS.format(value)
    case 'days':
      return `${GB.format(Math.round(value))} ${Math.round(value) === 1 ? 'day' : 'days'}`
    default:
      return GB.format(value)
  }
}

/** Whether a count is small enough to hide in a download: 1 to threshold - 1 (none is shown as 0). */
const small = (value: Cell, threshold: number) => typeof value === 'number' && value > 0 && value < threshold

/**
 * A row's values as downloaded: each small count as "fewer than N", and each figure worked out from
 * one (a share, a rate) hidden with it, so that it cannot be worked back.
 */
export function downloadedRow(columns: readonly Column[], row: Record<string, Cell>, threshold: number): Cell[] {
  const fewer = `fewer than ${threshold}`
  return columns.map((c) => {
    const value = row[c.key] ?? null
    if (c.kind === 'count') return small(value, threshold) ? fewer : value
    if (c.base && small(row[c.base] ?? null, threshold)) return `not shown (${fewer})`
    if (typeof value === 'number' && c.kind === 'share') return Math.round(value * 1000) / 10
    return value
  })
}

function headings(columns: readonly Column[]): string[] {
  return columns.map((c) => (c.kind === 'share' ? `${c.text} (%)` : c.kind === 'pounds' ? `${c.text} (£)` : c.text))
}

export function tableCsv(table: ReportTable, threshold: number): string {
  return csvText([headings(table.columns), ...table.rows.map((r) => downloadedRow(table.columns, r, threshold))])
}

/** The whole report as a workbook: a first sheet saying what it is, then one sheet per table. */
export async function reportWorkbook(title: string, about: readonly string[], tables: readonly ReportTable[], threshold: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = 'CAF Hub'
  const cover = book.addWorksheet('About')
  for (const line of [title, ...about, `Counts from 1 to ${threshold - 1} are shown as "fewer than ${threshold}".`]) cover.addRow([line])
  cover.getColumn(1).width = 100
  const names = new Set<string>()
  for (const table of tables) {
    const sheet = book.addWorksheet(sheetName(table.caption, names))
    sheet.addRow([table.caption]).font = { bold: true }
    for (const note of table.notes ?? []) sheet.addRow([note])
    sheet.addRow([])
    sheet.addRow(headings(table.columns)).font = { bold: true }
    for (const row of table.rows) sheet.addRow(downloadedRow(table.columns, row, threshold).map((v) => (typeof v === 'string' ? spreadsheetSafe(v) : v)))
    sheet.columns.forEach((col, i) => (col.width = i === 0 ? 40 : 18))
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** A sheet's name: at most 31 characters, none of : \ / ? * [ ], and unique in the workbook. */
function sheetName(caption: string, taken: Set<string>): string {
  const base = caption
    .replace(/[:\\/?*[\]]/g, ' ')
    .slice(0, 28)
    .trim()
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`
  taken.add(name.toLowerCase())
  return name
}
