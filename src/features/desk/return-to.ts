/**
 * Where a form opened from a desk list goes back to: the list it came from, with its filters. Only
 * an address of the desk is accepted, so a link cannot send anyone elsewhere.
 */
const DESK_ADDRESS = /^\/desk(\/[a-z-]{1,40})?(\?[A-Za-z0-9=&%._-]{0,300})?$/

export function deskReturnTo(value: unknown): string | null {
  return typeof value === 'string' && DESK_ADDRESS.test(value) ? value : null
}

/** The address to go back to after a change: the desk list with `done` added, or the fallback (the episode). */
export function backAfter(returnTo: string | null, done: string, fallback: string): string {
  const to = returnTo ?? fallback
  return `${to}${to.includes('?') ? '&' : '?'}done=${done}`
}
