import { sql, type Kysely } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { isLivePerson } from './repository.ts'
import { openPersonForChange } from './use-cases.ts'

/** Everyone who has shared a household with this person (current first), and how each relates to them, in words. */
export async function householdOf(db: Kysely<DB>, actor: Actor, personId: number) {
  const rows = await db
    .selectFrom('household_members as mine')
    .innerJoin('people as me', 'me.id', 'mine.person_id')
    .innerJoin('household_members as m', 'm.household_id', 'mine.household_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('relationships as r', (j) => j.onRef('r.person_id', '=', 'm.person_id').on('r.child_id', '=', personId))
    .leftJoin('relationships as back', (j) => j.onRef('back.child_id', '=', 'm.person_id').on('back.person_id', '=', personId))
    .select((eb) => [
      'm.id as memberId',
      'm.household_id as householdId',
      'p.id as personId',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth as dateOfBirth',
      'm.from_date as fromDate',
      'm.to_date as toDate',
      'r.relationship',
      'r.parental_responsibility as parentalResponsibility',
      'back.relationship as theirChildAs',
      'me.given_name as myName',
      // How they are related to the others in the household (a mother recorded as the sister's mother).
      jsonArrayFrom(
        eb
          .selectFrom('relationships as o')
          .innerJoin('household_members as om', 'om.person_id', 'o.child_id')
          .innerJoin('people as c', 'c.id', 'o.child_id')
          .select(['o.relationship', 'c.given_name'])
          .whereRef('o.person_id', '=', 'm.person_id')
          .whereRef('om.household_id', '=', 'm.household_id')
          .where('o.child_id', '!=', personId)
          .orderBy('c.date_of_birth'),
      ).as('others'),
    ])
    .where('mine.person_id', '=', personId)
    .where('mine.la_id', '=', actor.laId)
    .where('m.person_id', '!=', personId)
    .orderBy(sql`m.to_date is not null`)
    .orderBy('p.date_of_birth')
    .execute()
  return rows.map(({ others, myName, ...m }) => ({ ...m, relationshipText: relationshipWords(m, myName, others) }))
}

/**
 * A household member's relationship to this person, in words: "Mother"; "Amelia is their mother" (this
 * person's relationship to them); "Amelia’s mother" (recorded against someone else in the household).
 */
function relationshipWords(
  m: { relationship: string | null; theirChildAs: string | null; given_name: string | null },
  myName: string | null,
  others: readonly { relationship: string; given_name: string | null }[],
): string {
  if (m.relationship) return capitalise(m.relationship)
  if (m.theirChildAs) return `${myName ?? 'This person'} is ${m.given_name ?? 'their'}’s ${m.theirChildAs}`
  if (others.length) return capitalise(others.map((o) => `${o.given_name}’s ${o.relationship}`).join(', '))
  return 'Lives in the same household'
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export interface MemberInput {
  memberId: number
  relationship: string
  parentalResponsibility: boolean
  fromDate: string
}

/**
 * Adds someone to the household a person lives in (making one if they have none), with how they
 * relate to that person and whether they hold parental responsibility.
 */
export async function addHouseholdMember(db: Kysely<DB>, actor: Actor, personId: number, input: MemberInput): Promise<void> {
  if (input.memberId === personId) throw new NotFound()
  await db.transaction().execute(async (tx) => {
    await openPersonForChange(tx, actor, personId)
    if (!(await isLivePerson(tx, actor.laId, input.memberId))) throw new NotFound()
    let household = await tx
      .selectFrom('household_members')
      .select('household_id')
      .where('person_id', '=', personId)
      .where('to_date', 'is', null)
      .orderBy('from_date', 'desc')
      .executeTakeFirst()
    if (!household) {
      const h = await tx.insertInto('households').values({ la_id: actor.laId, created_by: actor.userId }).returning('id').executeTakeFirstOrThrow()
      await tx.insertInto('household_members').values({ la_id: actor.laId, household_id: h.id, person_id: personId, from_date: input.fromDate }).execute()
      household = { household_id: h.id }
    }
    const already = await tx
      .selectFrom('household_members')
      .select('id')
      .where('household_id', '=', household.household_id)
      .where('person_id', '=', input.memberId)
      .where('to_date', 'is', null)
      .executeTakeFirst()
    if (!already) {
      await tx
        .insertInto('household_members')
        .values({ la_id: actor.laId, household_id: household.household_id, person_id: input.memberId, from_date: input.fromDate })
        .execute()
    }
    await tx
      .insertInto('relationships')
      .values({
        la_id: actor.laId,
        person_id: input.memberId,
        child_id: personId,
        relationship: input.relationship,
        parental_responsibility: input.parentalResponsibility,
      })
      .onConflict((oc) =>
        oc.columns(['person_id', 'child_id']).doUpdateSet({ relationship: input.relationship, parental_responsibility: input.parentalResponsibility }),
      )
      .execute()
    const change = {
      householdMember: [null, input.memberId],
      relationship: [null, input.relationship],
      parentalResponsibility: [null, input.parentalResponsibility],
    }
    await tx
      .insertInto('person_changes')
      .values({ la_id: actor.laId, person_id: personId, changed_by: actor.userId, change_type: 'household', changes: JSON.stringify(change) })
      .execute()
    await auditAs(tx, actor, 'person.household-member-added', { type: 'person', id: personId }, { memberId: input.memberId })
  })
}

/** Records that someone left a household on a date: the membership is kept, with its end date. */
export async function endHouseholdMembership(db: Kysely<DB>, actor: Actor, personId: number, memberRowId: number, toDate: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await openPersonForChange(tx, actor, personId)
    const r = await tx
      .updateTable('household_members')
      .set({ to_date: toDate })
      .where('id', '=', memberRowId)
      .where('la_id', '=', actor.laId)
      .where('to_date', 'is', null)
      .where('from_date', '<=', toDate)
      .where('household_id', 'in', (eb) => eb.selectFrom('household_members').select('household_id').where('person_id', '=', personId))
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) throw new NotFound()
    await tx
      .insertInto('person_changes')
      .values({
        la_id: actor.laId,
        person_id: personId,
        changed_by: actor.userId,
        change_type: 'household',
        changes: JSON.stringify({ leftHousehold: [memberRowId, toDate] }),
      })
      .execute()
    await auditAs(tx, actor, 'person.household-member-left', { type: 'person', id: personId }, { memberRowId })
  })
}
