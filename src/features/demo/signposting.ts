import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { addDays, today } from '../../web/dates.ts'
import { changeReferral } from '../services/referrals.ts'
import { passToService, requestSignposting } from '../signposting/requests.ts'
import { demoPerson, sentWhenItHappened } from './story.ts'

/**
 * Demo Borough's signposting, through the same use cases as the pages, then moved back to its days:
 * - five children signposted to Families Together family support in the last three months, passed on
 *   by the hub and started after a wait: the service's waiting time is measured from them;
 * - John Smith, signposted nine weeks ago and still on the waiting list: the hub is prompted to
 *   suggest a CAF;
 * - Amelia Smith, signposted two days ago to the breakfast club: waiting for the hub.
 */
const HISTORY = [
  {
    child: ['Leo', 'Brown'],
    parent: ['Kelly', 'Brown'],
    askedDaysAgo: 80,
    waitDays: 12,
    finished: true,
    need: 'Leo has stopped going to football and stays in his room; his mum is worried about his mood.',
  },
  {
    child: ['Maya', 'Hughes'],
    parent: ['Fiona', 'Hughes'],
    askedDaysAgo: 60,
    waitDays: 9,
    finished: true,
    need: 'Bedtimes are a battle every night and Maya is tired at school.',
  },
  {
    child: ['Noah', 'Clarke'],
    parent: ['Marcus', 'Clarke'],
    askedDaysAgo: 45,
    waitDays: 21,
    finished: false,
    need: 'Noah’s dad is bringing him up alone since January and would like help with routines.',
  },
  {
    child: ['Ava', 'Wright'],
    parent: ['Jade', 'Wright'],
    askedDaysAgo: 35,
    waitDays: 14,
    finished: false,
    need: 'Ava is often late and hungry; her mum works early shifts.',
  },
  {
    child: ['Ayaan', 'Begum'],
    parent: ['Rehana', 'Begum'],
    askedDaysAgo: 30,
    waitDays: 28,
    finished: false,
    need: 'Ayaan’s behaviour at home has changed since the family moved flat.',
  },
] as const

export async function seedDemoSignposting(db: Kysely<DB>, people: { priya: Actor; callum: Actor; tom: Actor }): Promise<void> {
  const { priya, callum, tom } = people
  const person = ([given, family]: readonly [string, string]) => demoPerson(db, priya.laId, given, family)
  const service = async (name: string) =>
    (await db.selectFrom('services').select('id').where('la_id', '=', priya.laId).where('name', '=', name).executeTakeFirstOrThrow()).id
  const familySupport = await service('Families Together family support')
  const ask = async (child: readonly [string, string], parent: readonly [string, string], serviceId: number, need: string, askedDaysAgo: number) =>
    requestSignposting(db, priya, await person(child), {
      need,
      serviceId,
      giverId: await person(parent),
      giverRole: 'parent-with-pr',
      method: 'verbal',
      givenOn: addDays(today(), -askedDaysAgo),
    })
  const step = { startedOn: null, helped: null, reason: null }

  for (const h of HISTORY) {
    const id = await ask(h.child, h.parent, familySupport, h.need, h.askedDaysAgo)
    const referral = await passToService(db, callum, id, '')
    await changeReferral(db, tom, { signpostingId: id }, referral, { ...step, to: 'accepted' }, '')
    await changeReferral(db, tom, { signpostingId: id }, referral, { ...step, to: 'started', startedOn: today() }, '')
    if (h.finished) await changeReferral(db, tom, { signpostingId: id }, referral, { ...step, to: 'finished', helped: 'yes' }, '')
    await backdate(db, id, h.askedDaysAgo, h.waitDays)
  }

  const john = await ask(
    ['John', 'Smith'],
    ['Sarah', 'Smith'],
    familySupport,
    'John is anxious about going to school and Sarah would like help with mornings.',
    63,
  )
  const johns = await passToService(db, callum, john, '')
  await changeReferral(db, tom, { signpostingId: john }, johns, { ...step, to: 'accepted' }, '')
  await changeReferral(db, tom, { signpostingId: john }, johns, { ...step, to: 'waiting' }, '')
  await backdate(db, john, 63, null)

  const amelia = await ask(['Amelia', 'Smith'], ['Sarah', 'Smith'], await service('Oakfield breakfast club'), 'Amelia arrives hungry most mornings.', 2)
  await sql`update signposting_requests set requested_at = requested_at - make_interval(days => 2) where id = ${amelia}`.execute(db)
  await sentWhenItHappened(db, priya.laId, ['A referral to %', 'Your signposting request %'])
}

/** Moves a request back to the day it was asked, its passing to the next day, and its start `waitDays` after that. */
async function backdate(db: Kysely<DB>, id: number, askedDaysAgo: number, waitDays: number | null) {
  const passed = askedDaysAgo - 1
  await sql`update signposting_requests set requested_at = requested_at - make_interval(days => ${askedDaysAgo}),
    decided_at = decided_at - make_interval(days => ${passed}) where id = ${id}`.execute(db)
  const startedAgo = waitDays === null ? null : passed - waitDays
  await sql`update referrals set requested_on = requested_on - ${passed}::int,
    started_on = case when started_on is null then null else started_on - ${startedAgo ?? 0}::int end where signposting_id = ${id}`.execute(db)
  // Each change on its day: asked for when passed, accepted the next day, started on its day, finished three weeks later.
  await sql`update referral_events v set at = v.at - make_interval(days => case v.status when 'requested' then ${passed}::int
      when 'accepted' then ${passed - 1}::int when 'waiting' then ${passed - 1}::int
      when 'finished' then ${Math.max((startedAgo ?? 0) - 21, 0)}::int else ${startedAgo ?? 0}::int end)
    from referrals r where r.id = v.referral_id and r.signposting_id = ${id}`.execute(db)
}
