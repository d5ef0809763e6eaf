import { sql } from 'kysely'
import { counted, figure, periodBounds } from './figure.ts'

/**
 * The cost of an episode, as Birmingham estimates it: the people at its Team Around the Family
 * meetings times how long the meetings took times what an hour of each one's time costs, plus the
 * services it used at their cost of a referral; beside what the outcomes early help aims to prevent
 * would cost. Estimates, from the figures the administrator keeps (Administration, Costs).
 */

type CostRow = { episodes: number; meetings: number; services: number; hours: number; unpricedHours: number; unpricedReferrals: number }

export const episodeCosts = figure<CostRow>({
  key: 'costs',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<CostRow>`
      with closed as (select e.id from episodes e where ${counted(ctx)} and e.closed_at >= ${start} and e.closed_at < ${end}),
      time as (
        select m.duration_minutes / 60.0 as hours, h.pounds_per_hour as rate
        from closed c join meetings m on m.episode_id = c.id and m.status = 'held'
        join meeting_invitees i on i.meeting_id = m.id and i.attendance = 'attended'
        join agencies a on a.id = i.agency_id left join hourly_costs h on h.la_id = a.la_id and h.agency_type = a.agency_type
      ),
      used as (
        select s.unit_cost from closed c join referrals r on r.episode_id = c.id and r.started_on is not null join services s on s.id = r.service_id
      )
      select (select count(*) from closed)::int as episodes,
        coalesce((select sum(hours * rate) from time), 0)::float8 as meetings,
        coalesce((select sum(unit_cost) from used), 0)::float8 as services,
        coalesce((select sum(hours) from time), 0)::float8 as hours,
        coalesce((select sum(hours) from time where rate is null), 0)::float8 as "unpricedHours",
        (select count(*) from used where unit_cost is null)::int as "unpricedReferrals"`
  },
  tables(rows) {
    const r = rows[0]!
    const total = r.meetings + r.services
    const notes = [
      'Estimates. For the episodes that closed in the period: the time of each person recorded as attending each held meeting (its length, times the hourly cost for their type of agency), and each service a family started using (its cost of a referral).',
      `${Math.round(r.hours).toLocaleString('en-GB')} hours of professionals’ time at meetings${r.unpricedHours ? `, of which ${Math.round(r.unpricedHours).toLocaleString('en-GB')} are counted at nothing because their agency type has no hourly cost set` : ''}.`,
      ...(r.unpricedReferrals ? [`${r.unpricedReferrals.toLocaleString('en-GB')} referrals to services with no cost set are counted at nothing.`] : []),
    ]
    return [
      {
        key: 'costs',
        caption: 'Estimated cost of the episodes that closed',
        notes,
        columns: [
          { key: 'what', text: 'What', kind: 'text' },
          { key: 'total', text: 'In all', kind: 'pounds' },
          { key: 'each', text: 'For each episode', kind: 'pounds' },
        ],
        rows: [
          { what: 'Team Around the Family meetings', total: r.meetings, each: r.episodes ? r.meetings / r.episodes : null },
          { what: 'Services used', total: r.services, each: r.episodes ? r.services / r.episodes : null },
          {
            what: `All (${r.episodes.toLocaleString('en-GB')} ${r.episodes === 1 ? 'episode' : 'episodes'})`,
            total,
            each: r.episodes ? total / r.episodes : null,
          },
        ],
      },
    ]
  },
})

type AvoidedRow = { name: string; description: string; cost: number; source: string | null; average: number | null }

export const costsAvoided = figure<AvoidedRow>({
  key: 'costs-avoided',
  query(ctx) {
    const average = sql`(select (x.meetings + x.services) / nullif(x.episodes, 0) from (${episodeCosts.query(ctx)}) x)`
    return sql<AvoidedRow>`select c.name, c.description, c.cost::float8 as cost, c.source, ${average} as average
      from costs_avoided c where c.la_id = ${ctx.scope.laId} order by c.sort_order, c.name`
  },
  tables: (rows) => [
    {
      key: 'costs-avoided',
      caption: 'Beside the costs early help aims to avoid',
      notes: [
        'What the outcomes early help aims to prevent would cost, as the council estimates them, and how many episodes at this period’s estimated cost each is worth. Not every family helped would otherwise have needed these.',
      ],
      columns: [
        { key: 'name', text: 'Scenario', kind: 'text' },
        { key: 'source', text: 'Source', kind: 'text' },
        { key: 'cost', text: 'Cost', kind: 'pounds' },
        { key: 'episodes', text: 'Worth this many episodes', kind: 'rate' },
      ],
      rows: rows.map((r) => ({ name: `${r.name}: ${r.description}`, source: r.source, cost: r.cost, episodes: r.average ? r.cost / r.average : null })),
    },
  ],
})
