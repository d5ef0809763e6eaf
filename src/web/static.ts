/** Files anyone may fetch: GOV.UK Frontend's assets and our own CSS and JavaScript. */
export const STATIC_PREFIXES = ['/assets/', '/govuk/', '/public/'] as const

export function isStatic(url: string): boolean {
  return STATIC_PREFIXES.some((p) => url.startsWith(p))
}
