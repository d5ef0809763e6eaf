import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { openEpisodesOf } from '../episodes/repository.ts'
import { LIKELY_MATCH } from './matching.ts'
import { scoreRow, searchTerms, type CandidateRow, type SearchInput } from './search.ts'
import { audit } from '../audit/audit-log.ts'

/**
 * Children of other councils of this installation with an open CAF, who are very likely the child
 * searched for: a child who lives in one council and goes to school in another. Anyone who may search
 * learns that a CAF exists in that council and who leads it, and nothing more: not the child's name or
 * date of birth as that council records them, nor the CAF's stage, nor a link to the record. Only a
 * date of birth, an NHS number or a UPN finds them, and the other council's audit log records it.
 */
export async function openCafsElsewhere(db: Kysely<DB>, laId: number, input: SearchInput) {
  const { given, family, dob } = searchTerms(input.text, input.dob)
  if (!dob && !input.nhsNumber && !input.upn) return []
  const byDob =
    dob && family ? sql`(p.date_of_birth = ${dob}::date and (p.family_dm = dmetaphone(${family}) or p.given_dm = dmetaphone(${family})))` : sql`false`
  const byNhs = input.nhsNumber ? sql`p.nhs_number = ${input.nhsNumber}` : sql`false`
  const byUpn = input.upn ? sql`p.upn = ${input.upn}` : sql`false`
  const { rows } = await sql<CandidateRow & { la_id: number; council: string }>`
    select p.id, p.la_id, la.name as council, p.given_name, p.family_name, p.search_given, p.search_family, p.given_canon, p.given_dm,
           p.family_dm, p.date_of_birth, p.expected_delivery_date, p.nhs_number, p.upn, p.postcode, null::int as school_agency_id,
           dmetaphone(${given}) as q_given_dm, dmetaphone(${family}) as q_family_dm
    from people p join local_authorities la on la.id = p.la_id
    where p.la_id <> ${laId} and p.merged_into is null and (${byDob} or ${byNhs} or ${byUpn})
      and exists (select 1 from episode_people ep where ep.person_id = p.id and ep.role = 'child' and ep.episode_open)
    limit 20`.execute(db)
  // The school is not compared: the other council's schools are its own agencies.
  const likely = rows.filter((r) => scoreRow({ ...input, schoolId: null }, { given, family, dob }, r).score >= LIKELY_MATCH)
  const out = []
  // One lookup of the open CAFs and their leads for each council found, not one a child.
  const byCouncil = new Map<number, number[]>()
  for (const r of likely) byCouncil.set(r.la_id, [...(byCouncil.get(r.la_id) ?? []), r.id])
  const openCafs = new Map<number, Awaited<ReturnType<typeof openEpisodesOf>> extends Map<number, infer V> ? V : never>()
  for (const [council, ids] of byCouncil) for (const [id, open] of await openEpisodesOf(db, council, ids)) openCafs.set(id, open)
  for (const r of likely) {
    const open = openCafs.get(r.id)
    if (!open) continue
    out.push({ id: r.id, council: r.council, lead: open.lead })
    // The other council's chain records that its child was found from elsewhere, and by which council.
    await audit(db, { laId: r.la_id, action: 'person.found-from-another-council', recordType: 'person', recordId: r.id, detail: { by: laId } })
  }
  return out
}
