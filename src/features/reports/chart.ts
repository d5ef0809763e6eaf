import { scaleBand, scaleLinear } from 'd3-scale'
import { shown, type ReportTable } from './table.ts'

const WIDTH = 640
const LABEL_WIDTH = 230
const BAR = 26
const MARGIN = { top: 8, right: 70, bottom: 8 }

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/**
 * A table's chart: one horizontal bar per row, of the column the table names, drawn on the server as
 * SVG. Labelled by its title and a description that reads out every value; the table under it holds
 * the same numbers for anyone who cannot see it.
 */
export function barChart(id: string, table: ReportTable): string | null {
  if (!table.chart) return null
  const label = table.columns[0]!
  const column = table.columns.find((c) => c.key === table.chart!.value)!
  const rows = table.rows.filter((r) => typeof r[column.key] === 'number')
  if (!rows.length) return null
  const height = MARGIN.top + MARGIN.bottom + rows.length * BAR
  const max = Math.max(...rows.map((r) => r[column.key] as number), 0)
  const x = scaleLinear()
    .domain([0, max || 1])
    .range([LABEL_WIDTH, WIDTH - MARGIN.right])
  const y = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([MARGIN.top, height - MARGIN.bottom])
    .padding(0.2)
  const bars = rows
    .map((r, i) => {
      const value = r[column.key] as number
      const top = y(i)!
      const name = String(r[label.key] ?? '')
      return [
        `<text x="${LABEL_WIDTH - 8}" y="${(top + y.bandwidth() / 2 + 5).toFixed(1)}" text-anchor="end">${escape(clip(name, 32))}</text>`,
        `<rect class="app-chart__bar" x="${LABEL_WIDTH}" y="${top.toFixed(1)}" width="${Math.max(0, x(value) - LABEL_WIDTH).toFixed(1)}" height="${y.bandwidth().toFixed(1)}"/>`,
        `<text x="${(x(value) + 6).toFixed(1)}" y="${(top + y.bandwidth() / 2 + 5).toFixed(1)}">${escape(shown(column, value))}</text>`,
      ].join('')
    })
    .join('')
  const summary = rows.map((r) => `${r[label.key] ?? ''}: ${shown(column, r[column.key] as number)}`).join('; ')
  return [
    `<svg class="app-chart app-chart--bars" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">`,
    `<title id="${id}-title">${escape(`${table.caption}: ${column.text}`)}</title>`,
    `<desc id="${id}-desc">${escape(summary)}</desc>`,
    `<line class="app-chart__grid" x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}"/>`,
    bars,
    '</svg>',
  ].join('')
}
