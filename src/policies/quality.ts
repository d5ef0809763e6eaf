import type { Actor } from '../web/actor.ts'
import { isHub } from './hub.ts'

/**
 * Who may do what with a quality audit: the one place the rule is written. The hub draws samples and
 * audits, but never work that is its own; the practitioner the feedback is for may read it and
 * acknowledge it once; a second member of the hub (never the first auditor, nor the practitioner) may
 * moderate it once, with both judgements kept. Reading the audit of an episode also needs the right to
 * read the episode, which the route declares.
 */
export interface AuditFacts {
  auditorUserId: number
  practitionerUserId: number
  acknowledged: boolean
  moderated: boolean
}

export type AuditRight = 'read' | 'acknowledge' | 'moderate'

export function auditAllows(actor: Actor, audit: AuditFacts, right: AuditRight): boolean {
  const practitioner = audit.practitionerUserId === actor.userId
  switch (right) {
    case 'read':
      return isHub(actor) || practitioner
    case 'acknowledge':
      return practitioner && !audit.acknowledged
    case 'moderate':
      return isHub(actor) && !practitioner && audit.auditorUserId !== actor.userId && !audit.moderated
  }
}

/** Drawing samples is the hub's work; auditing too, of anyone's work but their own (pass whose work it is). */
export const mayAudit = (actor: Actor, practitionerUserId?: number) => isHub(actor) && practitionerUserId !== actor.userId
