import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify'
import ExcelJS from 'exceljs'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import { spreadsheetSafe } from '../../../web/csv.ts'

/**
 * Writes a list of any length (Annex A, the inspection pack's children) to a stream as CSV or as an
 * XLSX workbook of one sheet, row by row from a database cursor: memory stays flat however many rows.
 */

export type Cell = string | number | null

/** A calendar date (2026-12-01) as exports write it, as Ofsted's schema and spreadsheets in the UK read it: 01/12/2026. */
export const exportDay = (iso: string | null): string | null => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : null)

export type ExportFormat = 'csv' | 'xlsx'
export const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx']

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** Rows fetched from the cursor at a time. */
const FETCH = 5000

/**
 * Runs the query through a cursor inside one transaction (a consistent snapshot of the whole list),
 * handing each batch on before the next is fetched.
 */
export async function eachBatch<R>(db: Kysely<DB>, query: RawBuilder<R>, use: (rows: R[]) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`declare export_rows no scroll cursor for ${query}`.execute(tx)
    for (;;) {
      const { rows } = await sql<R>`fetch ${sql.raw(String(FETCH))} from export_rows`.execute(tx)
      if (!rows.length) break
      await use(rows)
    }
    await sql`close export_rows`.execute(tx)
  })
}

interface RowSink {
  add(row: Cell[]): Promise<void>
  end(): Promise<void>
}

function csvSink(out: Writable, columns: readonly string[]): RowSink {
  const csv = stringify({ header: true, columns: [...columns], record_delimiter: 'windows', cast: { string: spreadsheetSafe } })
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve).on('error', reject)
    csv.on('error', reject)
  })
  csv.pipe(out)
  return {
    async add(row) {
      if (!csv.write(row)) await once(csv, 'drain')
    },
    async end() {
      csv.end()
      await done
    },
  }
}

function xlsxSink(out: Writable, columns: readonly string[], sheetName: string): RowSink {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false })
  const sheet = book.addWorksheet(sheetName)
  sheet.addRow([...columns]).commit()
  return {
    async add(row) {
      sheet.addRow(row.map((v) => (typeof v === 'string' ? spreadsheetSafe(v) : v))).commit()
    },
    async end() {
      sheet.commit()
      await book.commit()
    },
  }
}

export interface ListExport<R> {
  columns: readonly string[]
  /** The XLSX workbook's one sheet. */
  sheet: string
  query: RawBuilder<R>
  row(record: R): Cell[]
}

/** Writes the list to `out` in the format asked for, and says how many rows it held. */
export async function writeList<R>(db: Kysely<DB>, list: ListExport<R>, format: ExportFormat, out: Writable): Promise<number> {
  const sink = format === 'csv' ? csvSink(out, list.columns) : xlsxSink(out, list.columns, list.sheet)
  let rows = 0
  await eachBatch<R>(db, list.query, async (batch) => {
    for (const r of batch) await sink.add(list.row(r))
    rows += batch.length
  })
  await sink.end()
  return rows
}
