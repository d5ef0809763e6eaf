import { sql, type Expression, type Kysely } from 'kysely'
import { isCurrentLead, saveLawfulBasis } from './repository.ts'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'

export const GIVER_ROLES = [
  { value: 'parent-with-pr', text: 'A parent or carer with parental responsibility' },
  { value: 'young-person', text: 'The young person themself' },
] as const
export const METHODS = [
  { value: 'written', text: 'In writing (a signed form or a message from them)' },
  { value: 'verbal', text: 'Spoken (in person or by phone), recorded here by you' },
] as const
export const DECISIONS = [
  { value: 'given', text: 'Yes, they agree to the assessment and to information being shared with the agencies below' },
  { value: 'refused', text: 'No, they do not agree' },
] as const
export const LAWFUL_BASES = [
  {
    value: 'public-task',
    text: 'Public task',
    hint: 'The council holds this record to carry out its duties to children and families (UK GDPR Article 6(1)(e)). This is the usual basis for early help.',
  },
  { value: 'legal-obligation', text: 'Legal obligation', hint: 'A law requires the council to hold this record (UK GDPR Article 6(1)(c)).' },
  { value: 'vital-interests', text: 'Vital interests', hint: 'Needed to protect someone’s life (UK GDPR Article 6(1)(d)).' },
] as const

export interface ConsentInput {
  decision: 'given' | 'refused'
  givenBy: number
  giverRole: 'parent-with-pr' | 'young-person'
  method: 'written' | 'verbal'
  givenOn: string
  agencyIds: number[]
}

/** The latest consent of an episode, with the agencies it names now and every change to them. */
/** Given, not withdrawn, and naming at least one agency: what completing the assessment needs. */
export function consentInForce(latest: { decision: string; withdrawn_on: string | null } | null, agencies: number): boolean {
  return Boolean(latest && latest.decision === 'given' && !latest.withdrawn_on && agencies > 0)
}

/** The family's latest consent decision and how many agencies it now names: queries for a read model. */
export function consentSummaryOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return {
    latest: db
      .selectFrom('consents')
      .select(['decision', 'withdrawn_on'])
      .where('episode_id', '=', episodeId)
      .orderBy('recorded_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1),
    agencies: db
      .selectFrom('consent_agencies')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('episode_id', '=', episodeId)
      .where('removed_at', 'is', null),
  }
}

export async function consentOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const [history, agencies] = await Promise.all([
    db
      .selectFrom('consents as c')
      .innerJoin('people as p', 'p.id', 'c.given_by_person_id')
      .innerJoin('users as u', 'u.id', 'c.recorded_by')
      .selectAll('c')
      .select(['p.given_name', 'p.family_name', 'u.full_name as recordedByName'])
      .where('c.episode_id', '=', episodeId)
      .where('c.la_id', '=', laId)
      .orderBy('c.recorded_at', 'desc')
      .orderBy('c.id', 'desc')
      .execute(),
    db
      .selectFrom('consent_agencies as ca')
      .innerJoin('agencies as a', 'a.id', 'ca.agency_id')
      .innerJoin('users as added', 'added.id', 'ca.added_by')
      .leftJoin('users as removed', 'removed.id', 'ca.removed_by')
      .select([
        'ca.id',
        'ca.agency_id as agencyId',
        'a.name as agencyName',
        'ca.added_at as addedAt',
        'added.full_name as addedBy',
        'ca.removed_at as removedAt',
        'removed.full_name as removedBy',
        'ca.removed_reason as removedReason',
      ])
      .where('ca.episode_id', '=', episodeId)
      .where('ca.la_id', '=', laId)
      .orderBy('ca.added_at')
      .orderBy('ca.id')
      .execute(),
  ])
  const latest = history[0] ?? null
  const current = agencies.filter((a) => !a.removedAt)
  return {
    latest,
    history,
    agencies,
    current,
    inForce: consentInForce(latest, current.length),
  }
}

async function checkAgencies(db: Kysely<DB>, laId: number, ids: readonly number[]) {
  if (!ids.length) return
  const found = await db
    .selectFrom('agencies')
    .select('id')
    .where('la_id', '=', laId)
    .where('id', 'in', [...ids])
    .execute()
  if (found.length !== new Set(ids).size) throw new NotFound()
}

async function checkGiver(db: Kysely<DB>, laId: number, episodeId: number, personId: number) {
  const member = await db
    .selectFrom('episode_people')
    .select('person_id')
    .where('la_id', '=', laId)
    .where('episode_id', '=', episodeId)
    .where('person_id', '=', personId)
    .executeTakeFirst()
  if (!member) throw new NotFound()
}

/**
 * Records the family's decision. Given: the agencies named are added (and any named before but not
 * now are removed, dated). Refused: every agency is removed; the assessment cannot be completed.
 */
export async function recordConsent(db: Kysely<DB>, actor: Actor, episodeId: number, input: ConsentInput): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await checkGiver(db, actor.laId, episodeId, input.givenBy)
  await checkAgencies(db, actor.laId, input.agencyIds)
  await db.transaction().execute((tx) => writeConsent(tx, actor, episodeId, input))
}

/** The consent and the agencies it names, written inside the caller's transaction (after its checks). */
export async function writeConsent(tx: Kysely<DB>, actor: Actor, episodeId: number, input: ConsentInput): Promise<void> {
  const named = input.decision === 'given' ? input.agencyIds : []
  const consent = await tx
    .insertInto('consents')
    .values({
      la_id: actor.laId,
      episode_id: episodeId,
      decision: input.decision,
      given_by_person_id: input.givenBy,
      giver_role: input.giverRole,
      method: input.method,
      given_on: input.givenOn,
      recorded_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const current = await consentedAgencyIds(tx, episodeId)
  const reason = input.decision === 'refused' ? 'Consent refused' : 'Not named in the new consent'
  const dropped = current.filter((id) => !named.includes(id))
  await removeAgencies(tx, actor, episodeId, dropped, reason, { leaveTeam: input.decision === 'given' })
  await addAgencies(
    tx,
    actor,
    episodeId,
    named.filter((id) => !current.includes(id)),
  )
  await auditAs(tx, actor, 'consent.recorded', { type: 'episode', id: episodeId }, { consentId: consent.id, decision: input.decision, agencies: named })
}

/** Adds an agency to the current consent (the family agreed to share with one more). */
export async function addConsentedAgency(db: Kysely<DB>, actor: Actor, episodeId: number, agencyId: number): Promise<'added' | 'no-consent' | 'already'> {
  await requireEpisode(db, actor, episodeId, 'work')
  await checkAgencies(db, actor.laId, [agencyId])
  return db.transaction().execute(async (tx) => {
    const { latest } = await consentOf(tx, actor.laId, episodeId)
    if (!latest || latest.decision !== 'given' || latest.withdrawn_on) return 'no-consent'
    if ((await consentedAgencyIds(tx, episodeId)).includes(agencyId)) return 'already'
    await addAgencies(tx, actor, episodeId, [agencyId])
    await auditAs(tx, actor, 'consent.agency-added', { type: 'episode', id: episodeId }, { agencyId })
    return 'added'
  })
}

/** The family withdraws consent for one agency: its users lose access to the episode from now. */
export async function withdrawAgency(db: Kysely<DB>, actor: Actor, episodeId: number, agencyId: number, reason: string): Promise<boolean> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    const removed = await removeAgencies(tx, actor, episodeId, [agencyId], reason, { leaveTeam: true })
    if (!removed) return false
    await auditAs(tx, actor, 'consent.agency-withdrawn', { type: 'episode', id: episodeId }, { agencyId })
    return true
  })
}

/** The family withdraws consent altogether: every agency is removed from now. */
export async function withdrawConsent(db: Kysely<DB>, actor: Actor, episodeId: number, withdrawnOn: string, reason: string): Promise<boolean> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute(async (tx) => {
    const { latest } = await consentOf(tx, actor.laId, episodeId)
    if (!latest || latest.decision !== 'given' || latest.withdrawn_on) return false
    await tx
      .updateTable('consents')
      .set({ withdrawn_on: withdrawnOn, withdrawn_reason: reason, withdrawn_by: actor.userId })
      .where('id', '=', latest.id)
      .execute()
    await removeAgencies(tx, actor, episodeId, await consentedAgencyIds(tx, episodeId), 'Consent withdrawn', { leaveTeam: false })
    await auditAs(tx, actor, 'consent.withdrawn', { type: 'episode', id: episodeId }, { consentId: latest.id })
    return true
  })
}

export async function setLawfulBasis(db: Kysely<DB>, actor: Actor, episodeId: number, basis: string): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    await saveLawfulBasis(tx, actor.laId, episodeId, basis)
    await auditAs(tx, actor, 'episode.lawful-basis-set', { type: 'episode', id: episodeId }, { basis })
  })
}

/** The agencies the family's consent names now: the only ones information about the family may go to. */
export async function consentedAgencyIds(db: Kysely<DB>, episodeId: number): Promise<number[]> {
  const rows = await db.selectFrom('consent_agencies').select('agency_id').where('episode_id', '=', episodeId).where('removed_at', 'is', null).execute()
  return rows.map((r) => r.agency_id)
}

async function addAgencies(db: Kysely<DB>, actor: Actor, episodeId: number, ids: readonly number[]) {
  if (!ids.length) return
  await db
    .insertInto('consent_agencies')
    .values(ids.map((agency_id) => ({ la_id: actor.laId, episode_id: episodeId, agency_id, added_by: actor.userId })))
    .execute()
}

/**
 * Removes agencies from the consent. For one agency the family no longer agrees to (not a refusal or
 * withdrawal of everything), its staff also leave the team, any request for one of them to lead lapses,
 * and a lead professional from it stops leading: the hub allocates another.
 */
async function removeAgencies(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  ids: readonly number[],
  reason: string,
  opts: { leaveTeam: boolean },
): Promise<number> {
  if (!ids.length) return 0
  const r = await db
    .updateTable('consent_agencies')
    .set({ removed_at: sql<Date>`now()`, removed_by: actor.userId, removed_reason: reason })
    .where('episode_id', '=', episodeId)
    .where('la_id', '=', actor.laId)
    .where('agency_id', 'in', [...ids])
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (opts.leaveTeam) {
    const users = db
      .selectFrom('users')
      .select('id')
      .where('la_id', '=', actor.laId)
      .where('agency_id', 'in', [...ids])
    await db
      .updateTable('team_members')
      .set({ left_at: sql<Date>`now()`, left_reason: 'Consent withdrawn for their agency' })
      .where('episode_id', '=', episodeId)
      .where('agency_id', 'in', [...ids])
      .where('left_at', 'is', null)
      .execute()
    await db
      .updateTable('team_externals')
      .set({ left_at: sql<Date>`now()`, left_reason: 'Consent withdrawn for their organisation' })
      .where('episode_id', '=', episodeId)
      .where('agency_id', 'in', [...ids])
      .where('left_at', 'is', null)
      .execute()
    await db
      .updateTable('lead_professionals')
      .set({ declined_at: sql<Date>`now()` })
      .where('episode_id', '=', episodeId)
      .where('user_id', 'in', users)
      .where('accepted_at', 'is', null)
      .where('declined_at', 'is', null)
      .execute()
    await db
      .updateTable('lead_professionals')
      .set({ ended_at: sql<Date>`now()` })
      .where('episode_id', '=', episodeId)
      .where('user_id', 'in', users)
      .where(isCurrentLead())
      .execute()
  }
  return Number(r.numUpdatedRows)
}
