import type { Kysely } from 'kysely'
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
  /** The levels offered to practitioners (hidden ones left out), lowest first. */
  levels: NeedLevel[]
  /** The assessment's domains, each with its visible elements. */
  domains: Domain[]
}

/** The council's CAF configuration: what the forms offer and the timescales they work to. */
export async function cafConfig(db: Kysely<DB>, laId: number): Promise<CafConfig> {
  const [settings, levels, domains, elements] = await Promise.all([
    db.selectFrom('caf_settings').selectAll().where('la_id', '=', laId).executeTakeFirstOrThrow(),
    db
      .selectFrom('need_levels')
      .select(['code', 'label', 'description', 'tier'])
      .where('la_id', '=', laId)
      .where('hidden', '=', false)
      .orderBy('sort_order')
      .execute(),
    db.selectFrom('assessment_domains').select(['code', 'label', 'per_child']).where('la_id', '=', laId).orderBy('sort_order').execute(),
    db
      .selectFrom('assessment_elements')
      .select(['code', 'label', 'domain_code'])
      .where('la_id', '=', laId)
      .where('hidden', '=', false)
      .orderBy('sort_order')
      .execute(),
  ])
  return {
    scale: { min: settings.score_min, max: settings.score_max, lowLabel: settings.score_low_label, highLabel: settings.score_high_label },
    intentionFollowUpDays: settings.intention_follow_up_days,
    safeguardingContact: settings.safeguarding_contact,
    levels,
    domains: domains.map((d) => ({
      code: d.code,
      label: d.label,
      perChild: d.per_child,
      elements: elements.filter((e) => e.domain_code === d.code).map((e) => ({ code: e.code, label: e.label })),
    })),
  }
}

/** A level's label from its code, even if the council has since hidden it. */
export async function levelLabel(db: Kysely<DB>, laId: number, code: string | null): Promise<string | null> {
  if (!code) return null
  const row = await db.selectFrom('need_levels').select('label').where('la_id', '=', laId).where('code', '=', code).executeTakeFirst()
  return row?.label ?? code
}
