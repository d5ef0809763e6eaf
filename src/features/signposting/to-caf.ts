import { sql, type Kysely } from 'kysely'
import type { DB, SignpostingStatus } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { dateWords, today } from '../../web/dates.ts'
import { requireSignposting } from '../../policies/signposting.ts'
import { auditAs } from '../audit/audit-log.ts'
import { writeConsent } from '../episodes/consent.ts'
import { checkStart, insertStart, openEpisodeOfAny, openInstead, RelationshipNeeded, type StartInput } from '../episodes/start.ts'
import { NotFound } from '../../web/outcome.ts'
import { MET } from './queries.ts'
import { HasOpenCaf, SignpostingRefused } from './requests.ts'

/**
 * Whether a CAF may be started from a request: once the hub has decided it (passed or declined), while
 * its need is not met, and no CAF is open for the child or was started from it already.
 */
export function cafMayStartFrom(r: { status: SignpostingStatus; episodeId: number | null; met: boolean; openCaf: number | null }): boolean {
  return r.status !== 'waiting' && !r.met && r.episodeId === null && r.openCaf === null
}

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
    .leftJoin('referrals as r', 'r.signposting_id', 'g.id')
    .selectAll('g')
    .select(['s.provider_agency_id', 's.name as service', MET.as('met')])
    .where('g.id', '=', id)
    .executeTakeFirstOrThrow()
  if (g.episode_id) throw new HasOpenCaf(g.episode_id)
  const open = await openEpisodeOfAny(db, actor.laId, [g.child_person_id])
  if (open) throw new HasOpenCaf(open)
  if (!cafMayStartFrom({ status: g.status, episodeId: g.episode_id, met: g.met, openCaf: open }))
    throw new SignpostingRefused({ form: g.met ? 'The service met this need: there is nothing to start a CAF for' : 'The CAF hub decides the request first' })
  const fromChild = g.consent_giver_person_id === g.child_person_id
  const start: StartInput = {
    childId: g.child_person_id,
    kind: fromChild ? 'child' : 'family',
    memberIds: fromChild ? [] : [g.consent_giver_person_id],
    start: 'intention',
    intentionReason: `Signposted to ${g.service} on ${dateWords(g.requested_at)}: ${g.need}`,
    plannedOn: today(),
    relationship: null,
    origin: 'signposting',
  }
  let checked
  try {
    checked = await checkStart(db, actor, start)
  } catch (error) {
    // Only someone who may see the child's household may start a family CAF: the hub can.
    if (error instanceof RelationshipNeeded)
      throw new SignpostingRefused({ form: 'You can no longer see this child’s record. Ask the CAF hub to start the CAF' })
    // The one who gave consent has left the child's household since.
    if (error instanceof NotFound)
      throw new SignpostingRefused({
        form: 'The person who gave consent no longer lives with the child. Start the CAF from the child’s record, and ask for consent again',
      })
    throw error
  }
  // The episode, its consent and the request's link to it are written together, or not at all.
  try {
    return await db.transaction().execute(async (tx) => {
      const episodeId = await insertStart(tx, actor, start, checked)
      await writeConsent(tx, actor, episodeId, {
        decision: 'given',
        givenBy: g.consent_giver_person_id,
        giverRole: g.giver_role,
        method: g.consent_method,
        givenOn: g.consent_given_on,
        agencyIds: [g.provider_agency_id],
      })
      const linked = await tx
        .updateTable('signposting_requests')
        .set({ episode_id: episodeId, version: sql<number>`version + 1` })
        .where('id', '=', id)
        .where('episode_id', 'is', null)
        .executeTakeFirst()
      // Someone else started one from it at the same moment.
      if (!linked.numUpdatedRows) throw new SignpostingRefused({ form: 'A CAF has just been started from this request' })
      await auditAs(tx, actor, 'signposting.caf-started', { type: 'signposting', id }, { episode: episodeId })
      return episodeId
    })
  } catch (error) {
    if (error instanceof SignpostingRefused) throw error
    throw new HasOpenCaf(await openInstead(db, actor.laId, start, checked, error))
  }
}
