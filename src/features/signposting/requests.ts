import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { NotFound } from '../../web/outcome.ts'
import { requirePerson } from '../../policies/person.ts'
import { requireSignposting } from '../../policies/signposting.ts'
import { auditAs } from '../audit/audit-log.ts'
import { openEpisodeOfAny } from '../episodes/start.ts'
import { queueMail } from '../mail/outbox.ts'
import { displayName, isChild } from '../people/repository.ts'
import { householdOf } from '../people/households.ts'

/**
 * Signposting (Kingston's SPTSF): a practitioner sends one clear need to a service that takes
 * referrals through the hub, without a full CAF. The hub passes it on (a referral, tracked as any
 * other) or declines it. If the need is not met, a CAF can be started from it, carrying the child,
 * the need and the family's consent across.
 */

export interface SignpostingInput {
  need: string
  serviceId: number
  giverId: number
  giverRole: 'parent-with-pr' | 'young-person'
  method: 'written' | 'verbal'
  givenOn: string
}

/** What the request needs and was not given, field to message. */
export class SignpostingRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('signposting refused')
  }
}
/** The child already has an open CAF: the need belongs in its plan. */
export class HasOpenCaf extends Error {
  constructor(public readonly episodeId: number) {
    super('open CAF')
  }
}

/** The services a practitioner may signpost to: those open to new referrals that take them through the hub. */
export function signpostingServices(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('services as s')
    .innerJoin('agencies as a', 'a.id', 's.provider_agency_id')
    .select(['s.id', 's.name', 's.description', 'a.name as provider'])
    .where('s.la_id', '=', laId)
    .where('s.via_hub', '=', true)
    .where('s.open', '=', true)
    .orderBy('s.name')
    .execute()
}

/** Who may give consent for the child: the young person, or an adult in their household now (their relationship said). */
export async function possibleGivers(db: Kysely<DB>, actor: Actor, childId: number, childName: string): Promise<{ id: number; name: string }[]> {
  const household = await householdOf(db, actor, childId)
  const adults = household.filter(
    (m) => !m.toDate && m.personId !== childId && m.dateOfBirth && !isChild({ date_of_birth: m.dateOfBirth, expected_delivery_date: null }, today()),
  )
  return [
    { id: childId, name: `${childName} (the young person)` },
    ...adults.map((m) => ({ id: m.personId, name: displayName(m) + (m.relationshipText ? ` (${m.relationshipText})` : '') })),
  ]
}

export async function requestSignposting(db: Kysely<DB>, actor: Actor, childId: number, input: SignpostingInput): Promise<number> {
  await requirePerson(db, actor, childId, 'edit')
  const child = await db.selectFrom('people').select(['date_of_birth', 'expected_delivery_date']).where('id', '=', childId).executeTakeFirstOrThrow()
  if (!isChild(child, today())) throw new NotFound()
  const open = await openEpisodeOfAny(db, actor.laId, [childId])
  if (open) throw new HasOpenCaf(open)
  const services = await signpostingServices(db, actor.laId)
  if (!services.some((s) => s.id === input.serviceId)) throw new SignpostingRefused({ serviceId: 'Select a service from the list' })
  if (!(await possibleGivers(db, actor, childId, '')).some((g) => g.id === input.giverId))
    throw new SignpostingRefused({ giverId: 'Select who gave consent from the list' })
  if ((input.giverRole === 'young-person') !== (input.giverId === childId))
    throw new SignpostingRefused({
      giverRole:
        input.giverRole === 'young-person'
          ? 'Only the young person themself gives consent as the young person'
          : 'The young person gives consent as the young person, not as a parent or carer',
    })
  return db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('signposting_requests')
      .values({
        la_id: actor.laId,
        child_person_id: childId,
        need: input.need,
        service_id: input.serviceId,
        consent_giver_person_id: input.giverId,
        giver_role: input.giverRole,
        consent_method: input.method,
        consent_given_on: input.givenOn,
        requested_by: actor.userId,
        requested_agency_id: actor.agencyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'signposting.requested', { type: 'person', id: childId }, { signposting: id, service: input.serviceId })
    return id
  })
}

/** Locks a waiting request for the hub's decision. */
async function waitingRequest(tx: Kysely<DB>, actor: Actor, id: number) {
  const row = await tx
    .selectFrom('signposting_requests as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .innerJoin('users as u', 'u.id', 'g.requested_by')
    .select(['g.status', 'g.child_person_id', 'g.need', 'g.service_id', 's.name as service', 'u.id as requesterId', 'u.email', 'u.full_name'])
    .where('g.id', '=', id)
    .where('g.la_id', '=', actor.laId)
    .forUpdate('g')
    .executeTakeFirstOrThrow()
  if (row.status !== 'waiting') throw new SignpostingRefused({ form: 'The hub has already decided this request. It may have changed since you opened it' })
  return row
}

/** Tells the practitioner who asked what the hub decided (no child's name in the email). */
async function tellRequester(
  tx: Kysely<DB>,
  actor: Actor,
  id: number,
  r: { email: string; full_name: string; service: string },
  what: string,
  baseUrl: string,
) {
  await queueMail(tx, {
    laId: actor.laId,
    to: r.email,
    subject: `Your signposting request to ${r.service}: ${what}`,
    text: [
      `Hello ${r.full_name},`,
      '',
      `The CAF hub has ${what === 'passed to the service' ? 'passed your signposting request to' : 'declined your signposting request to'} ${r.service}.`,
      '',
      `See it here: ${baseUrl}/signposting/${id}`,
      '',
      'This email does not name the family, to keep their information safe.',
    ].join('\n'),
  })
}

/** The hub passes the request to its service: a referral, which the provider answers as any other. */
export async function passToService(db: Kysely<DB>, actor: Actor, id: number, baseUrl: string): Promise<number> {
  await requireSignposting(db, actor, id, 'decide')
  return db.transaction().execute(async (tx) => {
    const r = await waitingRequest(tx, actor, id)
    if (!(await signpostingServices(tx, actor.laId)).some((s) => s.id === r.service_id))
      throw new SignpostingRefused({ form: `${r.service} is not taking referrals through the hub now. Decline the request, saying so` })
    // One open CAF per child: the need belongs in its plan now.
    const open = await openEpisodeOfAny(tx, actor.laId, [r.child_person_id])
    if (open) throw new HasOpenCaf(open)
    const { id: referralId } = await tx
      .insertInto('referrals')
      .values({
        la_id: actor.laId,
        signposting_id: id,
        service_id: r.service_id,
        child_person_id: r.child_person_id,
        need: r.need,
        outcome: null,
        requested_on: today(),
        requested_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await tx
      .insertInto('referral_events')
      .values({ la_id: actor.laId, referral_id: referralId, status: 'requested', note: null, by_user_id: actor.userId })
      .execute()
    await tx
      .updateTable('signposting_requests')
      .set({ status: 'passed', decided_by: actor.userId, decided_at: sql<Date>`now()`, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute()
    if (r.requesterId !== actor.userId) await tellRequester(tx, actor, id, r, 'passed to the service', baseUrl)
    await auditAs(tx, actor, 'signposting.passed', { type: 'signposting', id }, { referral: referralId })
    return referralId
  })
}

export async function declineSignposting(db: Kysely<DB>, actor: Actor, id: number, reason: string, baseUrl: string): Promise<void> {
  await requireSignposting(db, actor, id, 'decide')
  await db.transaction().execute(async (tx) => {
    const r = await waitingRequest(tx, actor, id)
    await tx
      .updateTable('signposting_requests')
      .set({ status: 'declined', decline_reason: reason, decided_by: actor.userId, decided_at: sql<Date>`now()`, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute()
    if (r.requesterId !== actor.userId) await tellRequester(tx, actor, id, r, 'declined', baseUrl)
    await auditAs(tx, actor, 'signposting.declined', { type: 'signposting', id })
  })
}
