import type { RequestContext } from '../../../web/router.ts'

const SCHOOL_TYPES = ['primary_school', 'secondary_school', 'special_school', 'early_years', 'further_education']

/** The council's schools and settings, and its GP practices, for the person form and search. */
export async function schoolsAndGps(ctx: RequestContext) {
  const rows = await ctx.services.db
    .selectFrom('agencies')
    .select(['id', 'name', 'agency_type'])
    .where('la_id', '=', ctx.actor.laId)
    .where((eb) => eb.or([eb('agency_type', 'in', SCHOOL_TYPES), eb('agency_type', '=', 'gp_practice')]))
    .where('active', '=', true)
    .orderBy('name')
    .execute()
  return { schools: rows.filter((r) => SCHOOL_TYPES.includes(r.agency_type)), gps: rows.filter((r) => r.agency_type === 'gp_practice') }
}
