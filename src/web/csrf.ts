import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * CSRF tokens bound to the server-side session (or, before sign-in, to a random pre-session cookie).
 * A token is the HMAC of that binding, so it needs no storage and cannot be used with another session.
 */
export function csrfToken(secret: string, binding: string): string {
  return createHmac('sha256', secret).update(`csrf:${binding}`).digest('base64url')
}

export function csrfValid(secret: string, binding: string | undefined, token: unknown): boolean {
  if (!binding || typeof token !== 'string' || token.length > 100) return false
  const expected = Buffer.from(csrfToken(secret, binding))
  const given = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
