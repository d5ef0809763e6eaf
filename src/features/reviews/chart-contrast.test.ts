import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'

/**
 * axe reports the distance-travelled charts as "incomplete" for colour contrast: it cannot judge SVG
 * graphics. WCAG 2.2 1.4.11 asks 3:1 for the parts of a graphic needed to understand it, so this checks
 * them from the stylesheet: each line and its dots against the white page and against the shaded gap
 * they cross. The shaded gap itself is not needed to understand the chart (it only repeats what the two
 * lines show, and the table under each chart gives the gap as a number), so it is kept pale on purpose.
 */

const css = fs.readFileSync(new URL('../../web/public/app.css', import.meta.url), 'utf8')

function declaration(selector: string, property: string): string {
  const block = new RegExp(`${selector.replace(/[.-]/g, (c) => `\\${c}`)}\\s*\\{([^}]*)\\}`).exec(css)?.[1]
  const value = block && new RegExp(`${property}:\\s*([^;]+);`).exec(block)?.[1]
  assert.ok(value, `${selector} has ${property}`)
  return value.trim()
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
const luminance = (c: number[]) =>
  c
    .map((v) => v / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i]!, 0)
const contrast = (a: number[], b: number[]) => {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (l1! + 0.05) / (l2! + 0.05)
}

const WHITE = [255, 255, 255]
const gapFill = rgb(declaration('.app-chart__gap', 'fill'))
const gapOpacity = Number(declaration('.app-chart__gap', 'opacity'))
/** The gap as drawn: its fill at its opacity over the white page. */
const GAP = gapFill.map((c) => Math.round(c * gapOpacity + 255 * (1 - gapOpacity)))

for (const who of ['practitioner', 'family']) {
  test(`the ${who}'s line and dots have at least 3:1 contrast with the page and with the shaded gap`, () => {
    for (const [selector, property] of [
      [`.app-chart__line--${who}`, 'stroke'],
      [`.app-chart__dot--${who}`, 'fill'],
    ] as const) {
      const colour = rgb(declaration(selector, property))
      assert.ok(contrast(colour, WHITE) >= 3, `${selector} on white: ${contrast(colour, WHITE).toFixed(2)}:1`)
      assert.ok(contrast(colour, GAP) >= 3, `${selector} on the gap: ${contrast(colour, GAP).toFixed(2)}:1`)
    }
  })
}

test('the two lines differ by pattern as well as colour, so neither colour alone carries the meaning', () => {
  assert.match(declaration('.app-chart__line--family', 'stroke-dasharray'), /\d/)
  assert.doesNotMatch(css.match(/\.app-chart__line--practitioner\s*\{[^}]*\}/)![0], /dasharray/)
})
