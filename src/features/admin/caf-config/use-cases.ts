import { sql, type Kysely } from 'kysely'
import type { DB, QaScaleKey } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { EditConflict, saveIfUnchanged } from '../../../db/conflict.ts'
import { cafSettings } from '../../episodes/config.ts'

/** The national tiers each council's levels of need map to. */
export const TIER_NAMES: Record<number, string> = {
  1: 'Tier 1: universal',
  2: 'Tier 2: additional needs',
  3: 'Tier 3: multiple or complex needs (a CAF)',
  4: "Tier 4: acute needs (children's social care)",
}

/** Tiers that must always keep a level practitioners can choose, and why. */
const TIERS_ALWAYS_OFFERED: Record<number, string> = {
  3: 'so that the pre-assessment can recommend a CAF',
  4: "so that the pre-assessment can recommend a referral to children's social care",
}

/** A rule about the council's configuration that a change would break: shown against one field. */
export class ConfigRuleBroken extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

// ---- CAF settings -------------------------------------------------------------------------------

export type CafSettings = {
  scoreMin: number
  scoreMax: number
  scoreLowLabel: string
  scoreHighLabel: string
  followUpDays: number
  firstMeetingDays: number
  /** Missed meetings in a row before an agency's non-attendance is raised. */
  nonAttendanceRepeats: number
  leadAcceptDays: number
  copyGivenDays: number
  openLimitDays: number
  /** The day weekly reminder emails go: 1 Monday to 7 Sunday. */
  reminderWeekday: number
  /** The scale quality audits are judged on. */
  qaScale: QaScaleKey
  /** Below this many referrals started in 90 days, a service's waiting time is not shown. */
  waitingMinReferrals: number
  signpostingPromptWeeks: number
  reopenDays: number
  /** The months after closing when the family is called, as written: "3, 6, 12". */
  followUpMonths: string
  safeguardingContact: string
  /** Where users send feedback about CAF Hub: an email address or an https web page; null when not set. */
  feedbackAddress: string | null
}

export const SCORE_RANGE_MAX = 20

export async function getCafSettings(db: Kysely<DB>, actor: Actor): Promise<CafSettings & { version: number }> {
  const row = await cafSettings(db, actor.laId)
    .select([
      'score_min',
      'score_max',
      'score_low_label',
      'score_high_label',
      'intention_follow_up_days',
      'first_taf_days',
      'non_attendance_repeats',
      'lead_accept_days',
      'copy_given_days',
      'open_limit_days',
      'reminder_weekday',
      'qa_scale',
      'waiting_min_referrals',
      'signposting_prompt_weeks',
      'reopen_days',
      'follow_up_months',
      'safeguarding_contact',
      'feedback_address',
      'version',
    ])
    .executeTakeFirst()
  if (!row) throw new NotFound()
  return {
    scoreMin: row.score_min,
    scoreMax: row.score_max,
    scoreLowLabel: row.score_low_label,
    scoreHighLabel: row.score_high_label,
    followUpDays: row.intention_follow_up_days,
    firstMeetingDays: row.first_taf_days,
    nonAttendanceRepeats: row.non_attendance_repeats,
    leadAcceptDays: row.lead_accept_days,
    copyGivenDays: row.copy_given_days,
    openLimitDays: row.open_limit_days,
    reminderWeekday: row.reminder_weekday,
    qaScale: row.qa_scale,
    waitingMinReferrals: row.waiting_min_referrals,
    signpostingPromptWeeks: row.signposting_prompt_weeks,
    reopenDays: row.reopen_days,
    followUpMonths: row.follow_up_months.join(', '),
    safeguardingContact: row.safeguarding_contact,
    feedbackAddress: row.feedback_address,
    version: row.version,
  }
}

/** The score scale's own rules (the database checks them too): field -> message, empty when fine. */
export function scaleErrors(input: { scoreMin: number; scoreMax: number }): Record<string, string> {
  if (input.scoreMax <= input.scoreMin) return { scoreMax: 'Highest score must be more than the lowest score' }
  if (input.scoreMax - input.scoreMin > SCORE_RANGE_MAX) {
    return { scoreMax: `Highest score must be no more than ${SCORE_RANGE_MAX} above the lowest score` }
  }
  return {}
}

/** The settings form's fields, in the order they appear. */
export const SETTINGS_FIELDS = [
  'scoreMin',
  'scoreMax',
  'scoreLowLabel',
  'scoreHighLabel',
  'followUpDays',
  'firstMeetingDays',
  'nonAttendanceRepeats',
  'leadAcceptDays',
  'copyGivenDays',
  'openLimitDays',
  'reminderWeekday',
  'qaScale',
  'waitingMinReferrals',
  'signpostingPromptWeeks',
  'reopenDays',
  'followUpMonths',
  'safeguardingContact',
  'feedbackAddress',
] as const
/** Shown in the audit log by name only: the contact details and the feedback address may name a member of staff. */
const NOT_IN_AUDIT_DETAIL = new Set<string>(['safeguardingContact', 'feedbackAddress'])

/** The fields a change alters, and their values before and after for the audit log (redacted ones by name only). */
export function differences<K extends string>(
  before: Record<K, unknown>,
  after: Record<K, unknown>,
  fields: readonly K[],
  redacted: ReadonlySet<string> = new Set(),
) {
  const changed = fields.filter((f) => before[f] !== after[f])
  const shown = changed.filter((f) => !redacted.has(f))
  return {
    changed,
    detail: {
      fields: changed,
      from: Object.fromEntries(shown.map((f) => [f, before[f]])),
      to: Object.fromEntries(shown.map((f) => [f, after[f]])),
    },
  }
}

/** Saves the settings if nobody else has since `version`; a save that changes nothing writes nothing. */
export async function updateCafSettings(db: Kysely<DB>, actor: Actor, input: CafSettings & { version: number }): Promise<void> {
  const errors = scaleErrors(input)
  const [field] = Object.keys(errors)
  if (field) throw new ConfigRuleBroken(field, errors[field]!)
  await db.transaction().execute(async (tx) => {
    const before = await getCafSettings(tx, actor)
    if (before.version !== input.version) throw new EditConflict(before)
    const { changed, detail } = differences(before, input, SETTINGS_FIELDS, NOT_IN_AUDIT_DETAIL)
    if (!changed.length) return
    await saveIfUnchanged(
      tx
        .updateTable('caf_settings')
        .set({
          score_min: input.scoreMin,
          score_max: input.scoreMax,
          score_low_label: input.scoreLowLabel,
          score_high_label: input.scoreHighLabel,
          intention_follow_up_days: input.followUpDays,
          first_taf_days: input.firstMeetingDays,
          non_attendance_repeats: input.nonAttendanceRepeats,
          lead_accept_days: input.leadAcceptDays,
          copy_given_days: input.copyGivenDays,
          open_limit_days: input.openLimitDays,
          reminder_weekday: input.reminderWeekday,
          qa_scale: input.qaScale,
          waiting_min_referrals: input.waitingMinReferrals,
          signposting_prompt_weeks: input.signpostingPromptWeeks,
          reopen_days: input.reopenDays,
          follow_up_months: `{${input.followUpMonths.split(', ').join(',')}}`,
          safeguarding_contact: input.safeguardingContact,
          feedback_address: input.feedbackAddress,
        })
        .where('la_id', '=', actor.laId),
      input.version,
      () => before,
    )
    await auditAs(tx, actor, 'caf-settings.updated', { type: 'caf-settings', id: actor.laId }, detail)
  })
}

// ---- Levels of need -----------------------------------------------------------------------------

export interface NeedLevel {
  code: string
  label: string
  description: string
  tier: number
  hidden: boolean
  version: number
  reviewDays: number | null
}

function needLevelQuery(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('need_levels')
    .select(['code', 'label', 'description', 'tier', 'hidden', 'version', 'review_days as reviewDays'])
    .where('la_id', '=', actor.laId)
}

export async function listNeedLevels(db: Kysely<DB>, actor: Actor): Promise<NeedLevel[]> {
  return needLevelQuery(db, actor).orderBy('sort_order').orderBy('code').execute()
}

export async function getNeedLevel(db: Kysely<DB>, actor: Actor, code: string): Promise<NeedLevel> {
  const row = await needLevelQuery(db, actor).where('code', '=', code).executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

export interface NeedLevelInput {
  label: string
  description: string
  hidden: boolean
  version: number
  reviewDays: number | null
}

export async function updateNeedLevel(db: Kysely<DB>, actor: Actor, code: string, input: NeedLevelInput): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // Every level of the tier, locked: two administrators hiding a tier's last two levels at once
    // cannot both succeed.
    const level = await getNeedLevel(tx, actor, code)
    const tier = await needLevelQuery(tx, actor).where('tier', '=', level.tier).forUpdate().execute()
    const before = tier.find((l) => l.code === code)
    if (!before) throw new NotFound()
    if (before.version !== input.version) throw new EditConflict({ ...before })
    const why = TIERS_ALWAYS_OFFERED[before.tier]
    if (input.hidden && !before.hidden && why && !tier.some((l) => l.code !== code && !l.hidden)) {
      throw new ConfigRuleBroken(
        'visible',
        `You cannot hide this level. It is the only tier ${before.tier} level practitioners can choose. There must always be one, ${why}`,
      )
    }
    const { changed, detail } = differences(before, input, ['label', 'description', 'hidden', 'reviewDays'], new Set(['description']))
    if (!changed.length) return
    await tx
      .updateTable('need_levels')
      .set({ label: input.label, description: input.description, hidden: input.hidden, review_days: input.reviewDays, version: sql<number>`version + 1` })
      .where('la_id', '=', actor.laId)
      .where('code', '=', code)
      .execute()
    await auditAs(tx, actor, 'need-level.updated', { type: 'need-level', id: code }, detail)
  })
}

// ---- Assessment elements ------------------------------------------------------------------------

export interface AssessmentElement {
  code: string
  label: string
  hidden: boolean
  version: number
  domainCode: string
  domainLabel: string
}

function elementQuery(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('assessment_elements as e')
    .innerJoin('assessment_domains as d', (j) => j.onRef('d.la_id', '=', 'e.la_id').onRef('d.code', '=', 'e.domain_code'))
    .select(['e.code', 'e.label', 'e.hidden', 'e.version', 'e.domain_code as domainCode', 'd.label as domainLabel'])
    .where('e.la_id', '=', actor.laId)
}

/** The domains in order, each with its elements in order. */
export async function listElementsByDomain(db: Kysely<DB>, actor: Actor) {
  const domains = await db
    .selectFrom('assessment_domains')
    .select(['code', 'label', 'per_child as perChild'])
    .where('la_id', '=', actor.laId)
    .orderBy('sort_order')
    .orderBy('code')
    .execute()
  const elements = await elementQuery(db, actor).orderBy('e.sort_order').orderBy('e.code').execute()
  return domains.map((d) => ({ ...d, elements: elements.filter((e) => e.domainCode === d.code) }))
}

export async function getElement(db: Kysely<DB>, actor: Actor, code: string): Promise<AssessmentElement> {
  const row = await elementQuery(db, actor).where('e.code', '=', code).executeTakeFirst()
  if (!row) throw new NotFound()
  return row
}

export interface ElementInput {
  label: string
  hidden: boolean
  version: number
}

export async function updateElement(db: Kysely<DB>, actor: Actor, code: string, input: ElementInput): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const element = await getElement(tx, actor, code)
    // Every element of the domain, locked, so the rule below holds when two saves race.
    const domain = await tx
      .selectFrom('assessment_elements')
      .select(['code', 'label', 'hidden', 'version'])
      .where('la_id', '=', actor.laId)
      .where('domain_code', '=', element.domainCode)
      .forUpdate()
      .execute()
    const before = domain.find((e) => e.code === code)
    if (!before) throw new NotFound()
    if (before.version !== input.version) throw new EditConflict({ ...element, ...before })
    if (input.hidden && !before.hidden && !domain.some((e) => e.code !== code && !e.hidden)) {
      throw new ConfigRuleBroken(
        'visible',
        `You cannot hide this element. It is the only element of ${element.domainLabel} still on the assessment form, and each part of the form needs at least one`,
      )
    }
    const { changed, detail } = differences(before, input, ['label', 'hidden'])
    if (!changed.length) return
    await tx
      .updateTable('assessment_elements')
      .set({ label: input.label, hidden: input.hidden, version: sql<number>`version + 1` })
      .where('la_id', '=', actor.laId)
      .where('code', '=', code)
      .where('version', '=', input.version)
      .execute()
    await auditAs(tx, actor, 'assessment-element.updated', { type: 'assessment-element', id: code }, detail)
  })
}
