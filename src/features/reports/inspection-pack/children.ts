import { sql } from 'kysely'
import type { ReportScope } from '../../../policies/reports.ts'
import { STAGE_LABELS } from '../../episodes/stages.ts'
import type { EpisodeStatus } from '../../../db/schema.ts'
import { exportDay as ukDay, type ListExport } from '../exports/stream.ts'
import { counted, periodBounds } from '../figure.ts'
import type { Period } from '../filters.ts'

/**
 * The inspection pack's list of the children with an episode open on any day of a period: who, the
 * episode, when it started, its assessment and closing, its stage now, and the lead professional's
 * agency. One row a child and episode.
 */

interface Record {
  child_id: number
  name: string
  date_of_birth: string | null
  episode_id: number
  started: string
  assessed: string | null
  closed: string | null
  status: EpisodeStatus
  lead_agency: string | null
}

export function childrenWithEpisodes(scope: ReportScope, period: Period): ListExport<Record> {
  const filters = { period, localityId: null }
  const { start, end } = periodBounds(filters)
  const day = (at: string) => sql`to_char(${sql.ref(at)} at time zone 'Europe/London', 'YYYY-MM-DD')`
  return {
    columns: [
      'Child’s number on the register',
      'Name',
      'Date of birth',
      'CAF episode',
      'Episode started',
      'Assessment started',
      'Closed',
      'Stage now',
      'Lead professional’s agency',
    ],
    sheet: 'Children with an episode',
    query: sql<Record>`
      select p.id as child_id, concat_ws(' ', p.given_name, p.family_name) as name, to_char(p.date_of_birth, 'YYYY-MM-DD') as date_of_birth,
        e.id as episode_id, ${day('e.created_at')} as started, ${day('e.assessment_started_at')} as assessed, ${day('e.closed_at')} as closed,
        e.status, la.name as lead_agency
      from episodes e
      join episode_people ep on ep.episode_id = e.id and ep.role = 'child'
      join people p on p.id = ep.person_id
      left join users lu on lu.id = e.lead_user_id left join agencies la on la.id = lu.agency_id
      where ${counted({ scope, filters, today: period.to })} and e.created_at < ${end} and (e.closed_at is null or e.closed_at >= ${start})
      order by e.id, ep.sort_order`,
    row: (r) => [
      r.child_id,
      r.name,
      ukDay(r.date_of_birth),
      r.episode_id,
      ukDay(r.started),
      ukDay(r.assessed),
      ukDay(r.closed),
      STAGE_LABELS[r.status],
      r.lead_agency,
    ],
  }
}
