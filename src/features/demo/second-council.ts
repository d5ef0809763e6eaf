import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, today } from '../../web/dates.ts'
import { requestTransfer } from '../transfers/transfers.ts'
import { proposeLead } from '../episodes/lead.ts'
import { addAction, startPlan } from '../plans/use-cases.ts'
import { assessed } from './builders.ts'
import { demoPerson, type Story } from './story.ts'
import { insertDemoAccount } from './seed.ts'

export const SHIRE_LA_CODE = 'E10999002'

/** A second made-up council on the same installation, for families who move: its hub and a practitioner. */
export const SHIRE_USERS = [
  {
    role: 'coordinator',
    name: 'Helen Price',
    email: 'coordinator@demo-shire.example',
    agency: 'Demo Shire Early Help Hub',
    jobTitle: 'Early help coordinator',
    label: 'CAF coordinator (Demo Shire)',
  },
  {
    role: 'practitioner',
    name: 'Owen Hughes',
    email: 'practitioner@demo-shire.example',
    agency: 'Hillside Primary School',
    jobTitle: 'Family support worker',
    label: 'Practitioner (Demo Shire)',
  },
] as const

/** Demo Shire: a locality, a school and a hub, and its two users, with the demo's password. Returns their accounts. */
export async function seedSecondCouncil(tx: Kysely<DB>, passwordHash: string, password: string): Promise<{ role: string; email: string }[]> {
  const la = await tx.insertInto('local_authorities').values({ code: SHIRE_LA_CODE, name: 'Demo Shire' }).returning('id').executeTakeFirstOrThrow()
  const locality = await tx.insertInto('localities').values({ la_id: la.id, name: 'Valley' }).returning('id').executeTakeFirstOrThrow()
  const agencies = new Map<string, number>()
  for (const [name, type] of [
    ['Demo Shire Early Help Hub', 'early_help'],
    ['Hillside Primary School', 'primary_school'],
  ] as const) {
    const row = await tx
      .insertInto('agencies')
      .values({ la_id: la.id, name, agency_type: type, locality_id: locality.id, phone: '01632 960 500' })
      .returning('id')
      .executeTakeFirstOrThrow()
    agencies.set(name, row.id)
  }
  for (const u of SHIRE_USERS) {
    await insertDemoAccount(tx, { ...u, laId: la.id, agencyId: agencies.get(u.agency)!, phone: '01632 960 501' }, passwordHash, password)
  }
  return SHIRE_USERS.map((u) => ({ role: u.label, email: u.email }))
}

/** The Bennetts: Priya's family, assessed seven weeks ago, with a plan. Returns their episode. */
export async function seedBennetts(db: Kysely<DB>, story: Story, priya: Actor): Promise<number> {
  const person = (given: string, family: string) => demoPerson(db, priya.laId, given, family)
  const [oliver, laura] = [await person('Oliver', 'Bennett'), await person('Laura', 'Bennett')]
  const school = (
    await db.selectFrom('agencies').select('id').where('la_id', '=', priya.laId).where('name', '=', 'Oakfield Primary School').executeTakeFirstOrThrow()
  ).id
  const daysAgo = (n: number) => addDays(today(), -n)
  const id = await story.on(50, async () => {
    const episode = await assessed(db, priya, { child: oliver, others: [laura], children: [oliver], adult: laura, agencies: [school], on: daysAgo(50) })
    await proposeLead(db, priya, episode, priya.userId, daysAgo(50))
    await startPlan(db, priya, episode)
    const outcome = (await db.selectFrom('plan_outcomes').select('id').where('episode_id', '=', episode).executeTakeFirstOrThrow()).id
    await addAction(db, priya, episode, outcome, {
      description: 'Breakfast club place for Oliver',
      owner: { kind: 'user', id: priya.userId },
      dueOn: daysAgo(20),
      serviceName: null,
    })
    return episode
  })
  return id
}

/**
 * Once the story has settled (so that what is sent carries the story's dates): the Bennetts moved to
 * Demo Shire, and Priya asked this morning, with Laura's consent, for its hub to take them on.
 */
export async function askDemoTransfer(db: Kysely<DB>, priya: Actor, episodeId: number): Promise<number> {
  const laura = await demoPerson(db, priya.laId, 'Laura', 'Bennett')
  const shire = (await db.selectFrom('local_authorities').select('id').where('code', '=', SHIRE_LA_CODE).executeTakeFirstOrThrow()).id
  const daysAgo = (n: number) => addDays(today(), -n)
  return requestTransfer(
    db,
    priya,
    episodeId,
    {
      toLaId: shire,
      toName: null,
      reason:
        'Laura has a new job in Demo Shire and the family moved at half term. Oliver starts at Hillside Primary next week; he still needs the morning routine support.',
      movedOn: daysAgo(3),
      giverId: laura,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: daysAgo(4),
    },
    '',
  )
}
