import type { Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'

/** The council's CAF training records, newest first, with whose they are. */
export function trainingRecords(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('caf_training as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['t.id', 't.course', 't.trained_on as trainedOn', 'u.full_name as name', 'a.name as agency'])
    .where('t.la_id', '=', laId)
    .orderBy('t.trained_on', 'desc')
    .orderBy('t.id', 'desc')
    .limit(500)
    .execute()
}

/** The council's users a training record may be for: those who may start CAFs. */
export function trainees(db: Kysely<DB>, laId: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select(['u.id', 'u.full_name as name', 'a.name as agency'])
    .where('u.la_id', '=', laId)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.full_name')
    .execute()
}

/** Records that a user of the council did a CAF course on a day. */
export async function recordTraining(db: Kysely<DB>, actor: Actor, input: { userId: number; course: string; trainedOn: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('users').select('id').where('id', '=', input.userId).where('la_id', '=', actor.laId).executeTakeFirst()
    if (!user) throw new NotFound()
    const row = await tx
      .insertInto('caf_training')
      .values({ la_id: actor.laId, user_id: input.userId, course: input.course, trained_on: input.trainedOn, recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await auditAs(tx, actor, 'training.recorded', { type: 'caf-training', id: row.id }, { userId: input.userId, trainedOn: input.trainedOn })
  })
}

/** Removes a record made in error. */
export async function removeTraining(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('caf_training').where('id', '=', id).where('la_id', '=', actor.laId).returning('user_id').executeTakeFirst()
    if (!gone) throw new NotFound()
    await auditAs(tx, actor, 'training.removed', { type: 'caf-training', id }, { userId: gone.user_id })
  })
}
