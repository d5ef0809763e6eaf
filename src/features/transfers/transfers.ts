import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { dateWords, today } from '../../web/dates.ts'
import { rolesWith } from '../../web/permissions.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { requireTransfer } from '../../policies/transfer.ts'
import { audit, auditAs } from '../audit/audit-log.ts'
import { closeHandedOver, MOVED_REASON } from '../closure/use-cases.ts'
import { episodePeople } from '../episodes/repository.ts'
import { requireStage, stageAllows } from '../episodes/stages.ts'
import { queueMail } from '../mail/outbox.ts'
import { buildPackage } from '../social-care/package.ts'
import { arriveFromDocument } from './arrival.ts'
import { transferDocument, type TransferDocument } from './document.ts'

/**
 * Moving a family to another council, with the family's consent. To a council of this installation:
 * its hub accepts (allocating a lead professional, and a new episode continues the work) or declines
 * with a reason. To a council on another installation: the lead exports the package as a signed file
 * (export.ts). Either way the sending episode closes as transferred once the family is taken on or
 * the file is made, and keeps what was sent, to whom and when. Both councils' audit chains record it.
 */

export interface TransferInput {
  /** A council of this installation, or null for one on another installation (a file). */
  toLaId: number | null
  /** For a file: the receiving council's name and code (its ONS code), which the file is checked against on import. */
  toName: string | null
  toCode?: string | null
  reason: string
  movedOn: string
  giverId: number
  giverRole: 'parent-with-pr' | 'young-person'
  method: 'written' | 'verbal'
  givenOn: string
}

export type TransferDecision = { accept: true; leadUserId: number } | { accept: false; reason: string }

/** What the transfer needs and was not given, or a step that can no longer be taken: field to message. */
export class TransferRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('transfer refused')
  }
}

/** The other councils of this installation, a family may move to. */
export function otherCouncils(db: Kysely<DB>, laId: number) {
  return db.selectFrom('local_authorities').select(['id', 'code', 'name']).where('id', '<>', laId).orderBy('name').execute()
}

/** The lead professional (or the hub) asks for the transfer; for a file, the episode closes at once. */
export async function requestTransfer(db: Kysely<DB>, actor: Actor, episodeId: number, input: TransferInput, baseUrl: string): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'lead')
  const [council, to, giver] = await Promise.all([
    db.selectFrom('local_authorities').select(['code', 'name']).where('id', '=', actor.laId).executeTakeFirstOrThrow(),
    input.toLaId === null
      ? null
      : db.selectFrom('local_authorities').select(['id', 'code', 'name']).where('id', '=', input.toLaId).where('id', '<>', actor.laId).executeTakeFirst(),
    db.selectFrom('episode_people').select(['person_id', 'role']).where('episode_id', '=', episodeId).where('person_id', '=', input.giverId).executeTakeFirst(),
  ])
  if (input.toLaId !== null && !to) throw new TransferRefused({ toLaId: 'Select the council the family is moving to from the list' })
  if (input.toLaId === null && !input.toName) throw new TransferRefused({ toName: 'Enter the name of the council the family is moving to' })
  if (input.toLaId === null && !/^[A-Za-z0-9]{2,16}$/.test(input.toCode ?? ''))
    throw new TransferRefused({ toCode: 'Enter the code of the council the family is moving to: its ONS code, like E09000001' })
  if (!giver) throw new TransferRefused({ giverId: 'Select who gave consent from the list' })
  if ((input.giverRole === 'young-person') !== (giver.role === 'child'))
    throw new TransferRefused({ giverRole: 'The young person gives consent as the young person; an adult as a parent or carer' })
  const requester = await db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.full_name', 'u.email', 'a.name'])
    .where('u.id', '=', actor.userId)
    .executeTakeFirstOrThrow()
  return db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'transfer')
    const waiting = await tx.selectFrom('transfers').select('to_council').where('episode_id', '=', episodeId).where('status', '=', 'waiting').executeTakeFirst()
    if (waiting) throw new TransferRefused({ form: `A transfer of this family to ${waiting.to_council} is already waiting for its answer` })
    const [pkg, people] = await Promise.all([buildPackage(tx, actor, episodeId), episodePeople(tx, episodeId)])
    const document = await transferDocument(council, {
      to: to ? { code: to.code, name: to.name } : { code: input.toCode!, name: input.toName! },
      reason: input.reason,
      movedOn: input.movedOn,
      consent: { person: people.findIndex((p) => p.id === input.giverId), role: input.giverRole, method: input.method, givenOn: input.givenOn },
      requestedBy: { name: requester.full_name, agency: requester.name, email: requester.email },
      package: pkg,
    })
    const { id } = await tx
      .insertInto('transfers')
      .values({
        la_id: actor.laId,
        episode_id: episodeId,
        to_la_id: to?.id ?? null,
        to_council: document.to.name,
        reason: input.reason,
        moved_on: input.movedOn,
        consent_giver_person_id: input.giverId,
        consent_giver_role: input.giverRole,
        consent_method: input.method,
        consent_given_on: input.givenOn,
        package: JSON.stringify(document),
        requested_by: actor.userId,
        status: to ? 'waiting' : 'exported',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, to ? 'transfer.requested' : 'transfer.exported', { type: 'episode', id: episodeId }, { transfer: id, to: document.to.name })
    if (!to) {
      await closeHandedOver(tx, actor, episodeId, {
        step: 'transfer',
        reason: MOVED_REASON,
        summary: `Transferred to ${document.to.name}: its package was exported as a signed file on ${dateWords(today())}.`,
      })
      return id
    }
    // The receiving council's chain records that a family's information arrived.
    await audit(tx, { laId: to.id, action: 'transfer.sent', recordType: 'transfer', recordId: id, detail: { from: council.code } })
    const hubs = await tx
      .selectFrom('users')
      .select(['email', 'full_name'])
      .where('la_id', '=', to.id)
      .where('disabled_at', 'is', null)
      .where(sql<boolean>`roles && ${rolesWith('episode.follow-up')}::text[]`)
      .execute()
    for (const h of hubs) {
      await queueMail(tx, {
        laId: to.id,
        to: h.email,
        subject: `A family is moving to your council from ${council.name}`,
        text: [
          `Hello ${h.full_name},`,
          '',
          `${council.name} has asked your early help hub to take on a family who are moving to you. Please accept (choosing a lead professional) or decline it.`,
          '',
          `See it here: ${baseUrl}/transfers/${id}`,
          '',
          'This email does not name the family, to keep their information safe.',
        ].join('\n'),
      })
    }
    return id
  })
}

/**
 * The receiving hub's decision. Accepted: the family arrives (arrival.ts), the lead chosen is asked to
 * accept, and the sending episode closes as transferred. Declined: the sending episode carries on, and
 * its lead is told why. Both councils' chains record it.
 */
export async function decideTransfer(db: Kysely<DB>, actor: Actor, id: number, decision: TransferDecision, baseUrl: string): Promise<number | null> {
  await requireTransfer(db, actor, id, 'decide')
  const transfer = await db
    .selectFrom('transfers as t')
    .innerJoin('local_authorities as la', 'la.id', 't.la_id')
    .innerJoin('users as u', 'u.id', 't.requested_by')
    .select(['t.la_id', 't.episode_id', 't.status', 't.package', 'la.name as fromName', 'u.email', 'u.full_name'])
    .where('t.id', '=', id)
    .executeTakeFirstOrThrow()
  if (transfer.status !== 'waiting') throw new TransferRefused({ form: 'This transfer has already been decided. It may have changed since you opened it' })
  const sent = await db.selectFrom('episodes').select(['status', 'origin']).where('id', '=', transfer.episode_id).executeTakeFirstOrThrow()
  if (decision.accept && !stageAllows(sent.status, 'transfer', sent.origin))
    throw new TransferRefused({
      form: 'The family’s episode in the sending council has changed since it asked (it is waiting for social care, or closed). Decline the transfer, or ask the sending council',
    })
  const newEpisode = decision.accept ? await arriveFromDocument(db, actor, transfer.package as unknown as TransferDocument, decision.leadUserId) : null
  // On the sending council's side, the receiving hub acts for the move.
  const sending: Actor = { ...actor, laId: transfer.la_id }
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('transfers')
      .set({
        status: decision.accept ? 'accepted' : 'declined',
        decided_by: actor.userId,
        decided_at: sql<Date>`now()`,
        decline_reason: decision.accept ? null : decision.reason,
        new_episode_id: newEpisode,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .where('status', '=', 'waiting')
      .executeTakeFirst()
    if (!updated.numUpdatedRows) throw new TransferRefused({ form: 'This transfer has just been decided' })
    const action = decision.accept ? 'transfer.accepted' : 'transfer.declined'
    await auditAs(tx, actor, action, { type: 'transfer', id }, { episode: newEpisode })
    await audit(tx, { laId: transfer.la_id, actorUserId: actor.userId, action, recordType: 'episode', recordId: transfer.episode_id, detail: { transfer: id } })
    if (decision.accept) {
      const council = await tx.selectFrom('local_authorities').select('name').where('id', '=', actor.laId).executeTakeFirstOrThrow()
      await closeHandedOver(tx, sending, transfer.episode_id, {
        step: 'transfer',
        reason: MOVED_REASON,
        summary: `Transferred to ${council.name}, whose early help hub took the family on on ${dateWords(today())}.`,
      })
    }
    await queueMail(tx, {
      laId: transfer.la_id,
      to: transfer.email,
      subject: `Your transfer request: ${decision.accept ? 'accepted' : 'declined'}`,
      text: [
        `Hello ${transfer.full_name},`,
        '',
        decision.accept
          ? 'The receiving council has taken the family on. Your episode is now closed as transferred; what was sent stays with it.'
          : 'The receiving council has declined the transfer. The family stays with you for now: read why on the transfer.',
        '',
        `See it here: ${baseUrl}/transfers/${id}`,
        '',
        'This email does not name the family, to keep their information safe.',
      ].join('\n'),
    })
  })
  return newEpisode
}
