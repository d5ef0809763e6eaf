import { sql, type Kysely } from 'kysely'
import type { DB, FamilyAware, NotificationDecision } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { dateWords, today } from '../../web/dates.ts'
import { Forbidden, NotFound } from '../../web/outcome.ts'
import { addWorkingDays } from '../../web/working-days.ts'
import { isSocialCare, requireInterface } from '../../policies/social-care.ts'
import { personAccess, personAllows } from '../../policies/person.ts'
import { auditAs } from '../audit/audit-log.ts'
import { cafSettings } from '../episodes/config.ts'
import { checkStart, insertStart, openEpisodeOfAny, openInstead, type StartInput } from '../episodes/start.ts'
import { queueMail } from '../mail/outbox.ts'
import { isChild } from '../people/repository.ts'
import { sourceText, type ReferralSource } from './referral-sources.ts'

/**
 * Interface notifications: a contact or referral to children's social care that did not meet its
 * threshold, sent to the early help hub. The hub decides within the council's working days (two by
 * default): offer a CAF (one is started, carrying the details across), signpost the family to a
 * service, or no further action with a reason. Social care sees the decision.
 */

export interface NotificationInput {
  contactOn: string
  source: ReferralSource
  reported: string
  socialCareAction: string
  familyAware: FamilyAware
}

export type NotificationDecisionInput =
  { decision: 'caf' } | { decision: 'signpost'; serviceId: number; note: string | null } | { decision: 'no-further-action'; note: string }

/** A decision that cannot be made as asked: field to message. */
export class NotificationRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('notification refused')
  }
}

export async function sendNotification(db: Kysely<DB>, actor: Actor, childId: number, input: NotificationInput): Promise<number> {
  if (!isSocialCare(actor)) throw new Forbidden()
  // Anyone who may search may send a contact about a child they found; the register's record stays closed.
  if (!personAllows(await personAccess(db, actor, childId), 'start')) throw new NotFound()
  const child = await db
    .selectFrom('people')
    .select(['date_of_birth', 'expected_delivery_date'])
    .where('id', '=', childId)
    .where('la_id', '=', actor.laId)
    .executeTakeFirst()
  if (!child || !isChild(child, today())) throw new NotFound()
  const { notification_decision_days: days } = await cafSettings(db, actor.laId).select('notification_decision_days').executeTakeFirstOrThrow()
  return db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('interface_notifications')
      .values({
        la_id: actor.laId,
        child_person_id: childId,
        contact_on: input.contactOn,
        source: input.source,
        reported: input.reported,
        social_care_action: input.socialCareAction,
        family_aware: input.familyAware,
        sent_by: actor.userId,
        decide_by: addWorkingDays(today(), days),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'notification.sent', { type: 'person', id: childId }, { notification: id })
    return id
  })
}

/** The hub's decision. Offering a CAF starts one (an intention to assess, from today) with the details carried across. */
export async function decideNotification(db: Kysely<DB>, actor: Actor, id: number, input: NotificationDecisionInput, baseUrl: string): Promise<void> {
  await requireInterface(db, actor, 'notification', id, 'decide')
  const n = await db
    .selectFrom('interface_notifications as n')
    .innerJoin('users as u', 'u.id', 'n.sent_by')
    .select(['n.child_person_id', 'n.contact_on', 'n.source', 'n.reported', 'n.social_care_action', 'n.decision', 'u.email', 'u.full_name'])
    .where('n.id', '=', id)
    .executeTakeFirstOrThrow()
  if (n.decision) throw new NotificationRefused({ form: 'The hub has already decided this notification. It may have changed since you opened it' })
  if (input.decision === 'signpost') {
    const service = await db
      .selectFrom('services')
      .select('id')
      .where('id', '=', input.serviceId)
      .where('la_id', '=', actor.laId)
      .where('open', '=', true)
      .executeTakeFirst()
    if (!service) throw new NotificationRefused({ serviceId: 'Select a service from the list' })
  }
  const start: StartInput = {
    childId: n.child_person_id,
    kind: 'child',
    memberIds: [],
    start: 'intention',
    intentionReason: `Sent by children’s social care on ${dateWords(n.contact_on)} (${sourceText(n.source)}): ${n.reported} What social care did: ${n.social_care_action}`,
    plannedOn: today(),
    relationship: null,
    origin: 'notification',
  }
  let checked: Awaited<ReturnType<typeof checkStart>> | null = null
  if (input.decision === 'caf') {
    const open = await openEpisodeOfAny(db, actor.laId, [n.child_person_id])
    if (open)
      throw new NotificationRefused({
        decision: `This child already has an open CAF (episode ${open}). Tell its lead professional, and choose another decision`,
      })
    checked = await checkStart(db, actor, start)
  }
  try {
    await db.transaction().execute(async (tx) => {
      const episodeId = checked ? await insertStart(tx, actor, start, checked) : null
      const decided = await tx
        .updateTable('interface_notifications')
        .set({
          decision: input.decision satisfies NotificationDecision,
          decision_note: input.decision === 'caf' ? null : input.note,
          service_id: input.decision === 'signpost' ? input.serviceId : null,
          episode_id: episodeId,
          decided_by: actor.userId,
          decided_at: sql<Date>`now()`,
          version: sql<number>`version + 1`,
        })
        .where('id', '=', id)
        .where('decision', 'is', null)
        .executeTakeFirst()
      if (!decided.numUpdatedRows) throw new NotificationRefused({ form: 'The hub has just decided this notification' })
      await auditAs(
        tx,
        actor,
        'notification.decided',
        { type: 'person', id: n.child_person_id },
        { notification: id, decision: input.decision, episode: episodeId },
      )
      await queueMail(tx, {
        laId: actor.laId,
        to: n.email,
        subject: 'The early help hub has decided your notification',
        text: [
          `Hello ${n.full_name},`,
          '',
          'The early help hub has decided the contact you sent to early help.',
          '',
          `See the decision here: ${baseUrl}/notifications/${id}`,
          '',
          'This email does not name the family, to keep their information safe.',
        ].join('\n'),
      })
    })
  } catch (error) {
    if (error instanceof NotificationRefused || !checked) throw error
    const open = await openInstead(db, actor.laId, start, checked, error)
    throw new NotificationRefused({
      decision: `This child has just had a CAF started (episode ${open}). Tell its lead professional, and choose another decision`,
    })
  }
}
