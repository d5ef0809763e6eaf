import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'

/**
 * What Demo Borough's reports count against: its child population and targets, what an hour of each
 * kind of professional's time costs, the "costs avoided" scenarios and who has had CAF training. The
 * costs are made-up figures for the demo, labelled so on the cost report.
 */
export async function seedReporting(tx: Kysely<DB>, laId: number, by: { admin: number; trained: number[] }): Promise<void> {
  await tx
    .insertInto('child_population')
    .values([
      { la_id: laId, year: 2024, population: 52_340, target_per_10000: 58.9 },
      { la_id: laId, year: 2025, population: 52_910, target_per_10000: 58.9 },
      { la_id: laId, year: 2026, population: 53_120, target_per_10000: 60 },
    ])
    .execute()
  const hourly: [string, number][] = [
    ['primary_school', 38],
    ['secondary_school', 40],
    ['health_visiting', 42],
    ['gp_practice', 85],
    ['police', 40],
    ['housing', 33],
    ['childrens_social_care', 45],
    ['early_help', 35],
    ['voluntary', 26],
  ]
  await tx
    .insertInto('hourly_costs')
    .values(hourly.map(([agency_type, pounds_per_hour]) => ({ la_id: laId, agency_type, pounds_per_hour, updated_by: by.admin })))
    .execute()
  await tx
    .insertInto('costs_avoided')
    .values(
      [
        { name: 'A year in foster care', description: 'One child looked after by the council in foster care for a year', cost: 42_000 },
        { name: 'A child protection plan', description: 'Social work, conferences and core groups for one child on a plan for a year', cost: 15_500 },
        { name: 'A permanent exclusion', description: 'Alternative provision for one pupil for a year after exclusion from school', cost: 18_000 },
      ].map((s, i) => ({ la_id: laId, ...s, source: 'A made-up figure for the demo', sort_order: i, updated_by: by.admin })),
    )
    .execute()
  await tx
    .insertInto('caf_training')
    .values(
      by.trained.map((user_id) => ({
        la_id: laId,
        user_id,
        course: 'CAF: assessment and the lead professional (one day)',
        trained_on: '2025-09-16',
        recorded_by: by.admin,
      })),
    )
    .execute()
}
