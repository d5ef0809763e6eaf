import { sql } from 'kysely'
import { NOT_GOING_AHEAD } from '../episodes/intention-follow-up.ts'
import { NEXT_STEPS } from '../episodes/pre-assessment-rules.ts'
import { monthsOf } from '../social-care/counts.ts'
import { counted, figure, periodBounds } from './figure.ts'
import type { Column, ReportTable } from './table.ts'

/**
 * Episodes started, open and closed, as Kent and Brent count them: overall and by locality, the
 * initiating agency's type and the lead professional's; assessments started per 10,000 children
 * against the council's target; levels of need; consent; closure reasons; step ups and downs by month.
 */

const FLOW: Column[] = [
  { key: 'started', text: 'Episodes started', kind: 'count' },
  { key: 'assessed', text: 'Assessments started', kind: 'count' },
  { key: 'open', text: 'Open at the end', kind: 'count' },
  { key: 'closed', text: 'Closed', kind: 'count' },
]

const FLOW_NOTE =
  'An episode starts with the intention to assess or the pre-assessment; its assessment (the CAF) may start later, or not at all. "Open at the end" counts episodes not closed by the last day of the period.'

type FlowRow = { dim: 'all' | 'locality' | 'initiator' | 'lead'; label: string | null; started: number; assessed: number; open: number; closed: number }

export const flow = figure<FlowRow>({
  key: 'flow',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<FlowRow>`
      with s as (
        select coalesce(l.name, 'No locality') as locality, it.label as initiator, coalesce(lt.label, 'No lead professional yet') as lead,
          e.created_at >= ${start} as started,
          e.assessment_started_at >= ${start} and e.assessment_started_at < ${end} as assessed,
          e.closed_at is null or e.closed_at >= ${end} as open,
          e.closed_at >= ${start} and e.closed_at < ${end} as closed
        from episodes e
        join agencies ia on ia.id = e.initiator_agency_id
        join agency_types it on it.code = ia.agency_type
        left join localities l on l.id = e.locality_id
        left join users lu on lu.id = e.lead_user_id
        left join agencies la on la.id = lu.agency_id
        left join agency_types lt on lt.code = la.agency_type
        where ${counted(ctx)} and e.created_at < ${end} and (e.closed_at is null or e.closed_at >= ${start})
      )
      select case when grouping(locality) = 0 then 'locality' when grouping(initiator) = 0 then 'initiator' when grouping(lead) = 0 then 'lead' else 'all' end as dim,
        coalesce(locality, initiator, lead) as label,
        (count(*) filter (where started))::int as started, (count(*) filter (where assessed))::int as assessed,
        (count(*) filter (where open))::int as open, (count(*) filter (where closed))::int as closed
      from s group by grouping sets ((), (locality), (initiator), (lead))
      order by dim, label`
  },
  tables(rows) {
    const all = rows.find((r) => r.dim === 'all') ?? { started: 0, assessed: 0, open: 0, closed: 0 }
    const by = (key: string, caption: string, dim: FlowRow['dim'], first: string): ReportTable => ({
      key,
      caption,
      notes: [FLOW_NOTE],
      columns: [{ key: 'label', text: first, kind: 'text' }, ...FLOW],
      rows: rows.filter((r) => r.dim === dim).sort((a, b) => b.started - a.started || String(a.label).localeCompare(String(b.label))),
      chart: { value: 'started' },
    })
    return [
      {
        key: 'summary',
        caption: 'Episodes in the period',
        notes: [FLOW_NOTE],
        columns: [
          { key: 'what', text: 'What', kind: 'text' },
          { key: 'n', text: 'Number', kind: 'count' },
        ],
        rows: FLOW.map((c) => ({ what: c.text, n: all[c.key as keyof typeof all] as number })),
      },
      by('by-locality', 'By locality', 'locality', 'Locality'),
      by('by-initiator', 'By the type of agency that started the episode', 'initiator', 'Initiating agency type'),
      by('by-lead', 'By the lead professional’s type of agency', 'lead', 'Lead professional’s agency type'),
    ]
  },
})

type RateRow = { year: number | null; population: number | null; target: number | null; assessed: number }

/** Assessments started per 10,000 children: the council's figure, from the population its administrator keeps. */
export const rate = figure<RateRow>({
  key: 'rate',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    const year = Number(ctx.filters.period.from.slice(0, 4))
    return sql<RateRow>`
      select p.year, p.population, p.target_per_10000 as target,
        (select count(*) from episodes e where e.la_id = ${ctx.scope.laId} and e.assessment_started_at >= ${start} and e.assessment_started_at < ${end})::int as assessed
      from (select 1) one
      left join lateral (select * from child_population c where c.la_id = ${ctx.scope.laId}
        order by c.year <= ${year} desc, abs(c.year - ${year}) limit 1) p on true`
  },
  tables(rows, ctx) {
    const caption = 'Assessments started per 10,000 children'
    const r = rows[0]!
    const notes = [
      'Assessments (CAFs) started in the period, divided by the number of children aged 0 to 17 in the council, times 10,000. The rate is for the period chosen, not a year: the target is shown for the year and in proportion to the period’s length.',
    ]
    if (ctx.scope.kind !== 'council' || ctx.filters.localityId !== null)
      return [
        {
          key: 'rate',
          caption,
          notes: [...notes, 'The rate is worked out for the whole council only: choose all localities to see it.'],
          columns: [],
          rows: [],
        },
      ]
    if (r.population === null)
      return [
        {
          key: 'rate',
          caption,
          notes: [...notes, 'No child population has been recorded yet: an administrator adds it under Administration.'],
          columns: [],
          rows: [],
        },
      ]
    const days = (Date.parse(ctx.filters.period.to) - Date.parse(ctx.filters.period.from)) / 86_400_000 + 1
    const perTenThousand = (r.assessed / r.population) * 10_000
    const prorata = r.target === null ? null : (r.target * Math.min(days, 365)) / 365
    return [
      {
        key: 'rate',
        caption,
        notes: [...notes, `Child population: ${r.population.toLocaleString('en-GB')} children in ${r.year}.`],
        columns: [
          { key: 'assessed', text: 'Assessments started', kind: 'count' },
          { key: 'population', text: `Children aged 0 to 17 (${r.year})`, kind: 'count' },
          { key: 'rate', text: 'Rate per 10,000 children', kind: 'rate', base: 'assessed' },
          { key: 'target', text: 'Target for the year', kind: 'rate' },
          { key: 'prorata', text: 'Target for this period', kind: 'rate' },
        ],
        rows: [{ assessed: r.assessed, population: r.population, rate: perTenThousand, target: r.target, prorata }],
      },
    ]
  },
})

type NeedRow = { level: string; n: number }

export const needLevels = figure<NeedRow>({
  key: 'need-levels',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<NeedRow>`
      select coalesce(nl.label, 'Not recorded') as level, count(*)::int as n
      from episodes e left join need_levels nl on nl.la_id = e.la_id and nl.code = e.need_level
      where ${counted(ctx)} and e.assessment_started_at >= ${start} and e.assessment_started_at < ${end}
      group by nl.label, nl.sort_order order by nl.sort_order nulls last`
  },
  tables: (rows) => [
    {
      key: 'need-levels',
      caption: 'Levels of need of the assessments started',
      columns: [
        { key: 'level', text: 'Level of need', kind: 'text' },
        { key: 'n', text: 'Assessments started', kind: 'count' },
      ],
      rows,
      chart: { value: 'n' },
    },
  ],
})

type ConsentRow = { decision: string; method: string; giver: string; n: number; withdrawn: number }
const GIVERS: Record<string, string> = { 'parent-with-pr': 'a parent or carer with parental responsibility', 'young-person': 'the young person' }

export const consentTypes = figure<ConsentRow>({
  key: 'consent',
  query(ctx) {
    return sql<ConsentRow>`
      select c.decision, c.method, c.giver_role as giver, count(*)::int as n,
        (count(*) filter (where c.withdrawn_on <= ${ctx.filters.period.to}::date))::int as withdrawn
      from consents c join episodes e on e.id = c.episode_id
      where ${counted(ctx)} and c.given_on between ${ctx.filters.period.from}::date and ${ctx.filters.period.to}::date
      group by 1, 2, 3 order by 1, 4 desc`
  },
  tables: (rows) => [
    {
      key: 'consent',
      caption: 'Consent recorded in the period',
      notes: ['Each time a family’s consent was recorded: who gave or refused it and how. "Since withdrawn" counts those withdrawn by the end of the period.'],
      columns: [
        { key: 'type', text: 'Consent', kind: 'text' },
        { key: 'n', text: 'Recorded', kind: 'count' },
        { key: 'withdrawn', text: 'Since withdrawn', kind: 'count' },
      ],
      rows: rows.map((r) => ({
        type: `${r.decision === 'given' ? 'Given' : 'Refused'} ${r.method === 'written' ? 'in writing' : 'verbally'} by ${GIVERS[r.giver] ?? r.giver}`,
        n: r.n,
        withdrawn: r.withdrawn,
      })),
      chart: { value: 'n' },
    },
  ],
})

type ClosureRow = { code: string | null; label: string | null; n: number }

/** Why an episode ended: a closure reason, or a decision before any CAF (the pre-assessment, an intention that did not go ahead). */
function endingText(r: ClosureRow): string {
  if (r.label) return r.label
  if (r.code === NOT_GOING_AHEAD) return 'The intention to assess did not go ahead'
  const step = NEXT_STEPS.find((s) => `pre-assessment:${s.value}` === r.code)
  return step ? `Ended at the pre-assessment: ${step.text}` : 'Not recorded'
}

export const closureReasons = figure<ClosureRow>({
  key: 'closure',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<ClosureRow>`
      select e.closed_reason as code, r.label, count(*)::int as n
      from episodes e left join closure_reasons r on r.la_id = e.la_id and r.code = e.closed_reason
      where ${counted(ctx)} and e.closed_at >= ${start} and e.closed_at < ${end}
      group by 1, 2 order by 3 desc, 2`
  },
  tables: (rows) => [
    {
      key: 'closure',
      caption: 'Why episodes closed',
      columns: [
        { key: 'reason', text: 'Reason', kind: 'text' },
        { key: 'n', text: 'Episodes closed', kind: 'count' },
      ],
      rows: rows.map((r) => ({ reason: endingText(r), n: r.n })),
      chart: { value: 'n' },
    },
  ],
})

type MonthRow = { month: string; asked: number; accepted: number; notAccepted: number; stepDowns: number }

export const stepsByMonth = figure<MonthRow>({
  key: 'steps',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    const month = (at: string) => sql<string>`to_char(${sql.ref(at)} at time zone 'Europe/London', 'YYYY-MM')`
    return sql<MonthRow>`
      with m as (
        select ${month('u.requested_at')} as month, u.status, false as down from step_ups u join episodes e on e.id = u.episode_id
        where ${counted(ctx)} and u.requested_at >= ${start} and u.requested_at < ${end}
        union all
        select ${month('d.started_at')}, null, true from step_downs d join episodes e on e.id = d.episode_id
        where ${counted(ctx)} and d.started_at >= ${start} and d.started_at < ${end}
      )
      select month, (count(*) filter (where not down))::int as asked, (count(*) filter (where status = 'accepted'))::int as accepted,
        (count(*) filter (where status = 'not-accepted'))::int as "notAccepted", (count(*) filter (where down))::int as "stepDowns"
      from m group by month order by month`
  },
  tables: (rows, ctx) => [
    {
      key: 'steps',
      caption: 'Step ups and step downs by month',
      notes: ['Step ups by the month early help asked, with social care’s answer so far; step downs by the month social care made them.'],
      columns: [
        { key: 'month', text: 'Month', kind: 'text' },
        { key: 'asked', text: 'Step ups asked for', kind: 'count' },
        { key: 'accepted', text: 'Accepted by social care', kind: 'count' },
        { key: 'notAccepted', text: 'Not accepted', kind: 'count' },
        { key: 'stepDowns', text: 'Step downs', kind: 'count' },
      ],
      rows: monthsOf({ from: ctx.filters.period.from.slice(0, 7), to: ctx.filters.period.to.slice(0, 7) }).map(
        (month) => rows.find((r) => r.month === month) ?? { month, asked: 0, accepted: 0, notAccepted: 0, stepDowns: 0 },
      ),
    },
  ],
})
