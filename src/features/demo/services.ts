import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { createService } from '../services/directory.ts'

/** Demo Borough's service directory, kept by the hub, so that practitioners have services to find and refer to. */
const SERVICES = [
  {
    name: 'Oakfield breakfast club',
    provider: 'Oakfield Primary School',
    description: 'Breakfast and a calm start to the day from 8am, for children at Oakfield and their brothers and sisters.',
    minAge: 4,
    maxAge: 11,
    needs: ['basic-care', 'participation'],
    localities: ['North'],
    howToRefer: 'Refer from the plan. The school office rings the family within a week to arrange a start date.',
    viaHub: true,
    capacity: 30,
    unitCost: 475,
  },
  {
    name: 'Families Together family support',
    provider: 'Families Together (charity)',
    description: 'A family support worker visits at home for up to 12 weeks: routines, boundaries, and getting to appointments.',
    minAge: null,
    maxAge: 18,
    needs: ['basic-care', 'guidance', 'emotional-warmth', 'family-history'],
    localities: [],
    howToRefer: 'Refer from the plan. A worker contacts the lead professional within 5 working days.',
    viaHub: true,
    capacity: 40,
    unitCost: 1800,
  },
  {
    name: 'Housing Options advice',
    provider: 'Demo Borough Housing Options',
    description: 'Advice on rent arrears, repairs, overcrowding and finding a new home.',
    minAge: null,
    maxAge: null,
    needs: ['housing-money'],
    localities: [],
    howToRefer: 'Refer from the plan, or the family can call 01632 960 300.',
    viaHub: false,
    capacity: null,
    unitCost: null,
  },
] as const

export async function seedDemoServices(db: Kysely<DB>, hub: Actor): Promise<void> {
  const id = async (table: 'agencies' | 'localities', name: string) =>
    (await db.selectFrom(table).select('id').where('la_id', '=', hub.laId).where('name', '=', name).executeTakeFirstOrThrow()).id
  for (const s of SERVICES) {
    await createService(db, hub, {
      name: s.name,
      providerAgencyId: await id('agencies', s.provider),
      description: s.description,
      minAge: s.minAge,
      maxAge: s.maxAge,
      needs: [...s.needs],
      localityIds: await Promise.all(s.localities.map((l) => id('localities', l))),
      howToRefer: s.howToRefer,
      viaHub: s.viaHub,
      capacity: s.capacity,
      unitCost: s.unitCost,
      open: true,
    })
  }
}
