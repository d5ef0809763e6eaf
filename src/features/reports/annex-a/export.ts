import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify'
import ExcelJS from 'exceljs'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import { spreadsheetSafe } from '../../../web/csv.ts'
import { LIST_2_COLUMNS, list2Query, list2Row, type List2Record, type List2Row } from './list-2.ts'

/**
 * Writes Annex A list 2 to a stream as CSV or as an XLSX workbook with a sheet named "List 2", row by
 * row from a database cursor: memory stays flat however many rows there are.
 */

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
async function eachBatch<R>(db: Kysely<DB>, query: RawBuilder<R>, use: (rows: R[]) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`declare annex_a no scroll cursor for ${query}`.execute(tx)
    for (;;) {
      const { rows } = await sql<R>`fetch ${sql.raw(String(FETCH))} from annex_a`.execute(tx)
      if (!rows.length) break
      await use(rows)
    }
    await sql`close annex_a`.execute(tx)
  })
}

interface RowSink {
  add(row: List2Row): Promise<void>
  end(): Promise<void>
}

function csvSink(out: Writable): RowSink {
  const csv = stringify({ header: true, columns: [...LIST_2_COLUMNS], record_delimiter: 'windows', cast: { string: spreadsheetSafe } })
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

function xlsxSink(out: Writable): RowSink {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false })
  const sheet = book.addWorksheet('List 2')
  sheet.addRow([...LIST_2_COLUMNS]).commit()
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

/** Writes the council's list 2 for the date to `out`, and says how many rows it held. */
export async function writeList2(db: Kysely<DB>, laId: number, onDate: string, format: ExportFormat, out: Writable): Promise<number> {
  const sink = format === 'csv' ? csvSink(out) : xlsxSink(out)
  let rows = 0
  await eachBatch<List2Record>(db, list2Query(laId, onDate), async (batch) => {
    for (const r of batch) await sink.add(list2Row(r))
    rows += batch.length
  })
  await sink.end()
  return rows
}
