import { sql, type Expression, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'

export interface NeedLevel {
  code: string
  label: string
  description: string
  tier: number
}

export interface Domain {
  code: string
  label: string
  perChild: boolean
  elements: { code: string; label: string }[]
}

export interface CafConfig {
  scale: { min: number; max: number; lowLabel: string; highLabel: string }
  intentionFollowUpDays: number
  safeguardingContact: string
  /** Working days social care has to decide a step up. */
  stepUpDecisionDays: number
  /** The levels offered to practitioners (hidden ones left out), lowest first. */
  levels: NeedLevel[]
  /** The assessment's domains, each with its visible elements. */
  domains: Domain[]
}

/**
 * The council's CAF settings row: the one place caf_settings is read from. Pick the columns you need,
 * or use `cafConfig` for what the forms offer.
 */
export function cafSettings(db: Kysely<DB>, laId: number) {
  return db.selectFrom('caf_settings').where('la_id', '=', laId)
}

/** The select behind `cafConfig`, one query, for a read model to nest. */
export function cafConfigQuery(db: Kysely<DB>, laId: number) {
  return cafSettings(db, laId)
    .selectAll()
    .select((eb) => [
      jsonArrayFrom(
        db
          .selectFrom('need_levels')
          .select(['code', 'label', 'description', 'tier'])
          .where('la_id', '=', eb.ref('caf_settings.la_id'))
          .where('hidden', '=', false)
          .orderBy('sort_order'),
      ).as('levels'),
      jsonArrayFrom(
        db.selectFrom('assessment_domains').select(['code', 'label', 'per_child']).where('la_id', '=', eb.ref('caf_settings.la_id')).orderBy('sort_order'),
      ).as('domainRows'),
      jsonArrayFrom(
        db
          .selectFrom('assessment_elements')
          .select(['code', 'label', 'domain_code'])
          .where('la_id', '=', eb.ref('caf_settings.la_id'))
          .where('hidden', '=', false)
          .orderBy('sort_order'),
      ).as('elements'),
    ])
}

export function toCafConfig(row: NonNullable<Awaited<ReturnType<ReturnType<typeof cafConfigQuery>['executeTakeFirst']>>>): CafConfig {
  return {
    scale: { min: row.score_min, max: row.score_max, lowLabel: row.score_low_label, highLabel: row.score_high_label },
    intentionFollowUpDays: row.intention_follow_up_days,
    safeguardingContact: row.safeguarding_contact,
    stepUpDecisionDays: row.step_up_decision_days,
    levels: row.levels,
    domains: row.domainRows.map((d) => ({
      code: d.code,
      label: d.label,
      perChild: d.per_child,
      elements: row.elements.filter((e) => e.domain_code === d.code).map((e) => ({ code: e.code, label: e.label })),
    })),
  }
}

/** The council's CAF configuration: what the forms offer and the timescales they work to. */
export async function cafConfig(db: Kysely<DB>, laId: number): Promise<CafConfig> {
  return toCafConfig(await cafConfigQuery(db, laId).executeTakeFirstOrThrow())
}

/** A level's label from its code, even if the council has since hidden it: an expression for a query. */
export function levelLabelOf(db: Kysely<DB>, laId: number, code: string | Expression<string | null>) {
  const label = db.selectFrom('need_levels').select('label').where('la_id', '=', laId).where('code', '=', code)
  return sql<string | null>`coalesce((${label}), ${code})`
}

export async function levelLabel(db: Kysely<DB>, laId: number, code: string | null): Promise<string | null> {
  if (!code) return null
  const row = await db.selectNoFrom(levelLabelOf(db, laId, code).as('label')).executeTakeFirstOrThrow()
  return row.label
}
