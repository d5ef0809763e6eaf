import { sql, type RawBuilder } from 'kysely'
import { counted, figure, periodBounds, type FigureContext } from './figure.ts'
import type { Column } from './table.ts'

/**
 * What changed for families: desired outcomes achieved against those set; distance travelled (the
 * change in the family's and the practitioner's scores for each part of the assessment, from the
 * assessment to the latest review, and the gap between the two), by part, by cohort and by the
 * services used; and whether the change lasted when the family was called after closing.
 */

type OutcomeRow = { status: string; n: number; episodes: number }
const OUTCOME_TEXT: Record<string, string> = {
  achieved: 'Achieved',
  'no-longer-relevant': 'No longer relevant',
  open: 'Not achieved when the episode closed',
}

export const outcomesAchieved = figure<OutcomeRow>({
  key: 'outcomes',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<OutcomeRow>`
      select o.status, count(*)::int as n, count(distinct e.id)::int as episodes
      from episodes e join plan_outcomes o on o.episode_id = e.id
      where ${counted(ctx)} and e.closed_at >= ${start} and e.closed_at < ${end}
      group by o.status`
  },
  tables(rows) {
    const total = rows.reduce((s, r) => s + r.n, 0)
    return [
      {
        key: 'outcomes',
        caption: 'Desired outcomes of the episodes that closed',
        notes: ['Every desired outcome set in the plans of the episodes that closed in the period (at the assessment or at a review), by what became of it.'],
        columns: [
          { key: 'status', text: 'Desired outcome', kind: 'text' },
          { key: 'n', text: 'Outcomes', kind: 'count' },
          { key: 'share', text: 'Of those set', kind: 'share', base: 'n' },
        ],
        rows: [
          ...Object.entries(OUTCOME_TEXT).map(([status, text]) => {
            const n = rows.find((r) => r.status === status)?.n ?? 0
            return { status: text, n, share: total ? n / total : null }
          }),
          { status: 'Set', n: total, share: total ? 1 : null },
        ],
      },
    ]
  },
})

/**
 * Each part of the assessment scored both at the assessment and at the episode's latest review that
 * took scores, by the end of the period, for the episodes reviewed in the period: one row per child
 * (or family) and part.
 */
function scorePairs(ctx: FigureContext): RawBuilder<unknown> {
  return sql`
    reviewed as (
      select e.id, e.la_id, e.need_level, e.locality_id, e.initiator_agency_id, e.assessment_started_at from episodes e
      where ${counted(ctx)} and exists (select 1 from reviews r where r.episode_id = e.id
        and r.held_on between ${ctx.filters.period.from}::date and ${ctx.filters.period.to}::date)
    ),
    latest as materialized (
      select v.id as episode_id, s.subject_id, s.element_code, s.practitioner, s.family
      from reviewed v
      cross join lateral (select r.id from reviews r where r.episode_id = v.id and r.held_on <= ${ctx.filters.period.to}::date
        and exists (select 1 from review_scores x where x.review_id = r.id) order by r.held_on desc, r.id desc limit 1) last
      join review_scores s on s.review_id = last.id
    ),
    pairs as (
      select v.*, l.subject_id, el.label as element, el.sort_order, d.label as domain, d.sort_order as domain_order,
        (a.data ->> (el.code || '-practitioner'))::int as p0, (a.data ->> (el.code || '-family'))::int as f0, l.practitioner as p1, l.family as f1
      from reviewed v
      join latest l on l.episode_id = v.id
      join assessment_elements el on el.la_id = v.la_id and el.code = l.element_code
      join assessment_domains d on d.la_id = el.la_id and d.code = el.domain_code
      join assessment_sections a on a.episode_id = v.id and a.section = 'domain-' || el.domain_code and a.subject_id = l.subject_id
      where (a.data ->> (el.code || '-practitioner')) ~ '^[0-9]+$' and (a.data ->> (el.code || '-family')) ~ '^[0-9]+$'
        and l.practitioner is not null and l.family is not null
    )`
}

type DistanceRow = { label: string; n: number; practitioner: number; family: number; gapBefore: number; gapAfter: number }

const DISTANCE_COLUMNS = (first: string): Column[] => [
  { key: 'label', text: first, kind: 'text' },
  { key: 'n', text: 'Scored twice', kind: 'count' },
  { key: 'practitioner', text: 'Practitioner’s change', kind: 'score', base: 'n' },
  { key: 'family', text: 'Family’s change', kind: 'score', base: 'n' },
  { key: 'gapBefore', text: 'Gap at the assessment', kind: 'score', base: 'n' },
  { key: 'gapAfter', text: 'Gap at the latest review', kind: 'score', base: 'n' },
]

const DISTANCE_NOTE =
  'The average change in the scores, from the assessment to the latest review, of the parts of the assessment scored both times by the practitioner and the family, in the episodes reviewed in the period. A rise is a change for the better. The gap is the family’s score less the practitioner’s: above 0 when the family sees things as better than the practitioner does.'

const averages = sql`count(*)::int as n, avg(p1 - p0)::float8 as practitioner, avg(f1 - f0)::float8 as family,
  avg(f0 - p0)::float8 as "gapBefore", avg(f1 - p1)::float8 as "gapAfter"`

export const distanceByElement = figure<DistanceRow>({
  key: 'distance',
  query: (ctx) => sql<DistanceRow>`
    with ${scorePairs(ctx)}
    select element as label, ${averages} from pairs group by element, sort_order, domain_order order by domain_order, sort_order`,
  tables: (rows) => [
    {
      key: 'distance',
      caption: 'Distance travelled, by part of the assessment',
      notes: [DISTANCE_NOTE],
      columns: DISTANCE_COLUMNS('Part of the assessment'),
      rows,
      chart: { value: 'family' },
    },
  ],
})

type CohortRow = DistanceRow & { dim: 'age' | 'need' | 'locality' | 'initiator' }

export const distanceByCohort = figure<CohortRow>({
  key: 'distance-cohort',
  query: (ctx) => sql<CohortRow>`
    with ${scorePairs(ctx)},
    cohorts as (
      select p.*,
        case when c.age is null then 'Not known' when c.age < 5 then 'Under 5' when c.age <= 10 then '5 to 10' when c.age <= 15 then '11 to 15' else '16 or over' end as age_band,
        coalesce(nl.label, 'Not recorded') as need, coalesce(lo.name, 'No locality') as locality, t.label as initiator
      from pairs p
      left join lateral (select extract(year from age((p.assessment_started_at at time zone 'Europe/London')::date, pe.date_of_birth))::int as age
        from episode_people ep join people pe on pe.id = ep.person_id where ep.episode_id = p.id and ep.role = 'child' order by ep.sort_order limit 1) c on true
      left join need_levels nl on nl.la_id = p.la_id and nl.code = p.need_level
      left join localities lo on lo.id = p.locality_id
      join agencies a on a.id = p.initiator_agency_id join agency_types t on t.code = a.agency_type
    )
    select case when grouping(age_band) = 0 then 'age' when grouping(need) = 0 then 'need' when grouping(locality) = 0 then 'locality' else 'initiator' end as dim,
      coalesce(age_band, need, locality, initiator) as label, ${averages}
    from cohorts group by grouping sets ((age_band), (need), (locality), (initiator)) order by 1, 2`,
  tables: (rows) =>
    (
      [
        ['age', 'By the child’s age', 'Age of the (eldest listed) child'],
        ['need', 'By level of need', 'Level of need'],
        ['locality', 'By locality', 'Locality'],
        ['initiator', 'By the type of agency that started the episode', 'Initiating agency type'],
      ] as const
    ).map(([dim, caption, first]) => ({
      key: `distance-${dim}`,
      caption: `Distance travelled, ${caption.charAt(0).toLowerCase()}${caption.slice(1)}`,
      notes: [DISTANCE_NOTE],
      columns: DISTANCE_COLUMNS(first),
      rows: rows.filter((r) => r.dim === dim),
    })),
})

export const distanceByService = figure<DistanceRow>({
  key: 'distance-service',
  query: (ctx) => sql<DistanceRow>`
    with ${scorePairs(ctx)}
    select s.name as label, ${averages}
    from pairs p join referrals r on r.episode_id = p.id and r.started_on is not null join services s on s.id = r.service_id
    group by s.name order by n desc, s.name`,
  tables: (rows) => [
    {
      key: 'distance-service',
      caption: 'Distance travelled, by the services families used',
      notes: [
        DISTANCE_NOTE,
        'A family that used several services counts under each. A service helping is not proven by this: families who use it may differ from those who do not.',
      ],
      columns: DISTANCE_COLUMNS('Service'),
      rows,
    },
  ],
})

type FollowUpRow = { months: number; due: number; done: number; yes: number; partly: number; no: number; recommend: number }

export const followUps = figure<FollowUpRow>({
  key: 'follow-ups',
  query: (ctx) => sql<FollowUpRow>`
    select f.months, count(*)::int as due, (count(*) filter (where f.status = 'done'))::int as done,
      (count(*) filter (where f.stayed_better = 'yes'))::int as yes, (count(*) filter (where f.stayed_better = 'partly'))::int as partly,
      (count(*) filter (where f.stayed_better = 'no'))::int as no, (count(*) filter (where f.recommend = 'yes'))::int as recommend
    from follow_ups f join episodes e on e.id = f.episode_id
    where ${counted(ctx)} and f.status <> 'cancelled' and f.due_on between ${ctx.filters.period.from}::date and ${ctx.filters.period.to}::date
    group by f.months order by f.months`,
  tables: (rows) => [
    {
      key: 'follow-ups',
      caption: 'Whether the change lasted: the calls after closing',
      notes: [
        'The follow-up calls due in the period, by how long after closing. "Lasted" is a family who said things had stayed better; the shares are of the families reached.',
      ],
      columns: [
        { key: 'when', text: 'After closing', kind: 'text' },
        { key: 'due', text: 'Calls due', kind: 'count' },
        { key: 'done', text: 'Families reached', kind: 'count' },
        { key: 'yes', text: 'Lasted', kind: 'count' },
        { key: 'partly', text: 'Partly', kind: 'count' },
        { key: 'no', text: 'Did not last', kind: 'count' },
        { key: 'lasted', text: 'Lasted', kind: 'share', base: 'done' },
        { key: 'recommend', text: 'Would recommend early help', kind: 'share', base: 'done' },
      ],
      rows: rows.map((r) => ({
        when: `${r.months} months`,
        due: r.due,
        done: r.done,
        yes: r.yes,
        partly: r.partly,
        no: r.no,
        lasted: r.done ? r.yes / r.done : null,
        recommend: r.done ? r.recommend / r.done : null,
      })),
    },
  ],
})
