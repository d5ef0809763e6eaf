import type { Role } from './permissions.ts'

/** The signed-in user acting on a request: what use cases receive instead of an HTTP request. */
export interface Actor {
  userId: number
  laId: number
  agencyId: number
  fullName: string
  email: string
  roles: Role[]
  /** The locality a manager manages, if any: they see its episodes as well as their agency's. */
  managesLocalityId: number | null
  /** SHA-256 of the session token: recorded in the audit log, never the token itself. */
  sessionId: string
}
