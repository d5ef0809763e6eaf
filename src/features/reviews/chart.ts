import { scaleLinear, scalePoint } from 'd3-scale'
import { area, line } from 'd3-shape'

export interface ChartPoint {
  occasion: string
  practitioner: number | null
  family: number | null
}

const WIDTH = 560
const HEIGHT = 220
const MARGIN = { top: 16, right: 24, bottom: 40, left: 40 }

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * One element's scores over time as an SVG line chart, drawn on the server: the practitioner's line and
 * the family's side by side, the gap between them shaded. Accessible by its title and description;
 * the page puts the same numbers in a table beside it.
 */
export function scoreChart(id: string, title: string, points: readonly ChartPoint[], scale: { min: number; max: number }): string {
  const x = scalePoint<string>()
    .domain(points.map((p) => p.occasion))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.5)
  const y = scaleLinear()
    .domain([scale.min, scale.max])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top])
  const at = (p: ChartPoint) => x(p.occasion)!
  const path = (who: 'practitioner' | 'family') =>
    line<ChartPoint>()
      .defined((p) => p[who] !== null)
      .x(at)
      .y((p) => y(p[who]!))(points as ChartPoint[]) ?? ''
  const gap =
    area<ChartPoint>()
      .defined((p) => p.practitioner !== null && p.family !== null)
      .x(at)
      .y0((p) => y(p.practitioner!))
      .y1((p) => y(p.family!))(points as ChartPoint[]) ?? ''
  const dots = (who: 'practitioner' | 'family', cls: string) =>
    points
      .filter((p) => p[who] !== null)
      .map((p) => `<circle class="${cls}" cx="${at(p).toFixed(1)}" cy="${y(p[who]!).toFixed(1)}" r="4"/>`)
      .join('')
  const ticks = y
    .ticks(Math.min(10, scale.max - scale.min))
    .map(
      (t) =>
        `<g><line class="app-chart__grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}"/><text x="${MARGIN.left - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text></g>`,
    )
    .join('')
  const labels = points
    .map((p) => `<text x="${at(p).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle">${escape(p.occasion)}</text>`)
    .join('')
  const summary = points.map((p) => `${p.occasion}: practitioner ${p.practitioner ?? 'not scored'}, family ${p.family ?? 'not scored'}`).join('; ')
  return [
    `<svg class="app-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">`,
    `<title id="${id}-title">${escape(title)}</title>`,
    `<desc id="${id}-desc">${escape(summary)}</desc>`,
    ticks,
    `<path class="app-chart__gap" d="${gap}"/>`,
    `<path class="app-chart__line app-chart__line--practitioner" d="${path('practitioner')}"/>`,
    `<path class="app-chart__line app-chart__line--family" d="${path('family')}"/>`,
    dots('practitioner', 'app-chart__dot app-chart__dot--practitioner'),
    dots('family', 'app-chart__dot app-chart__dot--family'),
    labels,
    '</svg>',
  ].join('')
}
