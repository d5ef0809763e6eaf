import { sql } from 'kysely'
import { ETHNICITIES } from '../people/ethnicity.ts'
import { counted, figure, periodBounds } from './figure.ts'
import type { ReportTable } from './table.ts'

/**
 * Who the children are and what they need: the children of the assessments started in the period,
 * by age, sex, ethnicity and disability; and the parts of the assessment most often scored as hard.
 */

type NeedRow = { domain: string; element: string; n: number; children: number }

export const needsIdentified = figure<NeedRow>({
  key: 'needs',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<NeedRow>`
      select d.label as domain, el.label as element, count(*)::int as n, count(distinct e.id)::int as children
      from episodes e
      join assessment_sections s on s.episode_id = e.id and s.section like 'domain-%'
      cross join lateral jsonb_each_text(s.data) kv
      join assessment_elements el on el.la_id = e.la_id and kv.key = el.code || '-practitioner'
      join assessment_domains d on d.la_id = el.la_id and d.code = el.domain_code
      join caf_settings cs on cs.la_id = e.la_id
      where ${counted(ctx)} and e.assessment_started_at >= ${start} and e.assessment_started_at < ${end}
        and kv.value ~ '^[0-9]+$' and kv.value::int <= (cs.score_min + cs.score_max) / 2.0
      group by d.label, d.sort_order, el.label, el.sort_order
      order by n desc, d.sort_order, el.sort_order`
  },
  tables(rows) {
    const note =
      'A need is a part of the assessment the practitioner scored in the lower half of the council’s scale, for a child (development of the child) or for the family. Counted once for each child or family scored, in the assessments started in the period.'
    const byDomain = new Map<string, number>()
    for (const r of rows) byDomain.set(r.domain, (byDomain.get(r.domain) ?? 0) + r.n)
    const tables: ReportTable[] = [
      {
        key: 'needs',
        caption: 'Needs most often identified',
        notes: [note],
        columns: [
          { key: 'element', text: 'Part of the assessment', kind: 'text' },
          { key: 'domain', text: 'Domain', kind: 'text' },
          { key: 'n', text: 'Times identified', kind: 'count' },
          { key: 'children', text: 'Episodes', kind: 'count' },
        ],
        rows: rows.slice(0, 20),
        chart: { value: 'n' },
      },
      {
        key: 'needs-by-domain',
        caption: 'Needs identified by domain',
        notes: [note],
        columns: [
          { key: 'domain', text: 'Domain', kind: 'text' },
          { key: 'n', text: 'Times identified', kind: 'count' },
        ],
        rows: [...byDomain].map(([domain, n]) => ({ domain, n })),
        chart: { value: 'n' },
      },
    ]
    return tables
  },
})

type ChildRow = { dim: 'age' | 'sex' | 'ethnicity' | 'disability'; label: string; n: number }

const AGE_BANDS = ['Unborn or under 1', '1 to 4', '5 to 10', '11 to 15', '16 to 17', '18 or over']
const SEXES: Record<string, string> = { female: 'Female', male: 'Male', indeterminate: 'Indeterminate', 'not-known': 'Not known' }

export const demographics = figure<ChildRow>({
  key: 'demographics',
  query(ctx) {
    const { start, end } = periodBounds(ctx.filters)
    return sql<ChildRow>`
      with c as (
        select p.sex, p.ethnicity, nullif(trim(p.disability), '') is not null and p.disability !~* '^(none|no|n/?a|not known)\\.?$' as disabled,
          case when p.date_of_birth is null then 0 else extract(year from age((e.assessment_started_at at time zone 'Europe/London')::date, p.date_of_birth))::int end as age
        from episodes e
        join episode_people ep on ep.episode_id = e.id and ep.role = 'child'
        join people p on p.id = ep.person_id
        where ${counted(ctx)} and e.assessment_started_at >= ${start} and e.assessment_started_at < ${end}
      ), b as (
        select coalesce(sex, 'not-known') as sex, coalesce(ethnicity, 'NOBT') as ethnicity, disabled,
          case when age < 1 then 0 when age <= 4 then 1 when age <= 10 then 2 when age <= 15 then 3 when age <= 17 then 4 else 5 end as band
        from c
      )
      select case when grouping(band) = 0 then 'age' when grouping(sex) = 0 then 'sex' when grouping(ethnicity) = 0 then 'ethnicity' else 'disability' end as dim,
        coalesce(band::text, sex, ethnicity, disabled::text) as label, count(*)::int as n
      from b group by grouping sets ((band), (sex), (ethnicity), (disabled))`
  },
  tables(rows) {
    const of = (dim: ChildRow['dim']) => rows.filter((r) => r.dim === dim)
    const note = 'The children of the assessments started in the period; their age on the day the assessment started.'
    const table = (key: string, caption: string, first: string, body: { label: string; n: number }[]): ReportTable => ({
      key,
      caption,
      notes: [note],
      columns: [
        { key: 'label', text: first, kind: 'text' },
        { key: 'n', text: 'Children', kind: 'count' },
      ],
      rows: body,
      chart: { value: 'n' },
    })
    const ordered = <T>(labels: readonly T[], dim: ChildRow['dim'], key: (t: T) => string, text: (t: T) => string) =>
      labels.map((l) => ({ label: text(l), n: of(dim).find((r) => r.label === key(l))?.n ?? 0 })).filter((r) => r.n > 0)
    return [
      table(
        'age',
        'Children by age',
        'Age',
        ordered(
          AGE_BANDS,
          'age',
          (b) => String(AGE_BANDS.indexOf(b)),
          (b) => b,
        ),
      ),
      table(
        'sex',
        'Children by sex',
        'Sex',
        ordered(
          Object.keys(SEXES),
          'sex',
          (s) => s,
          (s) => SEXES[s]!,
        ),
      ),
      table(
        'ethnicity',
        'Children by ethnicity',
        'Ethnicity',
        ordered(
          ETHNICITIES,
          'ethnicity',
          (e) => e.code,
          (e) => e.label,
        ),
      ),
      table('disability', 'Children by disability', 'Disability', [
        { label: 'A disability recorded', n: of('disability').find((r) => r.label === 'true')?.n ?? 0 },
        { label: 'No disability recorded', n: of('disability').find((r) => r.label === 'false')?.n ?? 0 },
      ]),
    ]
  },
})
