import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import type { Actor } from '../web/actor.ts'
import { Forbidden, NotFound } from '../web/outcome.ts'
import { isHub } from './hub.ts'

/**
 * Who may see or run a multi-agency panel meeting, and when its members may read the cases on its
 * agenda: the one place the rule is written. Routes declare `record: { panel: right }`.
 *
 * - read (the meeting, its members and, once published, its agenda): the hub, the chair, the members.
 * - chair (put cases on the agenda, publish it, record attendance, decisions and gaps): the hub and the chair.
 *
 * A member (or the chair) may read an episode on the agenda from the moment the agenda is published to
 * the end of the meeting day (midnight, UK time): `panelReads`, which the episode policy counts as
 * the basis "panel", reading only. Each read is audited with that basis.
 */
export type PanelRight = 'read' | 'chair'
export type PanelBasis = 'hub' | 'chair' | 'member'

export interface PanelAccess {
  basis: PanelBasis | null
  /** The agenda has been published: members see the cases on it. */
  published: boolean
  /** The meeting day has ended. */
  over: boolean
}

/** The meeting `pm` is over: its day has ended (midnight, UK time). */
const OVER = sql<boolean>`now() >= ((pm.meets_on + 1)::timestamp at time zone 'Europe/London')`

/** The actor chairs or sits on the meeting `pm`: SQL, for the meetings a user sees listed. */
export function sitsOn(actor: Pick<Actor, 'userId'>) {
  return sql<boolean>`(pm.chair_user_id = ${actor.userId} or exists (select 1 from panel_members m where m.meeting_id = pm.id and m.user_id = ${actor.userId}))`
}

/** Whether the actor may read the episode `e` now because it is on a published agenda of a meeting they sit on: SQL. */
export function panelReads(actor: Pick<Actor, 'userId'>) {
  return sql<boolean>`exists (select 1 from panel_requests pr join panel_meetings pm on pm.id = pr.meeting_id
    where pr.episode_id = e.id and pm.published_at is not null and pm.published_at <= now() and not ${OVER} and ${sitsOn(actor)})`
}

export async function panelAccess(db: Kysely<DB>, actor: Actor, meetingId: number): Promise<PanelAccess | null> {
  const row = await db
    .selectFrom('panel_meetings as pm')
    .select(['pm.chair_user_id', 'pm.published_at', OVER.as('over'), sitsOn(actor).as('member')])
    .where('pm.id', '=', meetingId)
    .where('pm.la_id', '=', actor.laId)
    .executeTakeFirst()
  if (!row) return null
  const basis: PanelBasis | null = isHub(actor) ? 'hub' : row.chair_user_id === actor.userId ? 'chair' : row.member ? 'member' : null
  return { basis, published: row.published_at !== null, over: row.over }
}

export function panelAllows(access: PanelAccess | null, right: PanelRight): boolean {
  if (!access?.basis) return false
  return right === 'read' || access.basis !== 'member'
}

/** Whether the agenda's cases are shown to this actor: to the hub and the chair always; to members while they may read them. */
export function seesAgenda(access: PanelAccess): boolean {
  return access.basis === 'hub' || access.basis === 'chair' || (access.basis === 'member' && access.published && !access.over)
}

/** For a use case: the router's decision taken again. NotFound when the actor may not read the meeting; Forbidden when they may read but not this. */
export async function requirePanel(db: Kysely<DB>, actor: Actor, meetingId: number, right: PanelRight): Promise<PanelAccess> {
  const access = await panelAccess(db, actor, meetingId)
  if (!panelAllows(access, 'read')) throw new NotFound()
  if (!panelAllows(access, right)) throw new Forbidden()
  return access!
}
