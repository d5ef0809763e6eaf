import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { dateWords, today } from '../../web/dates.ts'
import { requireSignposting } from '../../policies/signposting.ts'
import { auditAs } from '../audit/audit-log.ts'
import { recordConsent } from '../episodes/consent.ts'
import { openEpisodeOfAny, RelationshipNeeded, startEpisode } from '../episodes/start.ts'
import { HasOpenCaf, SignpostingRefused } from './requests.ts'

/**
 * Signposting was not enough: starts a CAF (an intention to assess, from today) for the child, with
 * the need as the reason and the family's consent recorded as given, naming the service's agency. A
 * parent who gave consent comes into a family CAF. Nothing is asked again.
 */
export async function startCafFromSignposting(db: Kysely<DB>, actor: Actor, id: number): Promise<number> {
  await requireSignposting(db, actor, id, 'work')
  const g = await db
    .selectFrom('signposting_requests as g')
    .innerJoin('services as s', 's.id', 'g.service_id')
    .selectAll('g')
    .select(['s.provider_agency_id', 's.name as service'])
    .where('g.id', '=', id)
    .executeTakeFirstOrThrow()
  if (g.episode_id) throw new HasOpenCaf(g.episode_id)
  const open = await openEpisodeOfAny(db, actor.laId, [g.child_person_id])
  if (open) throw new HasOpenCaf(open)
  const fromChild = g.consent_giver_person_id === g.child_person_id
  let result
  try {
    result = await startEpisode(db, actor, {
      childId: g.child_person_id,
      kind: fromChild ? 'child' : 'family',
      memberIds: fromChild ? [] : [g.consent_giver_person_id],
      start: 'intention',
      intentionReason: `Signposted to ${g.service} on ${dateWords(g.requested_at)}: ${g.need}`,
      plannedOn: today(),
      relationship: null,
    })
  } catch (error) {
    // Only someone who may see the child's household may start a family CAF: the hub can.
    if (error instanceof RelationshipNeeded)
      throw new SignpostingRefused({ form: 'You can no longer see this child’s record. Ask the CAF hub to start the CAF' })
    throw error
  }
  if (result.type === 'already-open') throw new HasOpenCaf(result.episodeId)
  await recordConsent(db, actor, result.id, {
    decision: 'given',
    givenBy: g.consent_giver_person_id,
    giverRole: g.giver_role,
    method: g.consent_method,
    givenOn: g.consent_given_on,
    agencyIds: [g.provider_agency_id],
  })
  await db
    .updateTable('signposting_requests')
    .set({ episode_id: result.id, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute()
  await auditAs(db, actor, 'signposting.caf-started', { type: 'signposting', id }, { episode: result.id })
  return result.id
}
