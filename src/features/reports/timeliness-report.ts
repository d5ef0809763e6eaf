import { sql } from 'kysely'
import { DEFAULT_REVIEW_DAYS } from '../reviews/schedule.ts'
import { counted, figure, periodBounds } from './figure.ts'

/**
 * How long each step takes, from the stage changes recorded on every episode: intention to
 * assessment, assessment started to completed, completion to the first Team Around the Family
 * meeting (against the council's days for it), reviews held by the day they were due, and how long
 * episodes last.
 */

type Measure = 'intention' | 'assessment' | 'first-meeting' | 'review' | 'length'
type Row = { measure: Measure; n: number; median: number | null; onTime: number; under3: number; under6: number; under12: number; over12: number }

const MEASURES: { key: Measure; text: string; target: boolean }[] = [
  { key: 'intention', text: 'Intention to assess to the assessment starting', target: false },
  { key: 'assessment', text: 'Assessment started to completed', target: false },
  { key: 'first-meeting', text: 'Assessment completed to the first Team Around the Family meeting', target: true },
  { key: 'review', text: 'Reviews held by the day they were due', target: true },
  { key: 'length', text: 'Length of the episodes that closed (from the assessment starting)', target: false },
]

export const timeliness = figure<Row>({
  key: 'timeliness',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    const days = (later: string, earlier: string) => sql<number>`extract(epoch from (${sql.ref(later)} - ${sql.ref(earlier)})) / 86400`
    const inPeriod = (at: string) => sql<boolean>`${sql.ref(at)} >= ${start} and ${sql.ref(at)} < ${end}`
    const ukDay = (at: string) => sql<string>`(${sql.ref(at)} at time zone 'Europe/London')::date`
    return sql<Row>`
      with m as (
        select 'intention' as measure, ${days('x.assessed', 'x.intended')} as days, null::boolean as on_time
        from episodes e cross join lateral (
          select min(c.changed_at) filter (where c.to_stage = 'intention') as intended, min(c.changed_at) filter (where c.to_stage = 'assessment') as assessed
          from episode_stage_changes c where c.episode_id = e.id) x
        where ${counted(ctx)} and ${inPeriod('e.assessment_started_at')} and x.intended is not null and x.assessed is not null
        union all
        select 'assessment', ${days('e.assessment_completed_at', 'e.assessment_started_at')}, null
        from episodes e where ${counted(ctx)} and ${inPeriod('e.assessment_completed_at')}
        union all
        select 'first-meeting', ${days('e.first_meeting_at', 'e.assessment_completed_at')},
          ${ukDay('e.first_meeting_at')} - ${ukDay('e.assessment_completed_at')} <= s.first_taf_days
        from episodes e join caf_settings s on s.la_id = e.la_id
        where ${counted(ctx)} and ${inPeriod('e.first_meeting_at')} and e.assessment_completed_at is not null
        union all
        select 'review', null, r.held_on <= coalesce(
          (select p.next_review_on from reviews p where p.episode_id = r.episode_id and p.held_on < r.held_on order by p.held_on desc limit 1),
          (select (min(c.changed_at) at time zone 'Europe/London')::date from episode_stage_changes c where c.episode_id = e.id and c.to_stage = 'plan-active') + coalesce(nl.review_days, ${DEFAULT_REVIEW_DAYS}::int))
        from reviews r join episodes e on e.id = r.episode_id left join need_levels nl on nl.la_id = e.la_id and nl.code = e.need_level
        where ${counted(ctx)} and r.held_on between ${ctx.filters.period.from}::date and ${ctx.filters.period.to}::date
        union all
        select 'length', ${days('e.closed_at', 'e.assessment_started_at')}, null
        from episodes e where ${counted(ctx)} and ${inPeriod('e.closed_at')} and e.assessment_started_at is not null
      )
      select measure, count(*)::int as n, percentile_cont(0.5) within group (order by days) as median,
        (count(*) filter (where on_time))::int as "onTime",
        (count(*) filter (where days < 91))::int as under3, (count(*) filter (where days >= 91 and days < 182))::int as under6,
        (count(*) filter (where days >= 182 and days < 365))::int as under12, (count(*) filter (where days >= 365))::int as over12
      from m group by measure`
  },
  tables(rows) {
    const of = (m: Measure) => rows.find((r) => r.measure === m)
    const length = of('length')
    return [
      {
        key: 'timeliness',
        caption: 'How long each step took',
        notes: [
          'Each step is counted in the period it ended in. The middle value (median) is the time half the episodes took or less. The first meeting is on time within the council’s days after the assessment; a review, when held by the day set at the last review (or, for the first, by the plan’s start and the level of need).',
        ],
        columns: [
          { key: 'step', text: 'Step', kind: 'text' },
          { key: 'n', text: 'Episodes or reviews', kind: 'count' },
          { key: 'median', text: 'Middle value (median)', kind: 'days', base: 'n' },
          { key: 'onTime', text: 'On time', kind: 'count' },
          { key: 'share', text: 'On time', kind: 'share', base: 'n' },
        ],
        rows: MEASURES.map((m) => {
          const r = of(m.key)
          return {
            step: m.text,
            n: r?.n ?? 0,
            median: m.key === 'review' ? null : (r?.median ?? null),
            onTime: m.target ? (r?.onTime ?? 0) : null,
            share: m.target && r?.n ? r.onTime / r.n : null,
          }
        }),
      },
      {
        key: 'length',
        caption: 'How long the episodes that closed lasted',
        notes: ['From the day the assessment started to the day the episode closed, for the episodes that closed in the period.'],
        columns: [
          { key: 'band', text: 'Length', kind: 'text' },
          { key: 'n', text: 'Episodes', kind: 'count' },
        ],
        rows: [
          { band: 'Under 3 months', n: length?.under3 ?? 0 },
          { band: '3 to 6 months', n: length?.under6 ?? 0 },
          { band: '6 months to a year', n: length?.under12 ?? 0 },
          { band: 'A year or more', n: length?.over12 ?? 0 },
        ],
        chart: { value: 'n' },
      },
    ]
  },
})
