import { choice, formSchema, integer, isEmail, optionalText, text, yesNo, type FieldErrors } from '../../../web/forms.ts'
import { QA_SCALE_KEYS, QA_SCALES } from '../../quality/scale.ts'
import { WEEKDAYS } from '../../desk/reminders.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect } from '../../../web/outcome.ts'
import { codeParam } from '../../../web/params.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import { shownRecordRoutes } from '../shown-record-routes.ts'
import {
  ConfigRuleBroken,
  getCafSettings,
  getElement,
  getNeedLevel,
  listElementsByDomain,
  listNeedLevels,
  SETTINGS_FIELDS,
  TIER_NAMES,
  updateCafSettings,
  updateElement,
  updateNeedLevel,
  type AssessmentElement,
  type CafSettings,
} from './use-cases.ts'

const PERMISSION = 'admin.organisation'
const VIEWS = 'admin/caf-config/views'

const version = integer('Version', { min: 1, max: 1_000_000_000 })

function ruleBroken(error: ConfigRuleBroken) {
  return invalid({ [error.field]: error.message })
}

// ---- CAF settings -------------------------------------------------------------------------------

/** "3, 6, 12" -> the months after closing when the family is called: whole months 1 to 36, rising, up to six. */
function monthsList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  if (parts.length > 6 || !parts.every((p) => /^\d{1,2}$/.test(p))) return null
  const months = parts.map(Number)
  return months.every((m, i) => m >= 1 && m <= 36 && (i === 0 || m > months[i - 1]!)) ? months : null
}

/** An https address with a host, and nothing in it a link would misread. */
function isSecureWebAddress(v: string): boolean {
  return /^https:\/\/[^\s/?#]+\.[^\s]*$/.test(v) && URL.canParse(v)
}

const settingsBody = formSchema({
  scoreMin: integer('Lowest score', { min: 0, max: 100 }),
  scoreMax: integer('Highest score', { min: 1, max: 120 }),
  scoreLowLabel: text('Words for the lowest score', { max: 100 }),
  scoreHighLabel: text('Words for the highest score', { max: 100 }),
  followUpDays: integer('Number of days', { min: 1, max: 365, requiredMessage: 'Enter the number of days, like 28' }),
  firstMeetingDays: integer('Days to the first meeting', { min: 1, max: 90, requiredMessage: 'Enter the number of days, like 14' }),
  nonAttendanceRepeats: integer('Missed meetings in a row', { min: 2, max: 10, requiredMessage: 'Enter the number of meetings, like 2' }),
  leadAcceptDays: integer('Days to accept being lead professional', { min: 1, max: 60, requiredMessage: 'Enter the number of days, like 5' }),
  copyGivenDays: integer('Days to give the family their copy', { min: 1, max: 90, requiredMessage: 'Enter the number of days, like 10' }),
  reminderWeekday: integer('Day for reminder emails', { min: 1, max: 7, requiredMessage: 'Select the day reminder emails go' }),
  qaScale: choice('Scale for quality audits', QA_SCALE_KEYS, 'Select the scale quality audits are judged on'),
  waitingMinReferrals: integer('Referrals before a waiting time is shown', { min: 1, max: 100, requiredMessage: 'Enter the number of referrals, like 5' }),
  signpostingPromptWeeks: integer('Weeks before the hub is prompted to suggest a CAF', {
    min: 1,
    max: 52,
    requiredMessage: 'Enter the number of weeks, like 8',
  }),
  openLimitDays: integer('Days an episode may stay open without a review', { min: 28, max: 1095, requiredMessage: 'Enter the number of days, like 365' }),
  reopenDays: integer('Days a closed episode can be reopened', { min: 0, max: 366, requiredMessage: 'Enter the number of days, like 91' }),
  followUpMonths: text('Follow-up calls', { max: 40, requiredMessage: 'Enter the months after closing for follow-up calls, like 3, 6, 12' })
    .refine((v) => monthsList(v) !== null, 'Follow-up calls must be whole months from 1 to 36, in order, like 3, 6, 12')
    .transform((v) => monthsList(v)!.join(', ')),
  safeguardingContact: text('Safeguarding contact details', { max: 1000, multiline: true }),
  feedbackAddress: optionalText('Feedback address', { max: 300 }).refine(
    (v) => v === null || isEmail(v) || isSecureWebAddress(v),
    'Feedback address must be an email address, like caf-team@council.gov.uk, or a web address starting https://',
  ),
  version,
})

async function settingsPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, extra: Record<string, unknown> = {}, status = 200) {
  return page(
    `${VIEWS}/settings.njk`,
    withErrors(
      {
        title: 'Score scale, timescales and contacts',
        values,
        weekdays: WEEKDAYS,
        qaScales: QA_SCALE_KEYS.map((value) => ({ value, text: QA_SCALES[value].name })),
        qaScaleNames: Object.fromEntries(QA_SCALE_KEYS.map((k) => [k, QA_SCALES[k].name])),
        flash: ctx.query.saved ? 'Settings saved' : null,
        ...extra,
      },
      errors,
      SETTINGS_FIELDS,
    ),
    { status },
  )
}

// ---- Levels of need -----------------------------------------------------------------------------

const needLevelBody = formSchema({
  label: text('Name of the level', { max: 100 }),
  description: text('Description', { max: 1000, multiline: true }),
  reviewDays: optionalText('Days between reviews', { max: 4 }),
  visible: yesNo('Shown', 'Select yes if practitioners can choose this level'),
  version: integer('Version', { min: 1, max: 1_000_000_000 }),
})

async function needLevelPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, extra: Record<string, unknown> = {}, status = 200) {
  const level = await getNeedLevel(ctx.services.db, ctx.actor, codeParam(ctx.params.code))
  return page(
    `${VIEWS}/need-level-form.njk`,
    withErrors({ title: 'Change a level of need', level, tierName: TIER_NAMES[level.tier], values, action: ctx.path, ...extra }, errors, [
      'label',
      'description',
      'reviewDays',
      'visible',
    ]),
    { status },
  )
}

function needLevelValues(l: { label: string; description: string; hidden: boolean; version: number; reviewDays: number | null }) {
  return {
    label: l.label,
    description: l.description,
    reviewDays: l.reviewDays === null ? '' : String(l.reviewDays),
    visible: l.hidden ? 'no' : 'yes',
    version: String(l.version),
  }
}

// ---- Assessment elements ------------------------------------------------------------------------

async function elementPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors, theirs?: AssessmentElement, status = 200) {
  const element = await getElement(ctx.services.db, ctx.actor, codeParam(ctx.params.code))
  return page(
    `${VIEWS}/element-form.njk`,
    withErrors({ title: 'Change an assessment element', element, values, action: ctx.path, theirs }, errors, ['label', 'visible']),
    { status },
  )
}

// ---- Routes -------------------------------------------------------------------------------------

export const cafConfigRoutes: Route[] = [
  ...formRoutes({
    url: '/admin/caf-settings',
    permission: PERMISSION,
    body: settingsBody,
    render: (ctx, values, errors) => settingsPage(ctx, values, errors),
    initial: async (ctx) => getCafSettings(ctx.services.db, ctx.actor),
    submit: async (ctx, input) => {
      try {
        await updateCafSettings(ctx.services.db, ctx.actor, input)
      } catch (error) {
        if (error instanceof ConfigRuleBroken) return ruleBroken(error)
        if (error instanceof EditConflict) {
          const theirs: CafSettings & { version: number } = await getCafSettings(ctx.services.db, ctx.actor)
          return settingsPage(ctx, { ...input, version: theirs.version }, { form: CONFLICT_MESSAGE }, { theirs }, 409)
        }
        throw error
      }
      return redirect('/admin/caf-settings?saved=1')
    },
  }),
  {
    method: 'GET',
    url: '/admin/need-levels',
    permission: PERMISSION,
    handler: async (ctx) =>
      page(`${VIEWS}/need-levels.njk`, {
        title: 'Levels of need',
        levels: (await listNeedLevels(ctx.services.db, ctx.actor)).map((l) => ({ ...l, tierName: TIER_NAMES[l.tier] })),
        flash: ctx.query.saved ? 'Level of need saved' : null,
      }),
  },
  ...formRoutes({
    url: '/admin/need-levels/:code/edit',
    permission: PERMISSION,
    body: needLevelBody,
    render: (ctx, values, errors) => needLevelPage(ctx, values, errors),
    initial: async (ctx) => needLevelValues(await getNeedLevel(ctx.services.db, ctx.actor, codeParam(ctx.params.code))),
    submit: async (ctx, input) => {
      const code = codeParam(ctx.params.code)
      const reviewDays =
        input.reviewDays === null
          ? null
          : /^\d{1,3}$/.test(input.reviewDays) && Number(input.reviewDays) >= 7 && Number(input.reviewDays) <= 366
            ? Number(input.reviewDays)
            : NaN
      if (Number.isNaN(reviewDays)) return invalid({ reviewDays: 'Days between reviews must be a whole number from 7 to 366, or left empty' })
      const change = { label: input.label, description: input.description, hidden: !input.visible, version: input.version, reviewDays }
      try {
        await updateNeedLevel(ctx.services.db, ctx.actor, code, change)
      } catch (error) {
        if (error instanceof ConfigRuleBroken) return ruleBroken(error)
        if (error instanceof EditConflict) {
          const theirs = await getNeedLevel(ctx.services.db, ctx.actor, code)
          return needLevelPage(ctx, needLevelValues({ ...change, version: theirs.version }), { form: CONFLICT_MESSAGE }, { theirs }, 409)
        }
        throw error
      }
      return redirect('/admin/need-levels?saved=1')
    },
  }),
  {
    method: 'GET',
    url: '/admin/assessment-elements',
    permission: PERMISSION,
    handler: async (ctx) =>
      page(`${VIEWS}/elements.njk`, {
        title: 'Assessment elements',
        domains: await listElementsByDomain(ctx.services.db, ctx.actor),
        flash: ctx.query.saved ? 'Assessment element saved' : null,
      }),
  },
  ...shownRecordRoutes({
    url: '/admin/assessment-elements/:code/edit',
    nameLabel: 'Name of the element',
    shownMessage: 'Select yes if this element is on the assessment form',
    load: (ctx, code) => getElement(ctx.services.db, ctx.actor, code),
    save: (ctx, code, change) => updateElement(ctx.services.db, ctx.actor, code, change),
    page: elementPage,
    savedUrl: '/admin/assessment-elements?saved=1',
  }),
]
