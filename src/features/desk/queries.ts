import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { childNames, responsibleUserId } from '../episodes/repository.ts'
import { filterSql, type DeskFilters } from './filters.ts'
import { isListed, QUEUE_KEYS, QUEUES, queueRows, type QueueContext, type QueueKey } from './queues.ts'
import { scopesFor, scopeSql, type Scope } from './scope.ts'

export const PAGE_SIZE = 25

/** A scope the user may not choose (a hand-edited address): shown as an error on the filter. */
export class ScopeNotAllowed extends Error {}

/** The scope the filters ask for, or the widest the user has. */
export function scopeOf(actor: Actor, filters: Pick<DeskFilters, 'scope'>): Scope {
  const allowed = scopesFor(actor)
  const scope = filters.scope ?? allowed[0]
  if (!scope || !allowed.includes(scope)) throw new ScopeNotAllowed()
  return scope
}

export function context(actor: Actor, filters: DeskFilters): QueueContext & { scopeName: Scope } {
  const scopeName = scopeOf(actor, filters)
  const day = today()
  return { laId: actor.laId, today: day, scope: sql<boolean>`(${scopeSql(actor, scopeName)} and ${filterSql(filters, day)})`, scopeName }
}

/** The desk's one query: every queue's count for the actor's scope and the filters (exported for the benchmark's raw-SQL baseline). */
export function deskCountsQuery(actor: Actor, filters: DeskFilters) {
  const c = context(actor, filters)
  const columns = QUEUE_KEYS.map((key) => sql`(select count(*)::int from ${queueRows(key, c)} q) as ${sql.ref(key)}`)
  return { scope: c.scopeName, query: sql<Record<QueueKey, number>>`select ${sql.join(columns)}` }
}

/** Every queue's count for the actor's scope and the filters, in one query. */
export async function deskCounts(db: Kysely<DB>, actor: Actor, filters: DeskFilters): Promise<{ scope: Scope; counts: Record<QueueKey, number> }> {
  const { scope, query } = deskCountsQuery(actor, filters)
  const { rows } = await query.execute(db)
  return { scope, counts: rows[0]! }
}

export interface QueueItem {
  episodeId: number
  itemId: number | null
  dueOn: string
  /** Days past due_on (0 on the day, negative before it). */
  daysOverdue: number
  note: string | null
  children: string
  contact: { role: 'lead' | 'initiator'; name: string; email: string; phone: string | null; agency: string }
}

interface ListRow {
  episode_id: number
  item_id: number | null
  due_on: string
  days: number
  note: string | null
  children: string
  has_lead: boolean
  name: string
  email: string
  phone: string | null
  agency: string
  total: number
}

/** A list's one query: a page of the queue with who to contact (exported for the benchmark's raw-SQL baseline). */
export function queueListQuery(c: QueueContext, key: QueueKey, page: number) {
  return sql<ListRow>`select q.episode_id, q.item_id, to_char(q.due_on, 'YYYY-MM-DD') as due_on, (${c.today}::date - q.due_on) as days, q.note,
      ${childNames} as children, e.lead_user_id is not null as has_lead,
      u.full_name as name, u.email, u.phone, a.name as agency, count(*) over ()::int as total
    from ${queueRows(key, c)} q
    join episodes e on e.id = q.episode_id
    join users u on u.id = ${responsibleUserId}
    join agencies a on a.id = u.agency_id
    order by q.due_on, q.episode_id, q.item_id
    limit ${PAGE_SIZE} offset ${(page - 1) * PAGE_SIZE}`
}

/** One page of a queue, most overdue first, with the person to contact about each. */
export async function queueList(db: Kysely<DB>, actor: Actor, key: QueueKey, filters: DeskFilters) {
  const c = context(actor, filters)
  const { rows } = await queueListQuery(c, key, filters.page).execute(db)
  const items: QueueItem[] = rows.map((r) => ({
    episodeId: Number(r.episode_id),
    itemId: r.item_id === null ? null : Number(r.item_id),
    dueOn: r.due_on,
    daysOverdue: r.days,
    note: r.note,
    children: r.children,
    contact: { role: r.has_lead ? 'lead' : 'initiator', name: r.name, email: r.email, phone: r.phone, agency: r.agency },
  }))
  const total = rows[0]?.total ?? (filters.page > 1 ? await countOf(db, key, c) : 0)
  return { queue: QUEUES[key], scope: c.scopeName, items, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) }
}

async function countOf(db: Kysely<DB>, key: QueueKey, c: QueueContext): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${queueRows(key, c)} q`.execute(db)
  return rows[0]!.n
}

export interface EpisodeQueueRow {
  key: QueueKey
  itemId: number | null
  dueOn: string
  note: string | null
  /** Listed today; false for something not yet due (a first meeting due next week). */
  listed: boolean
}

/**
 * The queues one episode is in, whoever looks, for the episode's own page: each queue's rows with
 * whether they are listed today, so the page can say both "due by" and "overdue" by the same rule.
 */
export async function queuesOfEpisode(db: Kysely<DB>, laId: number, episodeId: number): Promise<EpisodeQueueRow[]> {
  const day = today()
  const c: QueueContext = { laId, today: day, scope: sql<boolean>`e.id = ${episodeId}` }
  const parts = QUEUE_KEYS.map(
    (key) => sql`select ${key}::text as key, q.item_id, to_char(q.due_on, 'YYYY-MM-DD') as due_on, q.note, ${isListed(key, day)} as listed
      from (${QUEUES[key].rows(c)}) q`,
  )
  const { rows } = await sql<{
    key: QueueKey
    item_id: number | null
    due_on: string
    note: string | null
    listed: boolean
  }>`${sql.join(parts, sql` union all `)}`.execute(db)
  return rows.map((r) => ({ key: r.key, itemId: r.item_id === null ? null : Number(r.item_id), dueOn: r.due_on, note: r.note, listed: r.listed }))
}
