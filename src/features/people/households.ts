import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { NotFound } from '../../web/outcome.ts'
import { auditAs } from '../audit/audit-log.ts'
import { isLivePerson } from './repository.ts'
import { openPersonForChange } from './use-cases.ts'

/** Everyone who has shared a household with this person (current first), and how each relates to them. */
export async function householdOf(db: Kysely<DB>, actor: Actor, personId: number) {
  return db
    .selectFrom('household_members as mine')
    .innerJoin('household_members as m', 'm.household_id', 'mine.household_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .leftJoin('relationships as r', (j) => j.onRef('r.person_id', '=', 'm.person_id').on('r.child_id', '=', personId))
    .leftJoin('relationships as back', (j) => j.onRef('back.child_id', '=', 'm.person_id').on('back.person_id', '=', personId))
    .select([
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
    ])
    .where('mine.person_id', '=', personId)
    .where('mine.la_id', '=', actor.laId)
    .where('m.person_id', '!=', personId)
    .orderBy(sql`m.to_date is not null`)
    .orderBy('p.date_of_birth')
    .execute()
}

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
