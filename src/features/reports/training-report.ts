import { sql } from 'kysely'
import { counted, figure, periodBounds } from './figure.ts'

/**
 * Trained against initiating, as LARC2 compares them: for each agency, its practitioners, those
 * trained in the CAF by the end of the period, those trained who started a CAF in it, and the CAFs
 * started by someone with no training recorded before the day they started it.
 */

type Row = { agency: string; practitioners: number; trained: number; trainedStarting: number; started: number; byUntrained: number }

export const trainedVersusInitiating = figure<Row>({
  key: 'training',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    const agencyOnly = ctx.scope.kind === 'agency' ? sql`and a.id = ${ctx.scope.agencyId}` : sql``
    return sql<Row>`
      with started as (
        select e.initiator_user_id as user_id, e.initiator_agency_id as agency_id,
          exists (select 1 from caf_training t where t.la_id = e.la_id and t.user_id = e.initiator_user_id
            and t.trained_on <= (e.created_at at time zone 'Europe/London')::date) as trained
        from episodes e where ${counted(ctx)} and e.created_at >= ${start} and e.created_at < ${end}
      ),
      people as (
        select u.id, u.agency_id, exists (select 1 from caf_training t where t.la_id = u.la_id and t.user_id = u.id and t.trained_on <= ${ctx.filters.period.to}::date) as trained
        from users u where u.la_id = ${ctx.scope.laId} and 'practitioner' = any(u.roles) and u.disabled_at is null
      )
      select a.name as agency,
        (select count(*) from people p where p.agency_id = a.id)::int as practitioners,
        (select count(*) from people p where p.agency_id = a.id and p.trained)::int as trained,
        (select count(distinct s.user_id) from started s join people p on p.id = s.user_id where p.agency_id = a.id and p.trained)::int as "trainedStarting",
        (select count(*) from started s where s.agency_id = a.id)::int as started,
        (select count(*) from started s where s.agency_id = a.id and not s.trained)::int as "byUntrained"
      from agencies a where a.la_id = ${ctx.scope.laId} ${agencyOnly}
      order by a.name`
  },
  tables: (rows) => [
    {
      key: 'training',
      caption: 'Practitioners trained and CAFs started, by agency',
      notes: [
        'Practitioners are active users with the practitioner role. Trained: with CAF training recorded (under Administration) by the last day of the period. A CAF started by someone untrained is one whose initiator had no training recorded before the day it started.',
      ],
      columns: [
        { key: 'agency', text: 'Agency', kind: 'text' },
        { key: 'practitioners', text: 'Practitioners', kind: 'count' },
        { key: 'trained', text: 'Trained', kind: 'count' },
        { key: 'trainedStarting', text: 'Trained who started a CAF', kind: 'count' },
        { key: 'started', text: 'CAFs started', kind: 'count' },
        { key: 'byUntrained', text: 'Started by someone untrained', kind: 'count' },
      ],
      rows: rows.filter((r) => r.practitioners > 0 || r.started > 0),
      chart: { value: 'started' },
    },
  ],
})
