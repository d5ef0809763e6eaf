import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'

/**
 * The times the use cases stamp "now" on an episode's rows, table by table, and how to find the rows of
 * the episodes a story is about. Dates a step is given (a due date, a meeting's start, a review's date)
 * are the story's own and are not listed: they are passed in as the story's days.
 */
const STAMPED: { table: string; columns: string[]; scope: 'id' | 'episode' | 'meeting' | 'panel' | 'panel-meeting' }[] = [
  { table: 'episodes', columns: ['created_at', 'updated_at', 'assessment_started_at', 'assessment_completed_at', 'closed_at'], scope: 'id' },
  { table: 'episode_stage_changes', columns: ['changed_at'], scope: 'episode' },
  { table: 'pre_assessments', columns: ['decided_at', 'updated_at'], scope: 'episode' },
  { table: 'assessment_sections', columns: ['updated_at'], scope: 'episode' },
  { table: 'assessment_amendments', columns: ['amended_at'], scope: 'episode' },
  { table: 'consents', columns: ['recorded_at'], scope: 'episode' },
  { table: 'consent_agencies', columns: ['added_at', 'removed_at'], scope: 'episode' },
  { table: 'team_members', columns: ['joined_at', 'left_at'], scope: 'episode' },
  { table: 'team_externals', columns: ['added_at', 'left_at'], scope: 'episode' },
  { table: 'lead_professionals', columns: ['proposed_at', 'accepted_at', 'declined_at', 'ended_at'], scope: 'episode' },
  { table: 'meetings', columns: ['created_at', 'updated_at'], scope: 'episode' },
  { table: 'meeting_invitees', columns: ['responded_at'], scope: 'meeting' },
  { table: 'meeting_log', columns: ['at'], scope: 'meeting' },
  { table: 'meeting_family_invitations', columns: ['invited_at'], scope: 'meeting' },
  { table: 'plan_outcomes', columns: ['created_at', 'updated_at'], scope: 'episode' },
  { table: 'plan_actions', columns: ['created_at', 'updated_at'], scope: 'episode' },
  { table: 'reviews', columns: ['created_at'], scope: 'episode' },
  { table: 'follow_ups', columns: ['recorded_at'], scope: 'episode' },
  { table: 'step_ups', columns: ['requested_at', 'decided_at'], scope: 'episode' },
  { table: 'step_downs', columns: ['started_at'], scope: 'episode' },
  { table: 'panel_requests', columns: ['requested_at', 'decided_at'], scope: 'episode' },
  { table: 'panel_meetings', columns: ['created_at', 'published_at'], scope: 'panel' },
  { table: 'panel_gaps', columns: ['recorded_at'], scope: 'panel-meeting' },
]

/**
 * A demo story told through the same use cases as the pages, which stamp everything with the time it
 * is done. Each step runs on a day of the story (so many days ago); `settle` then moves every time
 * stamped during a step back to that day, so the pages show the story's dates in the story's order.
 */
export class Story {
  private readonly steps: { from: Date; daysAgo: number }[] = []

  constructor(private readonly db: Kysely<DB>) {}

  private async clock(): Promise<Date> {
    const { rows } = await sql<{ at: Date }>`select clock_timestamp() as at`.execute(this.db)
    return new Date(rows[0]!.at)
  }

  /** Runs one step of the story, as it happened `daysAgo` days ago (0 is today). */
  async on<T>(daysAgo: number, step: () => Promise<T>): Promise<T> {
    this.steps.push({ from: await this.clock(), daysAgo })
    return step()
  }

  /** Moves the times stamped during each step to the step's day, for the episodes the story made. */
  async settle(episodeIds: number[]): Promise<void> {
    if (!this.steps.length || !episodeIds.length) return
    const bounds = [...this.steps.map((s) => s.from), await this.clock()]
    const ids = sql.join(episodeIds)
    for (const { table, columns, scope } of STAMPED) {
      const panels = sql`(select meeting_id from panel_requests where episode_id in (${ids}))`
      const where = {
        id: sql`id in (${ids})`,
        episode: sql`episode_id in (${ids})`,
        meeting: sql`meeting_id in (select id from meetings where episode_id in (${ids}))`,
        panel: sql`id in ${panels}`,
        'panel-meeting': sql`meeting_id in ${panels}`,
      }[scope]
      for (const column of columns) {
        const col = sql.ref(column)
        const shifts = this.steps.map(
          (s, i) =>
            sql`when ${col} >= ${bounds[i]!.toISOString()}::timestamptz and ${col} < ${bounds[i + 1]!.toISOString()}::timestamptz then make_interval(days => ${s.daysAgo})`,
        )
        await sql`update ${sql.table(table)} set ${col} = ${col} - (case ${sql.join(shifts, sql` `)} else interval '0' end) where ${where}`.execute(this.db)
      }
    }
  }
}

/** The emails of these subjects were "sent" when the story happened: nothing from the demo waits in the outbox. */
export async function sentWhenItHappened(db: Kysely<DB>, laId: number, subjects: string[]): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: sql<Date>`now()`, delivered_as: 'demo data: not sent' })
    .where('la_id', '=', laId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or(subjects.map((s) => eb('subject', 'like', s))))
    .execute()
}

/** A made-up person of the demo register, by name. */
export async function demoPerson(db: Kysely<DB>, laId: number, given: string, family: string): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('la_id', '=', laId)
    .where('given_name', '=', given)
    .where('family_name', '=', family)
    .executeTakeFirstOrThrow()
  return row.id
}
