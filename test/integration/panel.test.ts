import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { after, before, describe, test } from 'node:test'
import { askForPanel, CASES_CLOSED, decideCase } from '../../src/features/panel/cases.ts'
import { gapsReport, recordGap } from '../../src/features/panel/gaps.ts'
import { arrangePanelMeeting, PanelRefused, placeOnAgenda, publishAgenda, recordPanelAttendance } from '../../src/features/panel/meetings.ts'
import { panelCasesOf } from '../../src/features/panel/queries.ts'
import { planOf, startPlan } from '../../src/features/plans/use-cases.ts'
import { episodeAccess } from '../../src/policies/episode.ts'
import { personAccess } from '../../src/policies/person.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { actorOf, buildEpisode, buildUser } from '../helpers/factories.ts'
import { ASK, buildPanel, onAgenda } from '../helpers/panel.ts'
import { buildService } from '../helpers/services.ts'
import { buildLocality, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * The multi-agency panel: invitations; asking from the episode; members' reading of the cases on a
 * published agenda, opening with publication and closing at the end of the meeting day; decisions
 * landing in the plan; and the gaps list by need and locality.
 */

let t: TestApp
let staff: Staff
before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
})
after(() => t?.close())

const hub = () => staff.actor('coordinator')
const me = () => staff.actor('practitioner')
const member = () => staff.actor('panel')

async function panelist() {
  const user = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.police.id, roles: ['panel_member'] })
  return actorOf(user, staff.agencies.police.id, ['panel_member'])
}
const mailTo = (email: string) =>
  t.db.selectFrom('mail_outbox').select(['subject', 'body_text', 'attachments']).where('to_address', '=', email).orderBy('id').execute()
const led = () => buildEpisode(t.db, me(), { consentedAgencies: [staff.agencies.school.id, staff.agencies.voluntary.id], lead: true })

describe('a panel meeting', () => {
  test('invites its chair and members by email with a calendar invitation that names no child', async () => {
    const { child } = await led()
    await buildPanel(t.db, hub(), [member().userId])
    const mail = (await mailTo(staff.users.panel.email)).at(-1)!
    assert.match(mail.subject, /^Multi-agency panel, /)
    const [ics] = mail.attachments as { filename: string; content: string }[]
    assert.equal(ics!.filename, 'invite.ics')
    const calendar = Buffer.from(ics!.content, 'base64').toString('utf8')
    assert.match(calendar, /SUMMARY:Multi-agency panel/)
    assert.ok(!calendar.includes(child.name.split(' ')[0]!) && !mail.body_text.includes(child.name.split(' ')[0]!))
    assert.equal((await mailTo(staff.users.coordinator.email)).filter((m) => m.subject.startsWith('Multi-agency panel')).length > 0, true, 'the chair too')
  })

  test('refuses a chair or member who may not sit on a panel', async () => {
    await assert.rejects(buildPanel(t.db, hub(), [me().userId]), (e) => e instanceof PanelRefused && 'members' in e.errors)
  })
})

describe('asking for panel', () => {
  test('is for the lead professional (or the hub); one request waits at a time', async () => {
    const { id } = await led()
    const colleague = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.school.id })
    await assert.rejects(askForPanel(t.db, actorOf(colleague, staff.agencies.school.id), id, ASK), Forbidden, 'a colleague who may read it, not lead it')
    const stranger = await buildUser(t.db, { laId: staff.la.id, agencyId: staff.agencies.police.id })
    await assert.rejects(askForPanel(t.db, actorOf(stranger, staff.agencies.police.id), id, ASK), NotFound, 'someone with no part in it')
    await askForPanel(t.db, me(), id, ASK)
    await assert.rejects(askForPanel(t.db, hub(), id, ASK), (e) => e instanceof PanelRefused && /already waiting/.test(e.errors.form!))
    assert.equal((await panelCasesOf(t.db, id))[0]!.statusText, 'Waiting for a panel')
  })
})

describe('members reading the cases on the agenda', () => {
  test('opens when the agenda is published and closes at the end of the meeting day; only for members, only for cases on it', async () => {
    const { id, child } = await led()
    const other = await led()
    const outsider = await panelist()
    const meeting = await buildPanel(t.db, hub(), [member().userId])
    await onAgenda(t.db, me(), hub(), id, meeting)
    const basis = async (actor = member(), episode = id) => (await episodeAccess(t.db, actor, episode))?.basis ?? null
    assert.equal(await basis(), null, 'not before the agenda is published')
    await assert.rejects(publishAgenda(t.db, member(), meeting, ''), Forbidden, 'the chair publishes, not a member')
    await publishAgenda(t.db, hub(), meeting, '')
    assert.match((await mailTo(staff.users.panel.email)).at(-1)!.subject, /^The agenda for the multi-agency panel/)
    assert.equal(await basis(), 'panel', 'open once published')
    assert.equal((await episodeAccess(t.db, member(), id))!.canChange, false, 'reading only')
    assert.equal(await basis(outsider), null, 'not for someone who does not sit on it')
    assert.equal(await basis(member(), other.id), null, 'not for a case that is not on the agenda')
    assert.equal((await personAccess(t.db, member(), child.id))?.view ?? null, null, 'the child’s register record stays closed')

    // The meeting was yesterday: its day has ended.
    await sql`update panel_meetings set starts_at = starts_at - interval '2 days' where id = ${meeting}`.execute(t.db)
    assert.equal(await basis(), null, 'closed after the meeting day')
    // Still the meeting day (it is today): open until midnight.
    await sql`update panel_meetings set starts_at = now() where id = ${meeting}`.execute(t.db)
    assert.equal(await basis(), 'panel', 'open all of the meeting day')
  })
})

describe('the panel’s decision', () => {
  test('lands in the plan with owners and dates, keeps the resources, and tells the lead; once only, by the chair', async () => {
    const { id } = await led()
    await startPlan(t.db, me(), id)
    const [outcome] = await planOf(t.db, staff.la.id, id)
    const meeting = await buildPanel(t.db, hub(), [member().userId])
    const request = await onAgenda(t.db, me(), hub(), id, meeting)
    await publishAgenda(t.db, hub(), meeting, '')
    const service = await buildService(t.db, hub(), staff.agencies.voluntary.id, { name: 'Panel Nurture Group' })
    const decision = {
      advice: 'A nurture group place and weekly mentoring; review at the next panel.',
      reviewOn: addDays(today(), 42),
      resources: [
        { serviceId: service, agencyId: staff.agencies.voluntary.id, amount: 1, unit: 'places' as const },
        { serviceId: null, agencyId: staff.agencies.housing.id, amount: 250.5, unit: 'money' as const },
      ],
      actions: [
        {
          description: 'Start at the nurture group',
          outcomeId: outcome!.id,
          owner: { kind: 'agency' as const, id: staff.agencies.voluntary.id },
          dueOn: addDays(today(), 14),
        },
      ],
    }
    await assert.rejects(decideCase(t.db, member(), meeting, request, decision, ''), Forbidden, 'a member does not record it')
    await decideCase(t.db, hub(), meeting, request, decision, 'https://caf.example')

    const actions = await t.db
      .selectFrom('plan_actions')
      .select(['description', 'owner_agency_id', 'due_on', 'panel_request_id'])
      .where('episode_id', '=', id)
      .execute()
    assert.deepEqual(actions, [
      { description: 'Start at the nurture group', owner_agency_id: staff.agencies.voluntary.id, due_on: addDays(today(), 14), panel_request_id: request },
    ])
    assert.equal(
      (await t.db.selectFrom('episodes').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status,
      'plan-active',
      'the plan is active',
    )
    const [seen] = await panelCasesOf(t.db, id)
    assert.equal(seen!.statusText, 'Decided')
    assert.equal(seen!.advice, decision.advice)
    assert.deepEqual(
      seen!.resources.map((r) => r.text),
      [`1 places of Panel Nurture Group (${staff.agencies.voluntary.name})`, `£250.50 from ${staff.agencies.housing.name}`],
    )
    const told = (await mailTo(staff.users.practitioner.email)).at(-1)!
    assert.equal(told.subject, 'The multi-agency panel’s decision')
    assert.match(told.body_text, new RegExp(`/episodes/${id}/panel`))
    await assert.rejects(decideCase(t.db, hub(), meeting, request, decision, ''), PanelRefused, 'decided once')
  })

  test('refuses an owner who is not in the team or the consent, and saves nothing', async () => {
    const { id } = await led()
    await startPlan(t.db, me(), id)
    const [outcome] = await planOf(t.db, staff.la.id, id)
    const meeting = await buildPanel(t.db, hub(), [])
    const request = await onAgenda(t.db, me(), hub(), id, meeting)
    const bad = {
      advice: 'Police support',
      reviewOn: addDays(today(), 30),
      resources: [],
      actions: [{ description: 'Visit', outcomeId: outcome!.id, owner: { kind: 'agency' as const, id: staff.agencies.police.id }, dueOn: today() }],
    }
    await assert.rejects(decideCase(t.db, hub(), meeting, request, bad, ''), (e) => e instanceof PanelRefused && 'action-1-owner' in e.errors)
    assert.equal((await panelCasesOf(t.db, id))[0]!.decidedAt, null)
    assert.equal((await t.db.selectFrom('plan_actions').select('id').where('episode_id', '=', id).execute()).length, 0)
  })
})

describe('the agenda and the chair, by the day', () => {
  test('a case goes only on an agenda not yet published, of a meeting still to come', async () => {
    const { id } = await led()
    const other = await led()
    const meeting = await buildPanel(t.db, hub(), [member().userId])
    await onAgenda(t.db, me(), hub(), id, meeting)
    await publishAgenda(t.db, hub(), meeting, '')
    const late = await askForPanel(t.db, me(), other.id, ASK)
    await assert.rejects(placeOnAgenda(t.db, hub(), meeting, late), (e) => e instanceof PanelRefused && /published/.test(e.errors.requestId!))
    const past = await buildPanel(t.db, hub(), [], new Date(Date.now() - 3 * 86_400_000))
    await assert.rejects(placeOnAgenda(t.db, hub(), past, late), (e) => e instanceof PanelRefused && /has happened/.test(e.errors.requestId!))
  })

  test('a chair who is not the hub decides while the cases are open; after the meeting day it is refused with a reason, and an unknown case is not found', async () => {
    const { id } = await led()
    const chair = await panelist()
    const meeting = await arrangePanelMeeting(
      t.db,
      hub(),
      { startsAt: new Date(Date.now() + 3_600_000), durationMinutes: 60, place: 'Room 1', chairId: chair.userId, memberIds: [] },
      '',
    )
    const request = await onAgenda(t.db, me(), chair, id, meeting)
    const decision = { advice: 'Advice', reviewOn: addDays(today(), 20), resources: [], actions: [] }
    await assert.rejects(
      decideCase(t.db, chair, meeting, request, decision, ''),
      (e) => e instanceof PanelRefused && e.errors.advice === CASES_CLOSED,
      'not before publication',
    )
    await assert.rejects(decideCase(t.db, chair, meeting, request + 1000, decision, ''), NotFound)
    await publishAgenda(t.db, chair, meeting, '')
    await sql`update panel_meetings set starts_at = starts_at - interval '3 days' where id = ${meeting}`.execute(t.db)
    await assert.rejects(
      decideCase(t.db, chair, meeting, request, decision, ''),
      (e) => e instanceof PanelRefused && e.errors.advice === CASES_CLOSED,
      'not after the day',
    )
    await decideCase(t.db, hub(), meeting, request, decision, '')
    assert.equal((await panelCasesOf(t.db, id))[0]!.advice, 'Advice', 'the hub records it')
  })
})

describe('attendance and gaps', () => {
  test('attendance is recorded for members only; gaps are counted by need and locality', async () => {
    const meeting = await buildPanel(t.db, hub(), [member().userId])
    await recordPanelAttendance(t.db, hub(), meeting, { [member().userId]: 'apologies' })
    const row = await t.db
      .selectFrom('panel_members')
      .select('attendance')
      .where('meeting_id', '=', meeting)
      .where('user_id', '=', member().userId)
      .executeTakeFirstOrThrow()
    assert.equal(row.attendance, 'apologies')
    await assert.rejects(recordPanelAttendance(t.db, hub(), meeting, { [me().userId]: 'attended' }), PanelRefused)

    const north = await buildLocality(t.db, staff)
    await recordGap(t.db, hub(), meeting, { need: 'housing-money', localityId: north.locality.id, note: 'No debt advice with evening hours' })
    await recordGap(t.db, hub(), meeting, { need: 'housing-money', localityId: north.locality.id, note: 'No help with rent arrears' })
    await recordGap(t.db, hub(), meeting, { need: 'housing-money', localityId: null, note: 'No emergency housing for young people' })
    await assert.rejects(recordGap(t.db, hub(), meeting, { need: 'flying', localityId: null, note: 'x' }), PanelRefused)
    await assert.rejects(recordGap(t.db, member(), meeting, { need: 'housing-money', localityId: null, note: 'x' }), Forbidden)
    const gaps = (await gapsReport(t.db, staff.la.id)).filter((g) => g.need === 'housing-money')
    assert.deepEqual(
      gaps.map((g) => [g.locality, g.times, g.notes]),
      [
        [north.locality.name, 2, ['No help with rent arrears', 'No debt advice with evening hours']],
        ['Across the council', 1, ['No emergency housing for young people']],
      ],
    )
  })
})
