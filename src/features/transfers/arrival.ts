import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { rolesWith } from '../../web/permissions.ts'
import { DETAIL_FIELDS } from '../people/repository.ts'
import type { PersonDetails } from '../people/person-form.ts'
import { addHouseholdMember } from '../people/households.ts'
import { createPerson } from '../people/use-cases.ts'
import { RELATIONSHIPS } from '../people/routes/household.ts'
import { recordConsent } from '../episodes/consent.ts'
import { proposeLead } from '../episodes/lead.ts'
import { openEpisodeOfAny, startEpisode } from '../episodes/start.ts'
import { addTeamMember } from '../episodes/team.ts'
import type { PackagePerson } from '../social-care/package.ts'
import type { TransferDocument } from './document.ts'

/** The family cannot arrive as sent: field to message. */
export class ArrivalRefused extends Error {
  constructor(public readonly errors: Record<string, string>) {
    super('arrival refused')
  }
}

/**
 * A family arriving from another council, as its hub takes them on: the people found on this
 * council's register (by NHS number, or by name and date of birth) or added to it, in one household;
 * a new episode in the assessment, at the level of need of the same tier, with the family's consent
 * to the move; and the lead professional the hub chose, asked to accept. The package itself stays
 * with the transfer, for the new team to read. Returns the new episode.
 */
export async function arriveFromDocument(db: Kysely<DB>, hub: Actor, document: TransferDocument, leadUserId: number): Promise<number> {
  const lead = await db
    .selectFrom('users')
    .select(['id', 'agency_id'])
    .where('id', '=', leadUserId)
    .where('la_id', '=', hub.laId)
    .where('disabled_at', 'is', null)
    .where(sql<boolean>`roles && ${rolesWith('episode.work')}::text[]`)
    .executeTakeFirst()
  if (!lead) throw new ArrivalRefused({ lead: 'Select a lead professional from the list' })
  const from = `Arrived with a transfer from ${document.from.name}`
  const childIndex = document.package.people.findIndex((p) => p.role === 'child')
  // Nothing is written if the child already has a CAF open here.
  const known = await findExisting(db, hub, document.package.people[childIndex]!)
  const open = known ? await openEpisodeOfAny(db, hub.laId, [known]) : null
  if (open)
    throw new ArrivalRefused({
      form: `This child already has an open CAF in this council (episode ${open}). Talk to its lead professional, then decline or ask them`,
    })
  const ids: number[] = []
  for (const p of document.package.people) ids.push((await findExisting(db, hub, p)) ?? (await add(db, hub, p, from)))
  const childId = ids[childIndex]!
  const related = new Set(
    (await db.selectFrom('relationships').select('person_id').where('child_id', '=', childId).where('la_id', '=', hub.laId).execute()).map((r) => r.person_id),
  )
  for (const [i, p] of document.package.people.entries()) {
    // Someone this council already records with the child keeps the relationship it recorded.
    if (i === childIndex || related.has(ids[i]!)) continue
    const relationship = p.role === 'child' ? 'brother or sister' : (RELATIONSHIPS.find((r) => r === p.relationship) ?? 'other adult')
    await addHouseholdMember(db, hub, childId, {
      memberId: ids[i]!,
      relationship,
      parentalResponsibility:
        relationship === 'mother' || relationship === 'father' || (i === document.consent.person && document.consent.role === 'parent-with-pr'),
      fromDate: document.movedOn,
    })
  }
  const tier = document.package.episode.needTier
  const level = tier
    ? await db
        .selectFrom('need_levels')
        .select('code')
        .where('la_id', '=', hub.laId)
        .where('tier', '=', tier)
        .where('hidden', '=', false)
        .orderBy('sort_order')
        .executeTakeFirst()
    : undefined
  const started = await startEpisode(db, hub, {
    childId,
    kind: ids.length > 1 ? 'family' : 'child',
    memberIds: ids.filter((id) => id !== childId),
    start: 'assessment',
    needLevel: level?.code,
    intentionReason: null,
    plannedOn: null,
    relationship: null,
    origin: 'transfer',
  })
  if (started.type === 'already-open')
    throw new ArrivalRefused({
      form: `This child already has an open CAF in this council (episode ${started.episodeId}). Talk to its lead professional, then decline or ask them`,
    })
  const episodeId = started.id
  await recordConsent(db, hub, episodeId, {
    decision: 'given',
    givenBy: ids[document.consent.person]!,
    giverRole: document.consent.role,
    method: document.consent.method,
    givenOn: document.consent.givenOn,
    agencyIds: [...new Set([lead.agency_id, hub.agencyId])],
  })
  if (lead.id !== hub.userId) await addTeamMember(db, hub, episodeId, lead.id)
  await proposeLead(db, hub, episodeId, lead.id, document.consent.givenOn)
  return episodeId
}

/** A person of the package already on this council's register: the same NHS number, or the same name and date of birth. */
async function findExisting(db: Kysely<DB>, hub: Actor, p: PackagePerson): Promise<number | null> {
  const live = db.selectFrom('people').select('id').where('la_id', '=', hub.laId).where('merged_into', 'is', null)
  const byNhs = p.nhsNumber ? await live.where('nhs_number', '=', p.nhsNumber).executeTakeFirst() : undefined
  if (byNhs) return byNhs.id
  const byName =
    p.dateOfBirth && p.givenName && p.familyName
      ? await live
          .where(sql<boolean>`lower(given_name) = lower(${p.givenName}) and lower(family_name) = lower(${p.familyName})`)
          .where('date_of_birth', '=', p.dateOfBirth)
          .executeTakeFirst()
      : undefined
  return byName?.id ?? null
}

/** A person of the package added to this council's register. */
async function add(db: Kysely<DB>, hub: Actor, p: PackagePerson, reason: string): Promise<number> {
  const blank = Object.fromEntries(DETAIL_FIELDS.map((f) => [f, null])) as unknown as PersonDetails
  const created = await createPerson(
    db,
    hub,
    {
      ...blank,
      givenName: p.givenName,
      familyName: p.familyName ?? (p.givenName ? null : p.name),
      sex: p.sex,
      dateOfBirth: p.dateOfBirth,
      address: p.address,
      postcode: p.postcode,
      nhsNumber: p.nhsNumber,
      upn: p.upn,
    },
    reason,
  )
  if (created.type !== 'created') throw new Error('a person of the package could not be added')
  return created.id
}
