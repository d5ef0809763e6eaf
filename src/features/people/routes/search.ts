import { isSocialCare } from '../../../policies/social-care.ts'
import { openCafsElsewhere } from '../elsewhere.ts'
import { isoFromParts, today } from '../../../web/dates.ts'
import { z } from 'zod'
import { validate } from '../../../web/forms.ts'
import { page } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { normaliseNhsNumber, normalisePostcode, normaliseUpn } from '../identifiers.ts'
import { LIKELY_MATCH } from '../matching.ts'
import { rolesAllow } from '../../../web/permissions.ts'
import { openEpisodesOf } from '../../episodes/repository.ts'
import { displayName, isChild } from '../repository.ts'
import { findPeople } from '../search.ts'
import { schoolsAndGps } from './shared.ts'

const str = (label: string, max: number) =>
  z.preprocess(
    (v) => (v === undefined ? '' : v),
    z
      .string({ error: `${label} must be a single answer` })
      .trim()
      .max(max, `${label} must be ${max} characters or fewer`),
  )

export const searchSchema = z.object({
  q: str('Name', 200).refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'Name must not contain special characters such as tabs or control codes'),
  'dob-day': str('Day', 2),
  'dob-month': str('Month', 2),
  'dob-year': str('Year', 4),
  postcode: str('Postcode', 10).refine((v) => v === '' || normalisePostcode(v) !== null, 'Enter a real postcode, like SW1A 1AA'),
  nhsNumber: str('NHS number', 14).refine((v) => v === '' || normaliseNhsNumber(v) !== null, 'Enter a valid 10-digit NHS number, like 943 476 5919'),
  upn: str('Unique pupil number', 20).refine(
    (v) => v === '' || normaliseUpn(v) !== null,
    'Enter a unique pupil number in the right format, like A123456789012',
  ),
  schoolId: str('School', 9).refine((v) => /^\d*$/.test(v), 'Select a school from the list'),
  addTo: str('Household', 12).refine((v) => /^\d*$/.test(v), 'Household link is not valid'),
})

export function searchDob(v: z.infer<typeof searchSchema>): string | null | 'invalid' {
  const iso = isoFromParts(v['dob-day'], v['dob-month'], v['dob-year'])
  return iso === 'incomplete' ? 'invalid' : iso
}

async function searchPage(ctx: RequestContext) {
  const raw = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => k in searchSchema.shape))
  const { schools } = await schoolsAndGps(ctx)
  const base = { title: 'Is there already a CAF? Find a child or adult', values: raw, schools, columns: 'full' }
  const parsed = validate(searchSchema, raw)
  if (!parsed.ok) return page('people/views/search.njk', withErrors(base, parsed.errors, Object.keys(searchSchema.shape)), { status: 400 })
  const v = parsed.data
  const dob = searchDob(v)
  if (dob === 'invalid')
    return page('people/views/search.njk', withErrors(base, { 'dob-day': 'Date of birth must be a real date, like 27 3 2015' }), { status: 400 })
  const searched = Boolean(v.q || dob || v.postcode || v.nhsNumber || v.upn)
  if (!searched) return page('people/views/search.njk', { ...base, searched })
  // Looking for someone to add to a household: the person whose household it is is never offered.
  const input = {
    text: v.q,
    dob,
    postcode: v.postcode ? normalisePostcode(v.postcode) : null,
    nhsNumber: v.nhsNumber ? normaliseNhsNumber(v.nhsNumber) : null,
    upn: v.upn ? normaliseUpn(v.upn) : null,
    schoolId: v.schoolId ? Number(v.schoolId) : null,
  }
  const [found, elsewhere] = await Promise.all([
    findPeople(ctx.services.db, ctx.actor.laId, input),
    v.addTo ? Promise.resolve([]) : openCafsElsewhere(ctx.services.db, ctx.actor.laId, input),
  ])
  const results = found.filter((r) => r.id !== Number(v.addTo))
  const localities = await ctx.services.db
    .selectFrom('people as p')
    .leftJoin('agencies as s', 's.id', 'p.school_agency_id')
    .leftJoin('localities as l', 'l.id', 's.locality_id')
    .select(['p.id', 'l.name'])
    .where('p.id', 'in', results.length ? results.map((r) => r.id) : [0])
    .where('p.la_id', '=', ctx.actor.laId)
    .execute()
  const localityOf = new Map(localities.map((l) => [l.id, l.name]))
  const openCafs = await openEpisodesOf(
    ctx.services.db,
    ctx.actor.laId,
    results.map((r) => r.id),
  )
  const canStart = rolesAllow(ctx.actor.roles, 'episode.work')
  const socialCare = isSocialCare(ctx.actor)
  const now = today()
  const newPersonQuery = new URLSearchParams({
    searched: '1',
    q: v.q,
    'dob-day': v['dob-day'],
    'dob-month': v['dob-month'],
    'dob-year': v['dob-year'],
    postcode: v.postcode,
    ...(v.addTo ? { addTo: v.addTo } : {}),
  })
  return page(
    'people/views/search.njk',
    {
      ...base,
      searched,
      addTo: v.addTo || null,
      results: results.map((r) => ({
        id: r.id,
        name: displayName(r),
        dateOfBirth: r.date_of_birth,
        expectedDeliveryDate: r.expected_delivery_date,
        locality: localityOf.get(r.id) ?? 'Not known',
        score: r.score,
        likely: r.score >= LIKELY_MATCH,
        reasons: r.reasons.join(', '),
        openCaf: openCafs.get(r.id) ?? null,
        canStartCaf: canStart && !openCafs.has(r.id) && isChild(r, now),
        // Social care sends contacts and step downs for children it found here.
        canSendToEarlyHelp: socialCare && isChild(r, now),
      })),
      newPersonHref: `/people/new?${newPersonQuery.toString()}`,
      elsewhere,
    },
    { auditDetail: { shown: results.map((r) => r.id), ...(elsewhere.length ? { elsewhere: elsewhere.map((e) => e.id) } : {}) } },
  )
}

export const searchRoutes: Route[] = [
  { method: 'GET', url: '/people', permission: 'person.search', audit: { action: 'person.searched', recordType: 'person-search' }, handler: searchPage },
]
