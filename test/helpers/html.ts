import type { LightMyRequestResponse } from 'fastify'
import { textOf } from './browser-client.ts'

/** The links of the GOV.UK error summary, in order (empty when the page has no summary). */
export function errorSummaryHrefs(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0]
  if (!summary) return []
  return [...summary.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!)
}

/** The visible text of the GOV.UK error summary. */
export function errorSummaryText(html: string): string {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0]
  return summary ? textOf(summary) : ''
}

/** The value of one cookie set by a response, or undefined. */
export function setCookieValue(res: LightMyRequestResponse, name: string): string | undefined {
  for (const c of [res.headers['set-cookie'] ?? []].flat()) {
    const [pair] = String(c).split(';')
    const eq = pair!.indexOf('=')
    if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1)
  }
  return undefined
}

/**
 * The cell texts of each body row of the first table on the page, or of the first whose caption
 * includes `caption`.
 */
export function tableRows(html: string, caption?: string): string[][] {
  const table =
    caption === undefined
      ? html
      : [...html.matchAll(/<table[\s\S]*?<\/table>/g)]
          .map((m) => m[0])
          .find((t) => textOf(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(t)?.[1] ?? '').includes(caption))
  // A table asked for by its caption must be there: an empty list must never stand for a missing table.
  if (table === undefined) throw new Error(`no table captioned "${caption}" on the page`)
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(table)?.[1]
  if (!body) return []
  return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => textOf(cell[1]!)),
  )
}

/** The set-password link in a message body. */
export function setPasswordLink(text: string): { url: string; path: string; token: string } {
  const m = /(https?:\/\/[^\s/]+)(\/set-password\/([A-Za-z0-9_-]+))/.exec(text)
  if (!m) throw new Error('no set-password link in the message')
  return { url: m[0], path: m[2]!, token: m[3]! }
}

/**
 * The HTML that GOV.UK Frontend reveals when the radio or checkbox `name=value` is chosen (its
 * conditional content), or undefined when choosing it reveals nothing.
 */
export function revealedBy(html: string, name: string, value: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="${value}"[^>]*>`).exec(html)?.[0]
  const id = input && /data-aria-controls="([^"]+)"/.exec(input)?.[1]
  if (!id) return undefined
  const start = html.indexOf(`id="${id}"`)
  const open = html.lastIndexOf('<div', start)
  let depth = 0
  for (const tag of html.slice(open).matchAll(/<\/?div\b/g)) {
    depth += tag[0] === '<div' ? 1 : -1
    if (depth === 0) return html.slice(open, open + tag.index + '</div>'.length)
  }
  return undefined
}
