import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { preAssessed } from '../../src/features/demo/builders.ts'
import { addConsentedAgency, recordConsent as giveConsent, withdrawAgency, withdrawConsent } from '../../src/features/episodes/consent.ts'
import { acceptLead, proposeLead } from '../../src/features/episodes/lead.ts'
import { beginPreAssessment } from '../../src/features/episodes/pre-assessment.ts'
import { startEpisode } from '../../src/features/episodes/start.ts'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import type { Actor } from '../../src/web/actor.ts'
import { today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { addToTeam, recordConsent, todayParts } from '../helpers/episodes.ts'
import { actorOf, buildEpisode, buildPerson, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, tableRows } from '../helpers/html.ts'
import { auditSince, lastAuditId, peopleQuery, searchResults } from '../helpers/people.ts'
import { buildFamily } from '../helpers/staff.ts'

/**
 * Need to know for a CAF episode: who may read it, who may change it, and how that follows the
 * family's consent, the Team Around the Family and the lead professional. Every view and refusal is audited.
 *
 * Each part builds the episodes it needs (smithsCaf and the like), so that none depends on another.
 */

let t: TestApp
let ids: {
  school: number
  gp: number
  police: number
  voluntary: number
  practitioner: number
  coordinator: number
}
/** The council's practitioner (of the school): starts the CAFs and leads the Smiths'. */
let practitioner: Client
let coordinator: Client

interface Extra {
  id: number
  email: string
  password: string
  name: string
  agency: string
  client: Client
  actor: Actor
}
/** Practitioners of other agencies, made for this file and signed in through /sign-in. */
let gpReader: Extra // the GP practice (named in the consent), never in the team
let gpMember: Extra // the GP practice, added to the Team Around the Family
let police: Extra // a police practitioner: the agency is not named in the consent
let voluntary: Extra // the charity: not named at first, joins the team later

const NO_EPISODE_ACCESS = 'You cannot open this CAF episode'
const NO_RECORD_ACCESS = 'You cannot open this record'
/** The need the Smiths' assessment records (see smithsCaf). */
const NEED = 'Late for school most days'

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' })
const longDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' })
const todayIso = () => new Date().toISOString().slice(0, 10)

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The practitioner as the pages name them: name, agency and email. */
function practitionerContact(): string {
  const { users, agencies } = t.staff
  return `${users.practitioner.fullName} ${agencies.school.name} ${users.practitioner.email}`
}

/** The refusal page's way to reach the practitioner as lead professional (which it must not show). */
function practitionerAsLead(): RegExp {
  const { users, agencies } = t.staff
  return new RegExp(escapeRegExp(`contact the lead professional: ${users.practitioner.fullName}, ${agencies.school.name}, ${users.practitioner.email}`))
}

async function practitionerOf(agency: { id: number; name: string }, name: string): Promise<Extra> {
  const user = await buildUser(t.db, { laId: t.staff.la.id, agencyId: agency.id, roles: ['practitioner'], name })
  const client = new Client(t.app)
  await client.signIn(user.email, user.password)
  const actor = { ...actorOf(user, agency.id), fullName: name, email: user.email }
  return { id: user.id, email: user.email, password: user.password, name, agency: agency.name, client, actor }
}

/** A new session of one of the practitioners made for this file. */
async function signedInAgain(who: Extra): Promise<Client> {
  const client = new Client(t.app)
  await client.signIn(who.email, who.password)
  return client
}

interface SmithsCaf {
  episode: number
  john: number
  amelia: number
  sarah: number
}

/**
 * The Smiths' family CAF, for a household of its own (Sarah and her children John and Amelia, at the
 * school, postcode DB1 4QT), built through the use cases: the assessment completed, consent naming the
 * school and the GP practice, led by the practitioner.
 */
async function smithsCaf(): Promise<SmithsCaf> {
  const actor = t.staff.actor('practitioner')
  const smiths = await buildFamily(t.db, actor, {
    familyName: 'Smith',
    mother: 'Sarah',
    children: ['John', 'Amelia'],
    postcode: 'DB1 4QT',
    schoolId: ids.school,
  })
  const { id: episode } = await buildEpisode(t.db, actor, { family: smiths, consentedAgencies: [ids.school, ids.gp], lead: true })
  const [john, amelia] = smiths.children.map((c) => c.id) as [number, number]
  return { episode, john, amelia, sarah: smiths.mother.id }
}

/** Every page of an episode that shows its content. */
function episodePages(id: number): string[] {
  return [
    `/episodes/${id}`,
    `/episodes/${id}/assessment`,
    `/episodes/${id}/assessment/conclusions`,
    `/episodes/${id}/assessment/check`,
    `/episodes/${id}/consent`,
    `/episodes/${id}/team`,
    `/episodes/${id}/family-copy`,
    `/episodes/${id}/family-copy.pdf`,
  ]
}

/** GETs a page and returns the response with the audit events it wrote. */
async function getAudited(client: Client, url: string) {
  const before = await lastAuditId(t.db)
  const res = await client.get(url)
  return { res, events: await auditSince(t.db, before) }
}

/** Asserts a refusal of the episode: 404 (as for an id that is no episode), the "cannot open" page with the way to break the glass, audited, naming no one. */
async function assertRefused(client: Client, who: number, url: string, episode: number, lead: RegExp | null = practitionerAsLead()) {
  const { res, events } = await getAudited(client, url)
  assert.equal(res.statusCode, 404, `${url}: ${res.statusCode}`)
  const text = textOf(res.body)
  assert.match(text, new RegExp(NO_EPISODE_ACCESS), url)
  if (lead) assert.doesNotMatch(text, lead, `${url}: the refusal names no one, not even the lead professional`)
  assert.match(res.body, new RegExp(`<form method="post" action="/episodes/${episode}/break-glass"`), url)
  assert.ok(!text.includes(NEED), `${url}: the refusal shows the assessment`)
  const refused = events.filter((e) => e.action === 'episode.access-refused')
  assert.equal(refused.length, 1, `${url}: one refusal audited`)
  assert.equal(refused[0]!.record_type, 'episode')
  assert.equal(refused[0]!.record_id, String(episode))
  assert.equal(refused[0]!.actor_user_id, who)
  assert.deepEqual(
    events.filter((e) => e.action === 'episode.viewed' || e.action === 'episode.family-copy-downloaded'),
    [],
    `${url}: a refused view is not a view`,
  )
}

/** Asserts a page of the episode opens (200), and the view is audited against the episode and the user. */
async function assertOpens(client: Client, who: number, url: string, episode: number) {
  const { res, events } = await getAudited(client, url)
  assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`)
  const pdf = url.endsWith('.pdf')
  if (pdf) assert.equal(res.headers['content-type'], 'application/pdf')
  else assert.match(textOf(res.body), new RegExp(`CAF episode ${episode}: family CAF`), url)
  const action = pdf ? 'episode.family-copy-downloaded' : 'episode.viewed'
  const views = events.filter((e) => e.action === action)
  assert.equal(views.length, 1, `${url}: one ${action} audited`)
  assert.equal(views[0]!.record_type, 'episode', url)
  assert.equal(views[0]!.record_id, String(episode), url)
  assert.equal(views[0]!.actor_user_id, who, url)
  assert.deepEqual(
    events.filter((e) => e.action === 'episode.access-refused'),
    [],
    url,
  )
  return res
}

before(async () => {
  t = await testApp()
  const { staff } = t
  practitioner = await staff.signIn(t.app, 'practitioner')
  coordinator = await staff.signIn(t.app, 'coordinator')
  ids = {
    school: staff.agencies.school.id,
    gp: staff.agencies.gp.id,
    police: staff.agencies.police.id,
    voluntary: staff.agencies.voluntary.id,
    practitioner: staff.users.practitioner.id,
    coordinator: staff.users.coordinator.id,
  }
  gpReader = await practitionerOf(staff.agencies.gp, 'Grace Okafor')
  gpMember = await practitionerOf(staff.agencies.gp, 'Tom Hughes')
  police = await practitionerOf(staff.agencies.police, 'Peter Lane')
  voluntary = await practitionerOf(staff.agencies.voluntary, 'Vera Nowak')
})
after(() => t?.close())

describe('who may open an episode: the access matrix', () => {
  let smiths: number

  before(async () => {
    smiths = (await smithsCaf()).episode
    await addToTeam(practitioner, smiths, gpMember.id) // the GP practitioner joins the Team Around the Family
  })

  test('the episode is as the matrix expects: completed, the practitioner started and leads it, Tom Hughes in the team', async () => {
    const episode = await t.db.selectFrom('episodes').select(['status', 'initiator_user_id']).where('id', '=', smiths).executeTakeFirstOrThrow()
    assert.deepEqual(episode, { status: 'assessment-complete', initiator_user_id: ids.practitioner })
    const lead = await t.db.selectFrom('lead_professionals').select(['user_id', 'accepted_at', 'ended_at']).where('episode_id', '=', smiths).execute()
    assert.equal(lead.length, 1)
    assert.equal(lead[0]!.user_id, ids.practitioner)
    assert.ok(lead[0]!.accepted_at)
    const team = await t.db.selectFrom('team_members').select('user_id').where('episode_id', '=', smiths).where('left_at', 'is', null).orderBy('id').execute()
    assert.deepEqual(
      team.map((m) => m.user_id),
      [ids.practitioner, gpMember.id],
    )
  })

  const allowed: [string, () => { client: Client; id: number }][] = [
    ['the initiator and lead professional (the school)', () => ({ client: practitioner, id: ids.practitioner })],
    ['a member of the Team Around the Family (GP practice)', () => ({ client: gpMember.client, id: gpMember.id })],
    ['a user of an agency named in the consent, not in the team (GP practice)', () => ({ client: gpReader.client, id: gpReader.id })],
    ['the CAF coordinator (the hub)', () => ({ client: coordinator, id: ids.coordinator })],
  ]
  for (const [who, user] of allowed) {
    test(`${who} opens every page of the episode (200), each view audited`, async () => {
      const { client, id } = user()
      for (const url of episodePages(smiths)) {
        const res = await assertOpens(client, id, url, smiths)
        if (url.endsWith('/family-copy')) assert.match(textOf(res.body), new RegExp(NEED))
        if (url === `/episodes/${smiths}`) assert.doesNotMatch(textOf(res.body), /breaking the glass/)
      }
    })
  }

  test('a practitioner of an agency not named in the consent (police) is refused every page (404), naming no one', async () => {
    for (const url of episodePages(smiths)) await assertRefused(police.client, police.id, url, smiths)
  })

  test('the panel member (Housing, not named in the consent) is refused too', async () => {
    const panel = await t.staff.signIn(t.app, 'panel')
    const panelId = t.staff.users.panel.id
    for (const url of [`/episodes/${smiths}`, `/episodes/${smiths}/assessment/check`]) await assertRefused(panel, panelId, url, smiths)
  })

  test('the administrator has no permission to open episodes (403), and is not offered the glass to break', async () => {
    const admin = await t.staff.signIn(t.app, 'admin')
    const adminId = t.staff.users.admin.id
    for (const url of episodePages(smiths)) {
      const { res, events } = await getAudited(admin, url)
      assert.equal(res.statusCode, 403, url)
      const text = textOf(res.body)
      assert.match(text, /You do not have permission to see this page/, url)
      assert.doesNotMatch(text, new RegExp(NO_EPISODE_ACCESS), url)
      assert.doesNotMatch(res.body, /break-glass/, url)
      assert.ok(!text.includes(NEED), url)
      assert.deepEqual(
        events.map((e) => [e.action, e.actor_user_id]),
        [['access.denied', adminId]],
        url,
      )
    }
  })
})

describe('breaking the glass on an episode', () => {
  const reason = 'Domestic incident reported overnight at the family address: need to know who is working with them'
  let family: SmithsCaf
  let smiths: number

  before(async () => {
    family = await smithsCaf()
    smiths = family.episode
  })

  /** A new session of the police practitioner, who has broken the glass on the Smiths' episode in it. */
  async function glassBroken(): Promise<Client> {
    const client = await signedInAgain(police)
    await client.get(`/episodes/${smiths}`)
    assert.equal((await client.post(`/episodes/${smiths}/break-glass`, { reason })).statusCode, 303, 'the glass is broken')
    return client
  }

  test('an empty reason is refused (400) with the error summary, and nothing is granted', async () => {
    await police.client.get(`/episodes/${smiths}`)
    const res = await police.client.post(`/episodes/${smiths}/break-glass`, { reason: '  ' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#reason'])
    assert.match(errorSummaryText(res.body), /Enter why you need to see this CAF episode/)
    assert.match(textOf(res.body), new RegExp(NO_EPISODE_ACCESS))
    assert.equal((await t.db.selectFrom('break_glass').select('id').where('episode_id', '=', smiths).execute()).length, 0)
    assert.equal((await police.client.get(`/episodes/${smiths}`)).statusCode, 404)
  })

  test('with a reason the episode opens for reading, with a warning; the access is recorded and audited', async () => {
    await police.client.get(`/episodes/${smiths}`)
    const before = await lastAuditId(t.db)
    const res = await police.client.post(`/episodes/${smiths}/break-glass`, { reason })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${smiths}`)
    const rows = await t.db.selectFrom('break_glass').selectAll().where('episode_id', '=', smiths).execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.user_id, police.id)
    assert.equal(rows[0]!.reason, reason)
    assert.equal(rows[0]!.person_id, null)
    assert.equal(rows[0]!.reviewed_at, null)
    const glass = (await auditSince(t.db, before)).filter((e) => e.action === 'episode.break-glass')
    assert.equal(glass.length, 1)
    assert.equal(glass[0]!.record_type, 'episode')
    assert.equal(glass[0]!.record_id, String(smiths))
    assert.equal(glass[0]!.actor_user_id, police.id)
    assert.equal(glass[0]!.session_id, rows[0]!.session_id)
    assert.ok(!JSON.stringify(glass[0]!.detail).includes('Domestic'), 'the reason stays out of the audit detail')

    const page = await assertOpens(police.client, police.id, `/episodes/${smiths}`, smiths)
    assert.match(textOf(page.body), /You opened this CAF episode by breaking the glass\. You can read it but not change it/)
    assert.doesNotMatch(page.body, new RegExp(`href="/episodes/${smiths}/lead"`), 'no "Change" of the lead professional')
    for (const url of episodePages(smiths).slice(1)) await assertOpens(police.client, police.id, url, smiths)
  })

  test('reading only: saving a section, adding an agency or a team member is refused (403) and nothing changes', async () => {
    const glass = await glassBroken()
    const section = await glass.get(`/episodes/${smiths}/assessment/conclusions`)
    assert.equal(section.statusCode, 200)
    const sections = () =>
      t.db.selectFrom('assessment_sections').selectAll().where('episode_id', '=', smiths).orderBy('section').orderBy('subject_id').execute()
    const amendments = () => t.db.selectFrom('assessment_amendments').select('id').where('episode_id', '=', smiths).execute()
    const saved = await sections()
    const version = /name="version" value="(\d+)"/.exec(section.body)?.[1] ?? String(saved.find((s) => s.section === 'conclusions')?.version ?? 1)
    const res = await glass.post(`/episodes/${smiths}/assessment/conclusions`, {
      version,
      strengths: 'Changed by someone who broke the glass',
      'needs-1-need': NEED,
      'needs-1-term': 'short',
      'needs-1-outcome': 'On time every day by half term',
      amendReason: 'Trying to change it',
    })
    assert.equal(res.statusCode, 403)
    assert.deepEqual(await sections(), saved)
    assert.deepEqual(await amendments(), [])

    const consentBefore = await t.db.selectFrom('consent_agencies').selectAll().where('episode_id', '=', smiths).orderBy('id').execute()
    await glass.get(`/episodes/${smiths}/consent`)
    assert.doesNotMatch(glass.last, new RegExp(`action="/episodes/${smiths}/consent/agencies"`), 'no form to add an agency')
    const add = await glass.post(`/episodes/${smiths}/consent/agencies`, { agency: String(ids.police) })
    assert.equal(add.statusCode, 403)
    assert.deepEqual(await t.db.selectFrom('consent_agencies').selectAll().where('episode_id', '=', smiths).orderBy('id').execute(), consentBefore)

    await glass.get(`/episodes/${smiths}/team`)
    const join = await glass.post(`/episodes/${smiths}/team`, { user: String(police.id) })
    assert.equal(join.statusCode, 403)
    assert.equal((await t.db.selectFrom('team_members').select('id').where('episode_id', '=', smiths).where('user_id', '=', police.id).execute()).length, 0)

    assert.equal((await glass.get(`/episodes/${smiths}/lead`)).statusCode, 403, 'nor the lead professional form')
  })

  test("breaking the glass on the episode does not open the children's person records", async () => {
    const glass = await glassBroken()
    const res = await glass.get(`/people/${family.john}`)
    assert.equal(res.statusCode, 404)
    assert.match(textOf(res.body), new RegExp(NO_RECORD_ACCESS))
  })

  test('the access lasts only for that session: signed in again, the episode is refused again', async () => {
    const glass = await glassBroken()
    const again = await signedInAgain(police)
    assert.equal((await again.get(`/episodes/${smiths}`)).statusCode, 404)
    assert.equal((await glass.get(`/episodes/${smiths}`)).statusCode, 200, 'the first session keeps its access')
  })

  test("the hub's access reviews list the episode, who opened it and why", async () => {
    await glassBroken()
    const glassId = (await t.db.selectFrom('break_glass').select('id').where('episode_id', '=', smiths).orderBy('id', 'desc').executeTakeFirstOrThrow()).id
    const res = await coordinator.get('/break-glass')
    assert.equal(res.statusCode, 200)
    const text = textOf(res.body)
    assert.ok(text.includes(`Peter Lane (${t.staff.agencies.police.name}) opened CAF episode ${smiths}`), text)
    assert.match(text, new RegExp(`Reason given: ${reason}`))
    assert.match(res.body, new RegExp(`href="/episodes/${smiths}"`))
    assert.match(res.body, new RegExp(`action="/break-glass/${glassId}/review"`))
  })
})

describe('the Team Around the Family follows the consent, and opens the family’s records', () => {
  let family: SmithsCaf
  let smiths: number

  before(async () => {
    family = await smithsCaf()
    smiths = family.episode
  })

  test('before: the charity practitioner can open neither the episode nor John’s record', async () => {
    await assertRefused(voluntary.client, voluntary.id, `/episodes/${smiths}`, smiths)
    const before = await lastAuditId(t.db)
    const res = await voluntary.client.get(`/people/${family.john}`)
    assert.equal(res.statusCode, 404)
    assert.match(textOf(res.body), new RegExp(NO_RECORD_ACCESS))
    assert.ok((await auditSince(t.db, before)).some((e) => e.action === 'person.access-refused' && e.actor_user_id === voluntary.id))
  })

  test('adding a practitioner whose agency is not named in the consent is refused (400), naming the agency and the consent; nobody is added', async () => {
    await practitioner.get(`/episodes/${smiths}/team`)
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${smiths}/team`, { user: String(voluntary.id) })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#user'])
    const summary = errorSummaryText(res.body)
    assert.match(summary, new RegExp(`${escapeRegExp(voluntary.agency)} is not named in the family.s consent, so Vera Nowak cannot join the team`))
    assert.match(summary, /add the agency to the consent first/)
    assert.equal((await t.db.selectFrom('team_members').select('id').where('episode_id', '=', smiths).where('user_id', '=', voluntary.id).execute()).length, 0)
    assert.deepEqual(
      (await auditSince(t.db, before)).filter((e) => e.action === 'team.member-added'),
      [],
    )
  })

  test('once the agency is added to the consent, they join the team', async () => {
    await practitioner.get(`/episodes/${smiths}/consent`)
    const added = await practitioner.post(`/episodes/${smiths}/consent/agencies`, { agency: String(ids.voluntary) })
    assert.equal(added.statusCode, 303)
    assert.equal(added.headers.location, `/episodes/${smiths}/consent?done=added`)
    await practitioner.get(`/episodes/${smiths}/team`)
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${smiths}/team`, { user: String(voluntary.id) })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${smiths}/team?done=added`)
    const member = await t.db
      .selectFrom('team_members')
      .select(['agency_id', 'added_by', 'left_at'])
      .where('episode_id', '=', smiths)
      .where('user_id', '=', voluntary.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(member, { agency_id: ids.voluntary, added_by: ids.practitioner, left_at: null })
    const events = (await auditSince(t.db, before)).filter((e) => e.action === 'team.member-added')
    assert.equal(events.length, 1)
    assert.equal(events[0]!.record_id, String(smiths))
    assert.deepEqual(events[0]!.detail, { userId: voluntary.id })
    const team = await practitioner.get(`/episodes/${smiths}/team?done=added`)
    assert.match(textOf(team.body), /Practitioner added to the team/)
    assert.ok(textOf(team.body).includes(`Vera Nowak ${voluntary.agency}`), 'the new member and their agency')
  })

  test('on the team, the charity practitioner opens the episode and the records of its people, and only those', async () => {
    // An episode of its own with the charity named in the consent and its practitioner on the team.
    const actor = t.staff.actor('practitioner')
    const own = await smithsCaf()
    assert.equal(await addConsentedAgency(t.db, actor, own.episode, ids.voluntary), 'added')
    assert.equal(await addTeamMember(t.db, actor, own.episode, voluntary.id), 'added')
    const outsider = await buildPerson(t.db, actor, {
      givenName: 'Minh Anh',
      familyName: 'Nguyễn',
      dateOfBirth: '2016-10-02',
      sex: 'male',
      schoolId: ids.school,
    })

    await assertOpens(voluntary.client, voluntary.id, `/episodes/${own.episode}`, own.episode)
    for (const person of [own.john, own.amelia, own.sarah]) {
      const before = await lastAuditId(t.db)
      const res = await voluntary.client.get(`/people/${person}`)
      assert.equal(res.statusCode, 200, `person ${person}`)
      assert.match(textOf(res.body), /Person record \d+/)
      assert.doesNotMatch(textOf(res.body), /breaking the glass/)
      const viewed = (await auditSince(t.db, before)).filter((e) => e.action === 'person.viewed')
      assert.equal(viewed.length, 1)
      assert.equal(viewed[0]!.record_id, String(person))
      assert.equal(viewed[0]!.actor_user_id, voluntary.id)
    }
    assert.match(textOf((await voluntary.client.get(`/people/${own.john}`)).body), /Postcode DB1 4QT/)
    const other = await voluntary.client.get(`/people/${outsider.id}`)
    assert.equal(other.statusCode, 404, 'a child not in the episode stays closed')
  })
})

describe('handing over to a new lead professional', () => {
  /** What search shows of John's CAF's lead professional. */
  const johnInSearch = async (john: number) => {
    const res = await coordinator.get(peopleQuery({ q: 'John Smith' }))
    assert.equal(res.statusCode, 200)
    const found = searchResults(res.body).find((r) => r.id === john)
    assert.ok(found, 'John is found')
    return found.cells[4]!
  }
  const leadRows = (smiths: number) =>
    t.db
      .selectFrom('lead_professionals')
      .select(['id', 'user_id', 'proposed_by', 'accepted_at', 'declined_at', 'ended_at'])
      .where('episode_id', '=', smiths)
      .orderBy('id')
      .execute()

  // Each test builds the Smiths' CAF at the point of the handover it starts from.

  /** The Smiths' CAF, led by the practitioner, with Tom Hughes (GP practice) and Vera Nowak (the charity, added to the consent) on the team. */
  async function withTeam(): Promise<SmithsCaf> {
    const actor = t.staff.actor('practitioner')
    const caf = await smithsCaf()
    assert.equal(await addConsentedAgency(t.db, actor, caf.episode, ids.voluntary), 'added')
    for (const member of [gpMember, voluntary]) assert.equal(await addTeamMember(t.db, actor, caf.episode, member.id), 'added')
    return caf
  }
  /** ... and Tom Hughes asked to take over as lead professional. */
  async function handoverAsked(): Promise<SmithsCaf> {
    const caf = await withTeam()
    assert.equal(await proposeLead(t.db, t.staff.actor('practitioner'), caf.episode, gpMember.id, today()), 'proposed')
    return caf
  }
  /** ... and Tom Hughes has accepted: he leads. */
  async function handedOver(): Promise<SmithsCaf> {
    const caf = await handoverAsked()
    await acceptLead(t.db, gpMember.actor, caf.episode)
    return caf
  }

  test('proposing someone not in the team is refused (400), and nothing changes', async () => {
    const { episode: smiths } = await withTeam()
    const before = await leadRows(smiths)
    await practitioner.get(`/episodes/${smiths}/lead`)
    const res = await practitioner.post(`/episodes/${smiths}/lead`, { user: String(gpReader.id), ...todayParts('agreed') })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#user'])
    assert.match(errorSummaryText(res.body), /Select someone in the Team Around the Family/)
    assert.deepEqual(await leadRows(smiths), before)
  })

  test('the lead proposes a team member: until they accept, the old lead stays, on the page and in search', async () => {
    const { episode: smiths, john } = await withTeam()
    await practitioner.get(`/episodes/${smiths}/lead`)
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${smiths}/lead`, { user: String(gpMember.id), ...todayParts('agreed') })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${smiths}?done=lead`)
    const proposed = (await auditSince(t.db, before)).filter((e) => e.action === 'lead.proposed')
    assert.equal(proposed.length, 1)
    assert.deepEqual(proposed[0]!.detail, { userId: gpMember.id, handover: true })

    const rows = await leadRows(smiths)
    assert.equal(rows.length, 2)
    assert.equal(rows[0]!.user_id, ids.practitioner)
    assert.equal(rows[0]!.ended_at, null, 'the old lead stays responsible')
    assert.equal(rows[1]!.user_id, gpMember.id)
    assert.equal(rows[1]!.accepted_at, null)

    const page = textOf((await practitioner.get(`/episodes/${smiths}?done=lead`)).body)
    assert.ok(page.includes(`Lead professional ${practitionerContact()}`), 'the old lead is shown')
    assert.match(page, /Handover waiting: Tom Hughes has been asked and has not yet accepted/)
    assert.ok((await johnInSearch(john)).startsWith(practitionerContact()), 'search shows the old lead')
    assert.doesNotMatch(await johnInSearch(john), /Tom Hughes/)
  })

  test('the proposed lead is asked to accept or decline; the old lead is not', async () => {
    const { episode: smiths } = await handoverAsked()
    const theirs = await assertOpens(gpMember.client, gpMember.id, `/episodes/${smiths}`, smiths)
    assert.match(
      textOf(theirs.body),
      new RegExp(
        `You have been asked to be the lead professional for this family.*${escapeRegExp(t.staff.users.practitioner.fullName)} stays responsible until you accept`,
      ),
    )
    assert.match(theirs.body, new RegExp(`action="/episodes/${smiths}/lead/accept"`))
    assert.match(theirs.body, new RegExp(`action="/episodes/${smiths}/lead/decline"`))
    const mine = await practitioner.get(`/episodes/${smiths}`)
    assert.doesNotMatch(mine.body, /lead\/accept/)
  })

  test('someone who was not proposed cannot accept (403): not the old lead, not another GP user, not the hub', async () => {
    const { episode: smiths } = await handoverAsked()
    const before = await leadRows(smiths)
    for (const client of [practitioner, gpReader.client, coordinator, voluntary.client]) {
      await client.get(`/episodes/${smiths}`)
      const res = await client.post(`/episodes/${smiths}/lead/accept`, {})
      assert.equal(res.statusCode, 403)
    }
    assert.deepEqual(await leadRows(smiths), before)
  })

  test('the proposed lead accepts: they lead, the old lead hands over, both are kept', async () => {
    const { episode: smiths, john } = await handoverAsked()
    await gpMember.client.get(`/episodes/${smiths}`)
    const before = await lastAuditId(t.db)
    const res = await gpMember.client.post(`/episodes/${smiths}/lead/accept`, {})
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${smiths}?done=accepted`)
    const accepted = (await auditSince(t.db, before)).filter((e) => e.action === 'lead.accepted')
    assert.equal(accepted.length, 1)
    assert.equal(accepted[0]!.actor_user_id, gpMember.id)

    const rows = await leadRows(smiths)
    assert.equal(rows.length, 2)
    assert.equal(rows[0]!.user_id, ids.practitioner)
    assert.ok(rows[0]!.ended_at, 'the old lead’s time has ended')
    assert.equal(rows[1]!.user_id, gpMember.id)
    assert.ok(rows[1]!.accepted_at)
    assert.equal(rows[1]!.ended_at, null)

    const page = textOf((await gpMember.client.get(`/episodes/${smiths}?done=accepted`)).body)
    assert.match(page, /You are now the lead professional/)
    assert.ok(page.includes(`Lead professional Tom Hughes ${gpMember.agency} ${gpMember.email}`), 'the new lead is shown')
    assert.doesNotMatch(page, /Handover waiting/)
    assert.ok((await johnInSearch(john)).startsWith(`Tom Hughes ${gpMember.agency}`), 'search shows the new lead')

    const history = await gpMember.client.get(`/episodes/${smiths}/lead`)
    assert.equal(history.statusCode, 200)
    const text = textOf(history.body)
    assert.match(text, /Hand over to a new lead professional/)
    const [old, now] = await t.db.selectFrom('lead_professionals').selectAll().where('episode_id', '=', smiths).orderBy('id').execute()
    assert.ok(
      text.includes(
        `${t.staff.users.practitioner.fullName} (${t.staff.agencies.school.name}): asked ${dateTime.format(old!.proposed_at)}, accepted ${dateTime.format(old!.accepted_at!)}, handed over ${dateTime.format(old!.ended_at!)}`,
      ),
      'the history shows the old lead, handed over',
    )
    assert.ok(
      text.includes(`Tom Hughes (${gpMember.agency}): asked ${dateTime.format(now!.proposed_at)}, accepted ${dateTime.format(now!.accepted_at!)}`),
      'the history shows the new lead',
    )
  })

  test('the refusal page now names the new lead to contact, and the one who started the CAF still works on it', async () => {
    const { episode: smiths } = await handedOver()
    // A session of its own, in which the glass was never broken.
    const fresh = await signedInAgain(police)
    await assertRefused(
      fresh,
      police.id,
      `/episodes/${smiths}`,
      smiths,
      new RegExp(`contact the lead professional: Tom Hughes, ${escapeRegExp(gpMember.agency)}`),
    )
    await assertOpens(practitioner, ids.practitioner, `/episodes/${smiths}/team`, smiths)
    assert.match(practitioner.last, new RegExp(`action="/episodes/${smiths}/team"`), 'the initiator can still add to the team')
  })

  test('a declined proposal leaves the current lead in place', async () => {
    const { episode: smiths, john } = await handedOver()
    await gpMember.client.get(`/episodes/${smiths}/lead`)
    const proposed = await gpMember.client.post(`/episodes/${smiths}/lead`, { user: String(ids.practitioner), ...todayParts('agreed') })
    assert.equal(proposed.statusCode, 303)
    const page = await practitioner.get(`/episodes/${smiths}`)
    assert.match(page.body, /lead\/decline/)
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${smiths}/lead/decline`, {})
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${smiths}?done=declined`)
    assert.equal((await auditSince(t.db, before)).filter((e) => e.action === 'lead.declined').length, 1)
    const rows = await leadRows(smiths)
    assert.equal(rows.length, 3)
    assert.equal(rows[2]!.user_id, ids.practitioner)
    assert.ok(rows[2]!.declined_at)
    assert.equal(rows[2]!.accepted_at, null)
    assert.equal(rows[1]!.ended_at, null, 'Tom Hughes still leads')
    const after = textOf((await practitioner.get(`/episodes/${smiths}?done=declined`)).body)
    assert.match(after, /You declined to be lead professional/)
    assert.ok(after.includes(`Lead professional Tom Hughes ${gpMember.agency}`), 'Tom Hughes still leads, on the page')
    assert.doesNotMatch(after, /Handover waiting/)
    assert.ok((await johnInSearch(john)).startsWith(`Tom Hughes ${gpMember.agency}`), 'and in search')
    await practitioner.get(`/episodes/${smiths}`)
    assert.equal((await practitioner.post(`/episodes/${smiths}/lead/accept`, {})).statusCode, 403, 'a declined proposal cannot be accepted afterwards')
  })
})

describe('withdrawing consent cuts access', () => {
  const GP_REASON = 'Mum asked us to stop sharing with the surgery'

  /**
   * The Nguyễns' family CAF, for a household of its own (Thi Linh and her children Minh Anh and Mai),
   * built through the use cases: in the assessment, consent naming the school and the GP practice,
   * Tom Hughes on the team.
   */
  async function nguyensCaf(): Promise<{ episode: number; minhAnh: number }> {
    const actor = t.staff.actor('practitioner')
    const family = await buildFamily(t.db, actor, { familyName: 'Nguyễn', mother: 'Thi Linh', children: ['Minh Anh', 'Mai'], schoolId: ids.school })
    const [minhAnh, mai] = family.children.map((c) => c.id) as [number, number]
    const thiLinh = family.mother.id
    const started = await startEpisode(t.db, actor, {
      childId: minhAnh,
      kind: 'family',
      memberIds: [mai, thiLinh],
      start: 'pre-assessment',
      intentionReason: null,
      plannedOn: null,
      relationship: null,
    })
    if (started.type !== 'started') throw new Error('the Nguyễns’ CAF did not start')
    await preAssessed(t.db, actor, started.id)
    await giveConsent(t.db, actor, started.id, {
      decision: 'given',
      givenBy: thiLinh,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
      agencyIds: [ids.school, ids.gp],
    })
    assert.equal(await addTeamMember(t.db, actor, started.id, gpMember.id), 'added')
    return { episode: started.id, minhAnh }
  }
  /** ... and the family has since withdrawn consent for the GP practice. */
  async function gpWithdrawn() {
    const caf = await nguyensCaf()
    assert.ok(await withdrawAgency(t.db, t.staff.actor('practitioner'), caf.episode, ids.gp, GP_REASON))
    return caf
  }
  /** ... and then named it again. */
  async function gpNamedAgain() {
    const caf = await gpWithdrawn()
    assert.equal(await addConsentedAgency(t.db, t.staff.actor('practitioner'), caf.episode, ids.gp), 'added')
    return caf
  }

  const agencyRows = async (client: Client, nguyens: number) => {
    const res = await client.get(`/episodes/${nguyens}/consent`)
    assert.equal(res.statusCode, 200)
    return { res, rows: tableRows(res.body) }
  }

  /** The Nguyễns' CAF as nguyensCaf builds it, and Minh Anh, for the first two tests. */
  let nguyens: number
  let minhAnh: number
  /** Another family's CAF, naming the GP practice too. */
  let smiths: number

  before(async () => {
    const caf = await nguyensCaf()
    nguyens = caf.episode
    minhAnh = caf.minhAnh
    smiths = (await smithsCaf()).episode
  })

  test('while the GP practice is named, its users read the episode: one in the team, one not', async () => {
    for (const who of [gpReader, gpMember]) {
      const res = await getAudited(who.client, `/episodes/${nguyens}`)
      assert.equal(res.res.statusCode, 200, who.name)
      assert.ok(res.events.some((e) => e.action === 'episode.viewed' && e.actor_user_id === who.id && e.record_id === String(nguyens)))
    }
    assert.equal((await gpMember.client.get(`/people/${minhAnh}`)).statusCode, 200, 'the team member opens the child’s record')
  })

  test('the family withdraws consent for the GP practice: its users are refused from their next request, team member or not', async () => {
    const form = await practitioner.get(`/episodes/${nguyens}/consent/agencies/${ids.gp}/withdraw`)
    assert.equal(form.statusCode, 200)
    assert.ok(textOf(form.body).includes(`Withdraw consent for ${t.staff.agencies.gp.name}`), 'the form names the agency')
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${nguyens}/consent/agencies/${ids.gp}/withdraw`, { reason: GP_REASON })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${nguyens}/consent?done=withdrawn`)
    const withdrawn = (await auditSince(t.db, before)).filter((e) => e.action === 'consent.agency-withdrawn')
    assert.equal(withdrawn.length, 1)
    assert.deepEqual(withdrawn[0]!.detail, { agencyId: ids.gp })

    for (const who of [gpReader, gpMember]) {
      await assertRefused(who.client, who.id, `/episodes/${nguyens}`, nguyens, null)
      await assertRefused(who.client, who.id, `/episodes/${nguyens}/assessment`, nguyens, null)
    }
    await assertRefused(gpMember.client, gpMember.id, `/episodes/${nguyens}/team`, nguyens, null)
    const membership = await t.db
      .selectFrom('team_members')
      .select(['left_at', 'left_reason'])
      .where('episode_id', '=', nguyens)
      .where('user_id', '=', gpMember.id)
      .executeTakeFirstOrThrow()
    assert.ok(membership.left_at, 'they leave the team with their agency')
    assert.equal(membership.left_reason, 'Consent withdrawn for their agency')
    const record = await gpMember.client.get(`/people/${minhAnh}`)
    assert.equal(record.statusCode, 404, 'nor does the episode open the child’s record any more')
    assert.match(textOf(record.body), new RegExp(NO_RECORD_ACCESS))
    assert.equal((await gpMember.client.get(`/episodes/${smiths}`)).statusCode, 200, 'the other family’s consent is untouched')
  })

  test('the consent page shows the agency removed: when, by whom and why', async () => {
    const { episode: nguyens } = await gpWithdrawn()
    const { agencies, users } = t.staff
    const { res, rows } = await agencyRows(practitioner, nguyens)
    assert.match(textOf(res.body), /Consent withdrawn for that agency|Agencies information may be shared with/)
    const removed = await t.db
      .selectFrom('consent_agencies')
      .select(['added_at', 'removed_at', 'removed_by', 'removed_reason'])
      .where('episode_id', '=', nguyens)
      .where('agency_id', '=', ids.gp)
      .executeTakeFirstOrThrow()
    assert.equal(removed.removed_by, ids.practitioner)
    assert.ok(removed.removed_at)
    assert.deepEqual(
      rows.find((r) => r[0] === agencies.gp.name),
      [
        agencies.gp.name,
        `${dateTime.format(removed.added_at)} by ${users.practitioner.fullName}`,
        `${dateTime.format(removed.removed_at)} by ${users.practitioner.fullName}: ${GP_REASON}`,
        '',
      ],
    )
    assert.equal(rows.find((r) => r[0] === agencies.school.name)?.[2], 'Named now')
  })

  test('adding the agency again restores access', async () => {
    const { episode: nguyens, minhAnh } = await gpWithdrawn()
    const { agencies, users } = t.staff
    await practitioner.get(`/episodes/${nguyens}/consent`)
    const res = await practitioner.post(`/episodes/${nguyens}/consent/agencies`, { agency: String(ids.gp) })
    assert.equal(res.statusCode, 303)
    for (const who of [gpReader, gpMember]) assert.equal((await who.client.get(`/episodes/${nguyens}`)).statusCode, 200, who.name)
    assert.equal((await gpMember.client.get(`/people/${minhAnh}`)).statusCode, 200)
    const { rows } = await agencyRows(practitioner, nguyens)
    const gpRows = rows.filter((r) => r[0] === agencies.gp.name)
    assert.equal(gpRows.length, 2, 'the withdrawal stays in the history')
    assert.ok(gpRows[0]![2]!.endsWith(`by ${users.practitioner.fullName}: ${GP_REASON}`), gpRows[0]![2])
    assert.equal(gpRows[1]![2], 'Named now')
  })

  test('withdrawing consent altogether removes every agency, and their users are refused', async () => {
    const { episode: nguyens } = await gpNamedAgain()
    const { agencies, users } = t.staff
    const form = await practitioner.get(`/episodes/${nguyens}/consent/withdraw`)
    assert.equal(form.statusCode, 200)
    const before = await lastAuditId(t.db)
    const res = await practitioner.post(`/episodes/${nguyens}/consent/withdraw`, { ...todayParts('withdrawn'), reason: 'The family no longer want early help' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/episodes/${nguyens}/consent?done=all-withdrawn`)
    assert.equal((await auditSince(t.db, before)).filter((e) => e.action === 'consent.withdrawn').length, 1)

    const consent = await t.db
      .selectFrom('consents')
      .select(['withdrawn_on', 'withdrawn_reason', 'withdrawn_by'])
      .where('episode_id', '=', nguyens)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    assert.deepEqual(consent, { withdrawn_on: todayIso(), withdrawn_reason: 'The family no longer want early help', withdrawn_by: ids.practitioner })
    const current = await t.db.selectFrom('consent_agencies').select('agency_id').where('episode_id', '=', nguyens).where('removed_at', 'is', null).execute()
    assert.deepEqual(current, [], 'no agency is named any more')

    for (const who of [gpReader, gpMember]) await assertRefused(who.client, who.id, `/episodes/${nguyens}`, nguyens, null)

    const { res: page, rows } = await agencyRows(coordinator, nguyens)
    assert.match(
      textOf(page.body),
      new RegExp(`Decision Given, then withdrawn on ${longDate.format(new Date(`${todayIso()}T12:00:00Z`))}: The family no longer want early help`),
    )
    assert.deepEqual(
      rows.map((r) => [r[0], r[2]!.replace(/^.* by /, '')]),
      [
        [agencies.school.name, `${users.practitioner.fullName}: Consent withdrawn`],
        [agencies.gp.name, `${users.practitioner.fullName}: ${GP_REASON}`],
        [agencies.gp.name, `${users.practitioner.fullName}: Consent withdrawn`],
      ],
    )
    assert.match(textOf((await coordinator.get(`/episodes/${nguyens}`)).body), /Consent Withdrawn/)
  })
})

describe("when consent changes under the lead professional, and managers' reading access", () => {
  /**
   * An intention to assess Siân O'Neill (a child of her own, new each time) recorded by the practitioner,
   * taken on through the use cases to an assessment with consent for the school and the GP practice.
   */
  async function siansCaf(): Promise<{ episode: number; sian: number }> {
    const actor = t.staff.actor('practitioner')
    const sian = (await buildPerson(t.db, actor, { givenName: 'Siân', familyName: "O'Neill", dateOfBirth: '2012-07-19', sex: 'female' })).id
    const started = await startEpisode(t.db, actor, {
      childId: sian,
      kind: 'child',
      memberIds: [],
      start: 'intention',
      intentionReason: 'Attendance has dropped this term and Siân seems withdrawn in class.',
      plannedOn: new Date(Date.now() + 28 * 86_400_000).toISOString().slice(0, 10),
      relationship: null,
    })
    if (started.type !== 'started') throw new Error('the intention for Siân did not start')
    await beginPreAssessment(t.db, actor, started.id)
    await preAssessed(t.db, actor, started.id)
    await giveConsent(t.db, actor, started.id, {
      decision: 'given',
      givenBy: sian,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
      agencyIds: [ids.school, ids.gp],
    })
    return { episode: started.id, sian }
  }

  let sians: number
  let gpLead: Extra
  let oakTeacher: Extra // another practitioner of the school
  let oakManager: Client // a manager of the school

  before(async () => {
    sians = (await siansCaf()).episode
    gpLead = await practitionerOf(t.staff.agencies.gp, 'Gwen Hughes')
    oakTeacher = await practitionerOf(t.staff.agencies.school, 'Olu Adeyemi')
    const manager = await buildUser(t.db, { laId: t.staff.la.id, agencyId: ids.school, roles: ['manager'] })
    oakManager = new Client(t.app)
    await oakManager.signIn(manager.email, manager.password)
  })

  test('a manager of the agency that started the episode may read it but not change it; the hub-agency manager may not read it', async () => {
    assert.equal((await oakManager.get(`/episodes/${sians}`)).statusCode, 200)
    assert.equal((await oakManager.get(`/episodes/${sians}/assessment/conclusions`)).statusCode, 200)
    assert.match(textOf(oakManager.last), /You can read this section but not change it/)
    const refused = await oakManager.post(`/episodes/${sians}/assessment/conclusions`, { version: '0', strengths: 'x' })
    assert.equal(refused.statusCode, 403)
    const hubManager = await t.staff.signIn(t.app, 'manager')
    assert.equal((await hubManager.get(`/episodes/${sians}`)).statusCode, 404)
  })

  test('a proposed lead whose agency the family then withdraws cannot accept, and the request lapses', async () => {
    await practitioner.get(`/episodes/${sians}/team`)
    assert.equal((await practitioner.post(`/episodes/${sians}/team`, { user: String(gpLead.id) })).statusCode, 303)
    await practitioner.get(`/episodes/${sians}/lead`)
    assert.equal((await practitioner.post(`/episodes/${sians}/lead`, { user: String(gpLead.id), ...todayParts('agreed') })).statusCode, 303)
    await practitioner.get(`/episodes/${sians}/consent/agencies/${ids.gp}/withdraw`)
    assert.equal(
      (await practitioner.post(`/episodes/${sians}/consent/agencies/${ids.gp}/withdraw`, { reason: 'Siân does not want the surgery involved' })).statusCode,
      303,
    )
    await gpLead.client.get('/')
    const accept = await gpLead.client.post(`/episodes/${sians}/lead/accept`, {})
    assert.equal(accept.statusCode, 404)
    const proposal = await t.db
      .selectFrom('lead_professionals')
      .select(['accepted_at', 'declined_at'])
      .where('episode_id', '=', sians)
      .where('user_id', '=', gpLead.id)
      .executeTakeFirstOrThrow()
    assert.equal(proposal.accepted_at, null)
    assert.ok(proposal.declined_at, 'the request lapsed with the consent')
    assert.doesNotMatch(textOf((await practitioner.get(`/episodes/${sians}`)).body), /Handover waiting/)
  })

  test('when the family withdraws consent altogether, the lead professional keeps the case; other staff of their agency lose it', async () => {
    await practitioner.get(`/episodes/${sians}/lead`)
    assert.equal((await practitioner.post(`/episodes/${sians}/lead`, { user: String(ids.practitioner), ...todayParts('agreed') })).statusCode, 303)
    assert.equal((await oakTeacher.client.get(`/episodes/${sians}`)).statusCode, 200, 'the school is named in the consent')
    await practitioner.get(`/episodes/${sians}/consent/withdraw`)
    const res = await practitioner.post(`/episodes/${sians}/consent/withdraw`, { ...todayParts('withdrawn'), reason: 'The family no longer want early help' })
    assert.equal(res.statusCode, 303)
    const page = await practitioner.get(`/episodes/${sians}/consent`)
    assert.equal(page.statusCode, 200, 'the lead can still record what happens next')
    assert.match(textOf(page.body), /Given, then withdrawn on/)
    await assertRefused(oakTeacher.client, oakTeacher.id, `/episodes/${sians}`, sians, null)
    assert.equal((await oakManager.get(`/episodes/${sians}`)).statusCode, 404, "the agency's manager loses reading access too")
  })

  test('withdrawing consent for the lead professional’s own agency ends their time as lead; the hub sees no lead', async () => {
    // A CAF of its own, at the point the test before leaves its own: led by the practitioner, consent withdrawn altogether.
    const actor = t.staff.actor('practitioner')
    const { episode: sians, sian } = await siansCaf()
    assert.equal(await proposeLead(t.db, actor, sians, ids.practitioner, today()), 'appointed')
    assert.ok(await withdrawConsent(t.db, actor, sians, today(), 'The family no longer want early help'))
    await coordinator.get(`/episodes/${sians}/consent/record`)
    assert.equal((await recordConsent(coordinator, sians, sian, [ids.school])).statusCode, 303, 'the family agrees again')
    await coordinator.get(`/episodes/${sians}/consent/agencies/${ids.school}/withdraw`)
    assert.equal((await coordinator.post(`/episodes/${sians}/consent/agencies/${ids.school}/withdraw`, { reason: 'Moved school' })).statusCode, 303)
    const lead = await t.db
      .selectFrom('lead_professionals')
      .select('ended_at')
      .where('episode_id', '=', sians)
      .where('user_id', '=', ids.practitioner)
      .executeTakeFirstOrThrow()
    assert.ok(lead.ended_at, 'their time as lead ended')
    assert.equal((await practitioner.get(`/episodes/${sians}`)).statusCode, 404)
    assert.match(textOf((await coordinator.get(`/episodes/${sians}`)).body), /Lead professional Not yet appointed/)
  })
})
