import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { addAction, startPlan } from '../../src/features/plans/use-cases.ts'
import { createService, type ServiceInput } from '../../src/features/services/directory.ts'
import { requestSignposting } from '../../src/features/signposting/requests.ts'
import type { Actor } from '../../src/web/actor.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { randomBytes } from 'node:crypto'

/** A service in the directory, open, for any age and locality, unless told otherwise. */
export function buildService(db: Kysely<DB>, actor: Actor, providerAgencyId: number, input: Partial<ServiceInput> = {}) {
  return createService(db, actor, {
    name: `Service ${randomBytes(4).toString('hex')}`,
    providerAgencyId,
    description: 'Support for families with mornings.',
    minAge: null,
    maxAge: null,
    needs: [],
    localityIds: [],
    howToRefer: 'Refer from the plan.',
    viaHub: false,
    capacity: null,
    unitCost: null,
    open: true,
    ...input,
  })
}

/** Starts the plan of a completed episode and adds one action, owned by the actor, due in a fortnight; returns the action's id. */
export async function planAction(db: Kysely<DB>, actor: Actor, episode: number): Promise<number> {
  if (!(await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirst())) await startPlan(db, actor, episode)
  const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
  return addAction(db, actor, episode, outcome, {
    description: 'Breakfast club place',
    owner: { kind: 'user', id: actor.userId },
    dueOn: addDays(today(), 14),
    serviceName: null,
  })
}

/** A signposting request for a child the actor's agency added, consent given by the young person today; returns its id. */
export async function signpost(db: Kysely<DB>, actor: Actor, serviceId: number, childId: number, need = 'Needs help getting to school on time') {
  return requestSignposting(db, actor, childId, { need, serviceId, giverId: childId, giverRole: 'young-person', method: 'verbal', givenOn: today() })
}
