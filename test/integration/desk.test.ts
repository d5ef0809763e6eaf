import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { withdrawAgency } from '../../src/features/episodes/consent.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import type { Actor } from '../../src/web/actor.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { actorOf, buildEpisode, buildPerson } from '../helpers/factories.ts'
import { errorSummaryHrefs, tableRows } from '../helpers/html.ts'
import { backdate } from '../helpers/queues.ts'
import { buildColleague, buildLocality, buildStaff } from '../helpers/staff.ts'

/**
 * The desk: each queue's count at the user's scope, each count a link to its list. Every test builds
 * a council of its own, so the counts it reads are the families it made.
 */

let t: TestApp

before(async () => {
  t = await testApp()
})
after(() => t?.close())

/** The desk's counts by queue title, as the page shows them. */
async function counts(client: { get(url: string): Promise<{ statusCode: number; body: string }> }, query = '') {
  const res = await client.get(`/desk${query}`)
  assert.equal(res.statusCode, 200, textOf(res.body).slice(0, 300))
  return Object.fromEntries(tableRows(res.body).map(([title, , count]) => [title, Number(count)]))
}

/** An intention to assess recorded `daysAgo` days ago for a new child: overdue for follow-up after 28. */
async function intention(actor: Actor, daysAgo: number, reason = 'Talk to mum first') {
  const child = await buildPerson(t.db, actor)
  const started = await startEpisode(t.db, actor, {
    childId: child.id,
    kind: 'child',
    memberIds: [],
    start: 'intention',
    intentionReason: reason,
    plannedOn: null,
    relationship: null,
  })
  if (started.type !== 'started') throw new Error('the child already had a CAF')
  await backdate(t.db, { table: 'episodes', column: 'created_at' }, started.id, daysAgo)
  return { id: started.id, child }
}

describe('the hub’s desk', () => {
  test('is the coordinator’s home: every queue counted for the whole council, each count a link to its list', async () => {
    const staff = await buildStaff(t.db)
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    await buildEpisode(t.db, actorOf({ id: gp.id, la_id: staff.la.id }, staff.agencies.gp.id), { consentedAgencies: [staff.agencies.gp.id] })
    const coordinator = await staff.signIn(t.app, 'coordinator')

    const home = await coordinator.get('/')
    assert.equal(home.statusCode, 303)
    assert.equal(home.headers.location, '/desk')
    const desk = await coordinator.get('/desk')
    assert.equal(desk.statusCode, 200)
    assert.match(String(desk.headers['cache-control']), /no-store/)
    assert.match(textOf(desk.body), /The hub’s desk/)
    const byTitle = await counts(coordinator)
    assert.equal(Object.keys(byTitle).length, 12, 'every queue has a row')
    assert.equal(byTitle['No lead professional'], 3, 'three completed assessments with nobody leading, two agencies')
    assert.equal(byTitle['Reviews overdue'], 0)
    assert.ok(desk.body.includes('href="/desk/no-lead?for=council"'), 'the count links to its list')

    const list = await coordinator.get('/desk/no-lead?for=council')
    assert.equal(list.statusCode, 200)
    assert.match(String(list.headers['cache-control']), /no-store/)
    assert.equal(tableRows(list.body).length, 3)
    assert.match(textOf(list.body), new RegExp(`${gp.name} \\(started it\\) ${staff.agencies.gp.name} ${gp.email}`), 'with who to contact')
  })

  test('the filters narrow the counts and the lists: agency, locality, level of need and age', async () => {
    const staff = await buildStaff(t.db)
    const north = await buildLocality(t.db, staff)
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    await buildEpisode(t.db, north.actor, { consentedAgencies: [north.agency.id] })
    const coordinator = await staff.signIn(t.app, 'coordinator')
    assert.equal((await counts(coordinator))['No lead professional'], 2)
    assert.equal((await counts(coordinator, `?agency=${north.agency.id}`))['No lead professional'], 1)
    assert.equal((await counts(coordinator, `?locality=${north.locality.id}`))['No lead professional'], 1)
    assert.equal((await counts(coordinator, `?locality=${staff.locality.id}`))['No lead professional'], 1)
    // Both children were born in June 2015: 10 to 15 years old.
    assert.equal((await counts(coordinator, '?age=10-15'))['No lead professional'], 2)
    assert.equal((await counts(coordinator, '?age=5-9'))['No lead professional'], 0)
    await t.db.updateTable('episodes').set({ need_level: '2' }).where('initiator_agency_id', '=', north.agency.id).execute()
    assert.equal((await counts(coordinator, '?level=2'))['No lead professional'], 1)
    const list = await coordinator.get(`/desk/no-lead?locality=${north.locality.id}`)
    assert.equal(tableRows(list.body).length, 1)
    assert.ok(textOf(list.body).includes(north.user.full_name), 'the lead contact is the north practitioner')
    assert.match(list.body, new RegExp(`<option value="${north.locality.id}" selected>`), 'the chosen filter stays chosen')
  })

  test('bad filters are refused with a 400 and an error summary, the choices kept, and nothing listed', async () => {
    const staff = await buildStaff(t.db)
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    const coordinator = await staff.signIn(t.app, 'coordinator')
    for (const url of ['/desk?locality=abc&age=elderly', '/desk/no-lead?locality=abc&age=elderly']) {
      const res = await coordinator.get(url)
      assert.equal(res.statusCode, 400, url)
      assert.deepEqual(errorSummaryHrefs(res.body), ['#locality', '#age'])
      assert.equal(tableRows(res.body).length, 0, 'no counts or families shown under a refused filter')
    }
    const twice = await coordinator.get('/desk?agency=1&agency=2')
    assert.equal(twice.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(twice.body), ['#agency'])
    const practitioner = await staff.signIn(t.app, 'practitioner')
    const widened = await practitioner.get('/desk/no-lead?for=council')
    assert.equal(widened.statusCode, 400, 'a practitioner may not ask for the whole council')
    assert.deepEqual(errorSummaryHrefs(widened.body), ['#for'])
    assert.doesNotMatch(widened.body, /href="\/episodes\/\d+"/)
  })

  test('a list is most overdue first, 25 to a page, and viewing it is audited with the episodes shown', async () => {
    const staff = await buildStaff(t.db)
    const made = []
    for (let i = 0; i < 26; i++) made.push(await intention(staff.actor('practitioner'), 29 + i, `Reason ${i}`))
    const coordinator = await staff.signIn(t.app, 'coordinator')
    const mark =
      (
        await t.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id ?? 0
    const first = await coordinator.get('/desk/intentions')
    const rows = tableRows(first.body)
    assert.equal(rows.length, 25)
    assert.match(textOf(first.body), /26 items, page 1 of 2/)
    assert.match(rows[0]![0]!, /Reason 25/, 'the most overdue first')
    assert.match(rows[0]![2]!, /26 days overdue/)
    assert.match(rows[24]![0]!, /Reason 1\b/)
    assert.ok(first.body.includes('href="/desk/intentions?for=council&amp;page=2"'), 'a link to the next page')
    const second = await coordinator.get('/desk/intentions?for=council&page=2')
    assert.equal(tableRows(second.body).length, 1)
    assert.match(tableRows(second.body)[0]![0]!, /Reason 0/)
    const beyond = await coordinator.get('/desk/intentions?for=council&page=9')
    assert.equal(beyond.statusCode, 303, 'past the last page goes to the last page')
    assert.equal(beyond.headers.location, '/desk/intentions?for=council&page=2')

    const audited = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('id', '>', Number(mark))
      .where('action', '=', 'desk.listed')
      .orderBy('id')
      .execute()
    assert.equal(audited.length, 2)
    assert.equal(audited[0]!.detail.queue, 'intentions')
    assert.deepEqual(
      [...(audited[0]!.detail.shown as number[])].sort((a, b) => a - b),
      made
        .slice(1)
        .map((m) => m.id)
        .sort((a, b) => a - b),
    )
    assert.deepEqual(audited[1]!.detail.shown, [made[0]!.id])
  })

  test('an unknown queue is a page that does not exist', async () => {
    const staff = await buildStaff(t.db)
    const coordinator = await staff.signIn(t.app, 'coordinator')
    assert.equal((await coordinator.get('/desk/everything')).statusCode, 404)
  })
})

describe('whose work each person sees', () => {
  test('a manager sees only their agency’s families', async () => {
    const staff = await buildStaff(t.db)
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    await buildEpisode(t.db, actorOf({ id: gp.id, la_id: staff.la.id }, staff.agencies.gp.id), { consentedAgencies: [staff.agencies.gp.id] })
    const { client: schoolManager } = await buildColleague(t.db, t.app, staff, 'school', { roles: ['manager'] })
    const page = await schoolManager.get('/desk')
    assert.match(textOf(page.body), /Work queues/)
    assert.equal((await counts(schoolManager))['No lead professional'], 1)
    const list = await schoolManager.get('/desk/no-lead')
    assert.equal(tableRows(list.body).length, 1)
    assert.doesNotMatch(textOf(list.body), new RegExp(gp.name))
    assert.equal((await schoolManager.get('/desk/no-lead?for=council')).statusCode, 400, 'not the whole council')
  })

  test('a manager of a locality also sees the families of that locality', async () => {
    const staff = await buildStaff(t.db)
    const north = await buildLocality(t.db, staff)
    await buildEpisode(t.db, north.actor, { consentedAgencies: [north.agency.id] })
    const { id, client: hubManager } = await buildColleague(t.db, t.app, staff, 'hub', { roles: ['manager'] })
    assert.equal((await counts(hubManager))['No lead professional'], 0, 'not their agency, not yet their locality')
    await t.db.updateTable('users').set({ manages_locality_id: north.locality.id }).where('id', '=', id).execute()
    assert.equal((await counts(hubManager))['No lead professional'], 1, 'from their next page')
  })

  test('a practitioner sees their own, and never a family they cannot open, not even as a count', async () => {
    const staff = await buildStaff(t.db)
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    const gpActor = actorOf({ id: gp.id, la_id: staff.la.id }, staff.agencies.gp.id)
    const { id } = await buildEpisode(t.db, gpActor, { consentedAgencies: [staff.agencies.gp.id, staff.agencies.school.id] })
    await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id] })
    assert.equal((await counts(gp.client))['No lead professional'], 1, 'the one they started')
    assert.equal((await counts(await staff.signIn(t.app, 'practitioner')))['No lead professional'], 1, 'only their own, not the GP’s')

    // The family takes the GP practice off the consent: the GP who started it may no longer open it.
    assert.ok(await withdrawAgency(t.db, staff.actor('coordinator'), id, staff.agencies.gp.id, 'The family asked for the practice to be taken off'))
    assert.equal((await gp.client.get(`/episodes/${id}`)).statusCode, 404)
    assert.equal((await counts(gp.client))['No lead professional'], 0)
    assert.doesNotMatch((await gp.client.get('/desk/no-lead')).body, new RegExp(`/episodes/${id}\\b`))
  })
})
