import { sql, type Expression, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { ActionStatus, DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { NotFound, WrongStage } from '../../web/outcome.ts'
import { saveIfUnchanged } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import type { Need } from '../assessment/fields.ts'
import { changeStage, requireStage } from '../episodes/stages.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { currentTeam } from '../episodes/repository.ts'
import { scheduleFirstReview } from '../reviews/schedule.ts'

export const ACTION_STATUSES = [
  { value: 'not-started', text: 'Not started' },
  { value: 'in-progress', text: 'In progress' },
  { value: 'done', text: 'Done' },
  { value: 'not-done', text: 'Not done' },
] as const

const OUTCOME_STATUSES = { open: 'Working towards it', achieved: 'Achieved', 'no-longer-relevant': 'No longer relevant' } as const

/**
 * Starts the plan from the completed assessment: one desired outcome for each need it identified,
 * in the family's words, so the plan always refers back to the needs assessed.
 */
export async function startPlan(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'plan')
    const existing = await tx.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episodeId).executeTakeFirst()
    if (existing) throw new WrongStage()
    const section = await tx
      .selectFrom('assessment_sections')
      .select('data')
      .where('episode_id', '=', episodeId)
      .where('section', '=', 'conclusions')
      .executeTakeFirst()
    const needs = ((section?.data.needs as Need[] | undefined) ?? []).filter((n) => n.outcome)
    if (!needs.length) throw new WrongStage()
    await tx
      .insertInto('plan_outcomes')
      .values(
        needs.map((n, i) => ({
          la_id: actor.laId,
          episode_id: episodeId,
          need: n.need,
          outcome: n.outcome!,
          headline: n.headline ?? null,
          sort_order: i,
          created_by: actor.userId,
        })),
      )
      .execute()
    await auditAs(tx, actor, 'plan.started', { type: 'episode', id: episodeId }, { outcomes: needs.length })
  })
}

/** Adds a desired outcome set at a review, after the others, inside the review's transaction. */
export async function addOutcome(tx: Kysely<DB>, actor: Actor, episodeId: number, input: { need: string; outcome: string; reviewId: number }): Promise<void> {
  const last = await tx
    .selectFrom('plan_outcomes')
    .select((eb) => eb.fn.max('sort_order').as('n'))
    .where('episode_id', '=', episodeId)
    .executeTakeFirstOrThrow()
  const row = await tx
    .insertInto('plan_outcomes')
    .values({
      la_id: actor.laId,
      episode_id: episodeId,
      need: input.need,
      outcome: input.outcome,
      sort_order: (last.n ?? -1) + 1,
      review_id: input.reviewId,
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await auditAs(tx, actor, 'plan.outcome-added', { type: 'episode', id: episodeId }, { outcomeId: row.id, reviewId: input.reviewId })
}

/** Who an action belongs to: a member of the team, a family member in the episode, or an agency the family agreed to share with. */
export type Owner = { kind: 'user' | 'person' | 'agency'; id: number }

export interface ActionInput {
  description: string
  owner: Owner
  dueOn: string
  serviceName: string | null
}

export class NotAnOwner extends Error {
  constructor() {
    super('not a possible owner')
  }
}

/** The people and agencies an action on this episode may belong to. */
export async function possibleOwners(db: Kysely<DB>, episodeId: number) {
  const [team, family, agencies] = await Promise.all([
    currentTeam(db, episodeId),
    db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.id', 'p.given_name', 'p.family_name'])
      .where('ep.episode_id', '=', episodeId)
      .orderBy('ep.sort_order')
      .execute(),
    db
      .selectFrom('consent_agencies as c')
      .innerJoin('agencies as a', 'a.id', 'c.agency_id')
      .select(['a.id', 'a.name'])
      .where('c.episode_id', '=', episodeId)
      .where('c.removed_at', 'is', null)
      .orderBy('a.name')
      .execute(),
  ])
  return {
    users: team.map((m) => ({ id: m.userId, name: m.name, agencyId: m.agencyId, agencyName: m.agencyName })),
    family: family.map((p) => ({ id: p.id, name: [p.given_name, p.family_name].filter(Boolean).join(' ') })),
    agencies,
  }
}

async function ownerColumns(db: Kysely<DB>, episodeId: number, owner: Owner) {
  const { users, family, agencies } = await possibleOwners(db, episodeId)
  if (owner.kind === 'user') {
    const user = users.find((u) => u.id === owner.id)
    if (!user) throw new NotAnOwner()
    return { owner_user_id: user.id, owner_agency_id: user.agencyId, owner_person_id: null }
  }
  if (owner.kind === 'person') {
    if (!family.some((p) => p.id === owner.id)) throw new NotAnOwner()
    return { owner_user_id: null, owner_agency_id: null, owner_person_id: owner.id }
  }
  if (!agencies.some((a) => a.id === owner.id)) throw new NotAnOwner()
  return { owner_user_id: null, owner_agency_id: owner.id, owner_person_id: null }
}

/** Adds an action towards an outcome. The first action makes the plan active and sets the first review. */
export async function addAction(db: Kysely<DB>, actor: Actor, episodeId: number, outcomeId: number, input: ActionInput): Promise<number> {
  await requireEpisode(db, actor, episodeId, 'work')
  return db.transaction().execute((tx) => insertAction(tx, actor, episodeId, outcomeId, input, null))
}

/**
 * The action written into the plan, inside the caller's transaction: by `addAction`, or by a panel's
 * decision (`panelRequestId`), whose authority comes from the panel rather than the team.
 */
export async function insertAction(tx: Kysely<DB>, actor: Actor, episodeId: number, outcomeId: number, input: ActionInput, panelRequestId: number | null) {
  const owner = await ownerColumns(tx, episodeId, input.owner)
  const stage = await requireStage(tx, actor.laId, episodeId, 'plan')
  const outcome = await tx.selectFrom('plan_outcomes').select('id').where('id', '=', outcomeId).where('episode_id', '=', episodeId).executeTakeFirst()
  if (!outcome) throw new NotFound()
  const row = await tx
    .insertInto('plan_actions')
    .values({
      la_id: actor.laId,
      episode_id: episodeId,
      outcome_id: outcomeId,
      description: input.description,
      ...owner,
      due_on: input.dueOn,
      service_name: input.serviceName,
      panel_request_id: panelRequestId,
      created_by: actor.userId,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (stage === 'assessment-complete') {
    await changeStage(tx, actor, episodeId, 'plan', 'plan-active')
    await scheduleFirstReview(tx, actor.laId, episodeId)
  }
  await auditAs(
    tx,
    actor,
    'plan.action-added',
    { type: 'episode', id: episodeId },
    { actionId: row.id, outcomeId, ...(panelRequestId ? { panelRequestId } : {}) },
  )
  return row.id
}

export interface ActionChange extends ActionInput {
  status: ActionStatus
  notDoneReason: string | null
  version: number
}

/** Updates an action: its words, owner, date and progress. "Not done" needs a reason. */
export async function updateAction(db: Kysely<DB>, actor: Actor, episodeId: number, actionId: number, input: ActionChange): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  const owner = await ownerColumns(db, episodeId, input.owner)
  await db.transaction().execute(async (tx) => {
    await saveIfUnchanged(
      tx
        .updateTable('plan_actions')
        .set({
          description: input.description,
          ...owner,
          due_on: input.dueOn,
          service_name: input.serviceName,
          status: input.status,
          not_done_reason: input.status === 'not-done' ? input.notDoneReason : null,
          updated_by: actor.userId,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', actionId)
        .where('episode_id', '=', episodeId)
        .where('la_id', '=', actor.laId),
      input.version,
      async () => {
        const now = await tx.selectFrom('plan_actions').selectAll().where('id', '=', actionId).where('episode_id', '=', episodeId).executeTakeFirst()
        if (!now) throw new NotFound()
        return { description: now.description, status: now.status, dueOn: now.due_on }
      },
    )
    await auditAs(tx, actor, 'plan.action-updated', { type: 'episode', id: episodeId }, { actionId, status: input.status })
  })
}

/** An action's progress as a review found it, checked against the version the reviewer saw. */
export interface ActionProgress {
  actionId: number
  status: ActionStatus
  notDoneReason: string | null
  version: number
}

/** Moves actions on at a review, inside its transaction. An action changed meanwhile is a conflict. */
export async function progressActions(tx: Kysely<DB>, actor: Actor, episodeId: number, changes: ActionProgress[], reviewId: number): Promise<void> {
  for (const c of changes) {
    await saveIfUnchanged(
      tx
        .updateTable('plan_actions')
        .set({
          status: c.status,
          not_done_reason: c.status === 'not-done' ? c.notDoneReason : null,
          updated_by: actor.userId,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', c.actionId)
        .where('episode_id', '=', episodeId)
        .where('la_id', '=', actor.laId),
      c.version,
      () => ({ actionId: c.actionId }),
    )
    await auditAs(tx, actor, 'plan.action-updated', { type: 'episode', id: episodeId }, { actionId: c.actionId, status: c.status, reviewId })
  }
}

/** A desired outcome a review found achieved, or no longer relevant. */
export async function settleOutcome(tx: Kysely<DB>, laId: number, episodeId: number, outcomeId: number, status: 'achieved' | 'no-longer-relevant') {
  await tx
    .updateTable('plan_outcomes')
    .set({ status, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', outcomeId)
    .where('episode_id', '=', episodeId)
    .where('la_id', '=', laId)
    .execute()
}

/** An action not started or under way after its due date. */
export function isOverdue(action: { status: string; due_on: string }, now = today()): boolean {
  return (action.status === 'not-started' || action.status === 'in-progress') && action.due_on < now
}

/** The status and due date of each of an episode's actions: a query for a read model that counts overdue ones. */
export function actionStates(db: Kysely<DB>, episodeId: Expression<number>) {
  return db.selectFrom('plan_actions').select(['status', 'due_on']).where('episode_id', '=', episodeId)
}

/** The plan: each desired outcome with its need and its actions, each action's owner and whether it is overdue. */
export async function planOf(db: Kysely<DB>, laId: number, episodeId: number) {
  const outcomes = await db
    .selectFrom('plan_outcomes as o')
    .leftJoin('reviews as r', 'r.id', 'o.review_id')
    .selectAll('o')
    .select('r.held_on as setAtReviewOn')
    .select((eb) =>
      jsonArrayFrom(
        db
          .selectFrom('plan_actions as p')
          .leftJoin('agencies as a', 'a.id', 'p.owner_agency_id')
          .leftJoin('users as u', 'u.id', 'p.owner_user_id')
          .leftJoin('people as f', 'f.id', 'p.owner_person_id')
          .selectAll('p')
          .select(['a.name as agencyName', 'u.full_name as ownerName', 'f.given_name as familyGiven', 'f.family_name as familyFamily'])
          .where('p.outcome_id', '=', eb.ref('o.id'))
          .orderBy('p.due_on')
          .orderBy('p.id'),
      ).as('actionRows'),
    )
    .where('o.episode_id', '=', episodeId)
    .where('o.la_id', '=', laId)
    .orderBy('o.sort_order')
    .execute()
  const now = today()
  return outcomes.map(({ actionRows, ...o }) => ({
    ...o,
    statusText: OUTCOME_STATUSES[o.status],
    actions: actionRows.map((a) => ({
      ...a,
      // Timestamps come back from JSON as text.
      created_at: new Date(a.created_at),
      updated_at: new Date(a.updated_at),
      owner: ownerWords(a),
      /** The family's own words for who: their name alone when it is one of them. */
      familyOwner: a.owner_person_id ? [a.familyGiven, a.familyFamily].filter(Boolean).join(' ') : null,
      statusText: ACTION_STATUSES.find((s) => s.value === a.status)!.text,
      overdue: isOverdue(a, now),
    })),
  }))
}
export type Plan = Awaited<ReturnType<typeof planOf>>

/** Who an action belongs to, in words: "Priya Patel (Oakfield Primary School)", "Sarah Smith (family)" or the agency. */
function ownerWords(a: { ownerName: string | null; agencyName: string | null; familyGiven: string | null; familyFamily: string | null }): string {
  if (a.ownerName) return `${a.ownerName} (${a.agencyName})`
  if (a.agencyName) return a.agencyName
  return `${[a.familyGiven, a.familyFamily].filter(Boolean).join(' ')} (family)`
}

/** Desired outcomes set and achieved: what closure and distance travelled report. */
export async function outcomeCounts(db: Kysely<DB>, episodeId: number): Promise<{ set: number; achieved: number }> {
  const row = await outcomeCountsOf(db, episodeId).executeTakeFirstOrThrow()
  return { set: row.set, achieved: row.achieved }
}

/**
 * The desired outcomes still being worked towards (neither achieved nor no longer relevant), in plan
 * order: those a review must go back to, and those closing as "needs met" must account for.
 */
export function openOutcomes(db: Kysely<DB>, episodeId: number) {
  return db
    .selectFrom('plan_outcomes')
    .select(['id', 'need', 'outcome'])
    .where('episode_id', '=', episodeId)
    .where('status', '=', 'open')
    .orderBy('sort_order')
    .execute()
}

/** The query behind `outcomeCounts`, for a read model to nest. */
export function outcomeCountsOf(db: Kysely<DB>, episodeId: number | Expression<number>) {
  return db
    .selectFrom('plan_outcomes')
    .select([sql<number>`count(*)::int`.as('set'), sql<number>`count(*) filter (where status = 'achieved')::int`.as('achieved')])
    .where('episode_id', '=', episodeId)
}
