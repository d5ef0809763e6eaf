import { sql } from 'kysely'
import { headlineText } from '../assessment/headlines.ts'
import { counted, figure, periodBounds } from './figure.ts'

/**
 * Supporting Families: the families, helped in the period, that meet the programme's whole-family
 * criteria (needs under three or more of the ten headlines, a lead professional, a whole-family
 * assessment and plan), and whether their outcomes were sustained at the six-month call, for the
 * council's claim. The list names the children: its page and downloads are audited.
 */

type Row = { id: number; children: string; lead: string | null; headlines: string[]; sixMonths: 'yes' | 'partly' | 'no' | null }

const SIX_MONTHS: Record<string, string> = { yes: 'Sustained', partly: 'Partly sustained', no: 'Not sustained' }

export const supportingFamilies = figure<Row>({
  key: 'supporting-families',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<Row>`
      with families as (
        select e.id, e.lead_user_id, array_agg(distinct o.headline order by o.headline) as headlines
        from episodes e join plan_outcomes o on o.episode_id = e.id and o.headline is not null
        where ${counted(ctx)} and e.kind = 'family' and e.lead_user_id is not null and e.assessment_completed_at is not null
          and e.created_at < ${end} and (e.closed_at is null or e.closed_at >= ${start})
        group by e.id having count(distinct o.headline) >= 3
      )
      select f.id, f.headlines, u.full_name as lead,
        (select string_agg(concat_ws(' ', p.given_name, p.family_name), ', ' order by ep.sort_order) from episode_people ep join people p on p.id = ep.person_id
          where ep.episode_id = f.id and ep.role = 'child') as children,
        (select fu.stayed_better from follow_ups fu where fu.episode_id = f.id and fu.months = 6 and fu.status = 'done' order by fu.id desc limit 1) as "sixMonths"
      from families f left join users u on u.id = f.lead_user_id
      order by f.id`
  },
  tables(rows) {
    const called = rows.filter((r) => r.sixMonths !== null)
    return [
      {
        key: 'summary',
        caption: 'Families meeting the whole-family criteria',
        notes: [
          'Families helped in the period (their episode open on any day of it) with a whole-family assessment and plan, a lead professional, and needs under three or more of the Supporting Families headlines. A need is put under a headline in the assessment.',
        ],
        columns: [
          { key: 'what', text: 'Families', kind: 'text' },
          { key: 'n', text: 'Number', kind: 'count' },
        ],
        rows: [
          { what: 'Meeting the whole-family criteria', n: rows.length },
          { what: 'Called six months after closing', n: called.length },
          { what: 'Outcomes sustained at six months', n: called.filter((r) => r.sixMonths === 'yes').length },
        ],
      },
      {
        key: 'families',
        caption: 'The families, for the council’s claim',
        notes: [
          'Each family’s episode, its children, its lead professional, the headlines its needs are under, and what the family said at the six-month call.',
        ],
        columns: [
          { key: 'episode', text: 'Episode', kind: 'text' },
          { key: 'children', text: 'Children', kind: 'text' },
          { key: 'lead', text: 'Lead professional', kind: 'text' },
          { key: 'headlines', text: 'Headlines', kind: 'text' },
          { key: 'sixMonths', text: 'At six months', kind: 'text' },
        ],
        rows: rows.map((r) => ({
          episode: String(r.id),
          children: r.children,
          lead: r.lead,
          headlines: r.headlines.map((h) => headlineText(h) ?? h).join('; '),
          sixMonths: r.sixMonths ? SIX_MONTHS[r.sixMonths]! : 'Not called yet',
        })),
      },
    ]
  },
})
