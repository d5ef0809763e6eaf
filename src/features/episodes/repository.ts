import { sql, type Expression, type Insertable, type Kysely, type UpdateObject } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB, EpisodeStatus } from '../../db/schema.ts'
import { NotFound } from '../../web/outcome.ts'
import { rolesWith } from '../../web/permissions.ts'
import { displayName } from '../people/repository.ts'

import { STAGE_LABELS } from './stages.ts'

export interface EpisodePerson {
  id: number
  name: string
  dateOfBirth: string | null
  expectedDeliveryDate: string | null
  role: 'child' | 'adult'
  /** Takes part in the Team Around the Family. */
  inTeam: boolean
}

export interface Professional {
  userId: number
  name: string
  email: string
  phone: string | null
  agencyName: string
}

const professional = (db: Kysely<DB>) =>
  db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id as userId', 'u.full_name as name', 'u.email', 'u.phone', 'a.name as agencyName'])

/**
 * The current lead professional: asked, accepted and not yet handed over (a partial unique index keeps
 * one per episode). The one definition of "the lead", for the rows of lead_professionals as `alias`.
 */
export function isCurrentLead(alias = 'lead_professionals') {
  return sql<boolean>`${sql.ref(`${alias}.accepted_at`)} is not null and ${sql.ref(`${alias}.ended_at`)} is null`
}

/** The children of the episode `e`, by name, for a list staff read. */
export const childNames = sql<string>`(select string_agg(concat_ws(' ', p.given_name, p.family_name), ', ' order by ep.sort_order)
  from episode_people ep join people p on p.id = ep.person_id where ep.episode_id = e.id and ep.role = 'child')`

/** A row of json_agg turned back into the Date a timestamp column gives outside JSON. */
const at = (v: Date | string | null) => (v === null ? null : new Date(v))

/**
 * The select behind every page about an episode: the episode, its initiator, its people and its lead
 * professionals, in one query. The episode page's read model adds its own columns to it.
 */
export function episodeQuery(db: Kysely<DB>, laId: number, id: number) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('users as u', 'u.id', 'e.initiator_user_id')
    .innerJoin('agencies as a', 'a.id', 'e.initiator_agency_id')
    .selectAll('e')
    .select(['u.full_name as initiatorName', 'u.email as initiatorEmail', 'u.phone as initiatorPhone', 'a.name as initiatorAgency'])
    .select((eb) => [jsonArrayFrom(peopleOf(db, eb.ref('e.id'))).as('peopleRows'), jsonArrayFrom(leadProfessionals(db, eb.ref('e.id'))).as('leadRows')])
    .where('e.id', '=', id)
    .where('e.la_id', '=', laId)
}

type EpisodeRow = NonNullable<Awaited<ReturnType<ReturnType<typeof episodeQuery>['executeTakeFirst']>>>

/** The episode as pages use it, from a row of `episodeQuery` (and whatever a read model added). */
export function toEpisode<R extends EpisodeRow>({ peopleRows, leadRows, ...episode }: R) {
  const people = peopleRows.map(toEpisodePerson)
  const leads = leadRows.map((l) => ({
    ...l,
    proposedAt: at(l.proposedAt)!,
    acceptedAt: at(l.acceptedAt),
    declinedAt: at(l.declinedAt),
    endedAt: at(l.endedAt),
  }))
  return {
    ...episode,
    statusLabel: STAGE_LABELS[episode.status],
    people,
    children: people.filter((p) => p.role === 'child'),
    adults: people.filter((p) => p.role === 'adult'),
    lead: leads.find((l) => l.acceptedAt && !l.endedAt) ?? null,
    proposedLead: leads.find((l) => !l.acceptedAt && !l.declinedAt) ?? null,
    leadHistory: leads,
  }
}

/** An episode of the actor's council, with its people and lead professional. Throws NotFound otherwise. */
export async function loadEpisode(db: Kysely<DB>, laId: number, id: number) {
  const row = await episodeQuery(db, laId, id).executeTakeFirst()
  if (!row) throw new NotFound()
  return toEpisode(row)
}
export type Episode = ReturnType<typeof toEpisode<EpisodeRow>>

function peopleOf(db: Kysely<DB>, episodeId: number | Expression<number>) {
  return db
    .selectFrom('episode_people as ep')
    .innerJoin('people as p', 'p.id', 'ep.person_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.expected_delivery_date', 'ep.role', 'ep.in_team'])
    .where('ep.episode_id', '=', episodeId)
    .orderBy(sql`ep.role = 'adult'`)
    .orderBy('ep.sort_order')
    .orderBy('p.date_of_birth')
}

function toEpisodePerson(r: {
  id: number
  given_name: string | null
  family_name: string | null
  date_of_birth: string | null
  expected_delivery_date: string | null
  role: 'child' | 'adult'
  in_team: boolean
}): EpisodePerson {
  return {
    id: r.id,
    name: displayName(r),
    dateOfBirth: r.date_of_birth,
    expectedDeliveryDate: r.expected_delivery_date,
    role: r.role,
    inTeam: r.in_team,
  }
}

export async function episodePeople(db: Kysely<DB>, episodeId: number): Promise<EpisodePerson[]> {
  return (await peopleOf(db, episodeId).execute()).map(toEpisodePerson)
}

function leadProfessionals(db: Kysely<DB>, episodeId: Expression<number>) {
  return professional(db)
    .innerJoin('lead_professionals as l', 'l.user_id', 'u.id')
    .select([
      'l.id',
      'l.proposed_at as proposedAt',
      'l.family_agreed_on as familyAgreedOn',
      'l.accepted_at as acceptedAt',
      'l.declined_at as declinedAt',
      'l.ended_at as endedAt',
    ])
    .where('l.episode_id', '=', episodeId)
    .orderBy('l.proposed_at')
    .orderBy('l.id')
}

/**
 * The open episode of each of these children, with its lead professional: what anyone searching may
 * know (so no child gets two CAFs and professionals can join up), and nothing of its content.
 */
export async function openEpisodesOf(db: Kysely<DB>, laId: number, personIds: readonly number[]) {
  if (!personIds.length) return new Map<number, { episodeId: number; status: EpisodeStatus; statusLabel: string; lead: Professional | null }>()
  const rows = await db
    .selectFrom('episode_people as ep')
    .innerJoin('episodes as e', 'e.id', 'ep.episode_id')
    .leftJoin('lead_professionals as l', (j) => j.onRef('l.episode_id', '=', 'e.id').on(isCurrentLead('l')))
    .leftJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['ep.person_id', 'e.id', 'e.status', 'u.id as userId', 'u.full_name', 'u.email', 'u.phone', 'a.name as agencyName'])
    .where('ep.la_id', '=', laId)
    .where('ep.person_id', 'in', [...personIds])
    .where('ep.episode_open', '=', true)
    .where('ep.role', '=', 'child')
    .execute()
  return new Map(
    rows.map((r) => [
      r.person_id,
      {
        episodeId: r.id,
        status: r.status,
        statusLabel: STAGE_LABELS[r.status],
        lead: r.userId ? { userId: r.userId, name: r.full_name!, email: r.email!, phone: r.phone, agencyName: r.agencyName! } : null,
      },
    ]),
  )
}

/** Practitioners of the council who could join a team or lead: active users who do casework. */
export function caseworkers(db: Kysely<DB>, laId: number) {
  return professional(db)
    .select('u.agency_id as agencyId')
    .where('u.la_id', '=', laId)
    .where('u.disabled_at', 'is', null)
    .where(sql<boolean>`u.roles && ${rolesWith('episode.work')}::text[]`)
    .orderBy('u.full_name')
    .execute()
}

/** The names of an episode's children, for a list's read model to nest (with `displayName`). */
export function childNamesOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return db
    .selectFrom('episode_people as ep')
    .innerJoin('people as p', 'p.id', 'ep.person_id')
    .select(['p.given_name', 'p.family_name'])
    .where('ep.episode_id', '=', episodeId)
    .where('ep.role', '=', 'child')
}

/** The current team (Team Around the Family) of an episode. */
export function currentTeam(db: Kysely<DB>, episodeId: number) {
  return teamOf(db, episodeId).execute()
}

/** The query behind `currentTeam`, for a read model to nest. */
export function teamOf(db: Kysely<DB>, episodeId: number | Expression<number>) {
  return professional(db)
    .innerJoin('team_members as t', 't.user_id', 'u.id')
    .select(['t.id as memberId', 't.agency_id as agencyId', 't.joined_at as joinedAt'])
    .where('t.episode_id', '=', episodeId)
    .where('t.left_at', 'is', null)
    .orderBy('t.joined_at')
}

/** The members of an episode's team without an account, with their organisation. */
export function externalsOf(db: Kysely<DB>, episodeId: number | Expression<number>) {
  return db
    .selectFrom('team_externals as x')
    .innerJoin('agencies as a', 'a.id', 'x.agency_id')
    .select(['x.id', 'x.name', 'x.role', 'x.email', 'x.agency_id as agencyId', 'a.name as agencyName', 'x.added_at as addedAt'])
    .where('x.episode_id', '=', episodeId)
    .where('x.left_at', 'is', null)
    .orderBy('x.added_at')
}

/** Every episode a person has been part of (or only those one user started), newest first (for their record). */
export async function episodesOfPerson(db: Kysely<DB>, laId: number, personId: number, only: { initiatedBy?: number } = {}) {
  let query = db
    .selectFrom('episode_people as ep')
    .innerJoin('episodes as e', 'e.id', 'ep.episode_id')
    .select(['e.id', 'e.status', 'e.kind', 'e.created_at as startedAt', 'e.closed_at as closedAt', 'ep.role'])
    .where('ep.la_id', '=', laId)
    .where('ep.person_id', '=', personId)
  if (only.initiatedBy !== undefined) query = query.where('e.initiator_user_id', '=', only.initiatedBy)
  const rows = await query.orderBy('e.created_at', 'desc').execute()
  return rows.map((r) => ({ ...r, statusLabel: STAGE_LABELS[r.status] }))
}

// The SQL that writes the episodes table. Every feature changes an episode's row through these (the
// stage through `changeStage` in stages.ts, which calls `saveStage`), so what may change lives here.

export type EpisodeColumns = Omit<UpdateObject<DB, 'episodes'>, 'status' | 'version' | 'updated_at'>

/** A new episode. It belongs to the locality its initiating agency is in when it starts. */
export async function insertEpisode(tx: Kysely<DB>, values: Omit<Insertable<DB['episodes']>, 'locality_id'>): Promise<number> {
  const locality = sql<number | null>`(select locality_id from agencies where id = ${values.initiator_agency_id} and la_id = ${values.la_id})`
  const row = await tx
    .insertInto('episodes')
    .values({ ...values, locality_id: locality })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** A new stage, with the columns that change with it (closed_at, need_level...). Only `changeStage` calls this. */
export async function saveStage(tx: Kysely<DB>, laId: number, episodeId: number, to: EpisodeStatus, set: EpisodeColumns = {}): Promise<void> {
  await tx
    .updateTable('episodes')
    .set({ ...set, status: to, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', episodeId)
    .where('la_id', '=', laId)
    .execute()
}

/** The family's copy given on a day; false when the assessment is not completed (nothing is saved). */
export async function saveCopyGiven(tx: Kysely<DB>, laId: number, episodeId: number, givenOn: string, byUserId: number): Promise<boolean> {
  const r = await tx
    .updateTable('episodes')
    .set({ copy_given_on: givenOn, copy_given_recorded_by: byUserId, updated_at: sql<Date>`now()` })
    .where('id', '=', episodeId)
    .where('la_id', '=', laId)
    .where('assessment_completed_at', 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function saveLawfulBasis(tx: Kysely<DB>, laId: number, episodeId: number, basis: string): Promise<void> {
  await tx
    .updateTable('episodes')
    .set({ lawful_basis: basis, updated_at: sql<Date>`now()` })
    .where('id', '=', episodeId)
    .where('la_id', '=', laId)
    .execute()
}

export async function saveNextReview(tx: Kysely<DB>, laId: number, episodeId: number, on: string | null): Promise<void> {
  await tx
    .updateTable('episodes')
    .set({ next_review_on: on, updated_at: sql<Date>`now()` })
    .where('id', '=', episodeId)
    .where('la_id', '=', laId)
    .execute()
}

/** The user responsible for the episode `e`: its lead professional, or while nobody leads it, who started it. */
export const responsibleUserId = sql<number>`coalesce(e.lead_user_id, e.initiator_user_id)`

/** The agency responsible for the episode `e`: its lead professional's, or while nobody leads it, the one that started it. */
export const responsibleAgency = sql<number>`coalesce((select u.agency_id from users u where u.id = e.lead_user_id), e.initiator_agency_id)`

/**
 * Who is responsible for the episode: its lead professional, or while nobody leads, who started it;
 * with their agency (the lead's, or the one that started it) and the episode's locality. The person
 * told of an audit or of a referral's progress.
 */
export function responsibleProfessional(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('users as u', (j) => j.on(sql<boolean>`u.id = ${responsibleUserId}`))
    .select(['u.id', 'u.email', 'u.full_name as name', 'e.locality_id as localityId'])
    .select(responsibleAgency.as('agencyId'))
    .where('e.id', '=', episodeId)
    .where('e.la_id', '=', laId)
    .executeTakeFirstOrThrow()
}
