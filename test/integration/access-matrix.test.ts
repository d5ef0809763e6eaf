import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { appRoutes } from '../../src/app.ts'
import { withdrawAgency } from '../../src/features/episodes/consent.ts'
import { acceptLead, proposeLead } from '../../src/features/episodes/lead.ts'
import { addTeamMember } from '../../src/features/episodes/team.ts'
import type { RecordKind } from '../../src/policies/index.ts'
import { today } from '../../src/web/dates.ts'
import { rolesAllow, type Role } from '../../src/web/permissions.ts'
import type { Route } from '../../src/web/router.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { actorOf, buildAgency, buildCouncil, buildEpisode, buildPerson, buildUser } from '../helpers/factories.ts'
import { buildService, signpost } from '../helpers/services.ts'
import { passToService } from '../../src/features/signposting/requests.ts'
import { arrangePanelMeeting } from '../../src/features/panel/meetings.ts'
import { sendNotification } from '../../src/features/social-care/notifications.ts'
import { startStepDown } from '../../src/features/social-care/step-downs.ts'
import { requestStepUp } from '../../src/features/social-care/step-ups.ts'
import { requestTransfer } from '../../src/features/transfers/transfers.ts'

/**
 * The access matrix, generated: every registered route, for a user in each relationship to one episode
 * and its child (and of each role), against the running app. What each should get comes from the
 * table below, which is the policy in words; a route added to any feature is in the matrix at once.
 */

type Right = 'read' | 'work' | 'lead' | 'edit' | 'decide' | 'chair'
/** No right to the panel or the social care interface's records. */
const none: { panel: []; notification: []; 'step-up': []; 'step-down': []; transfer: [] } = {
  panel: [],
  notification: [],
  'step-up': [],
  'step-down': [],
  transfer: [],
}
const RELATIONSHIPS = {
  // The initiator also asked for the signposting of a second child, which the hub passed to a service
  // of the consented agency: that agency's casework staff may read it. The lead has asked social care
  // to take the family on (a step up, read by those who may change the episode); the social care
  // worker sent a notification about the child, and stepped a third child down to the consented
  // agency (read by those who may read that new episode: the consented agency's users).
  hub: {
    roles: ['coordinator'],
    episode: ['read', 'work', 'lead'],
    person: ['read', 'edit'],
    signposting: ['read', 'work', 'decide'],
    panel: ['read', 'chair'],
    notification: ['read', 'decide'],
    'step-up': ['read'],
    'step-down': ['read'],
    transfer: ['read'],
  },
  initiator: {
    roles: ['practitioner'],
    episode: ['read', 'work'],
    person: ['read', 'edit'],
    signposting: ['read', 'work'],
    ...none,
    'step-up': ['read'],
    transfer: ['read'],
  },
  lead: {
    roles: ['practitioner'],
    episode: ['read', 'work', 'lead'],
    person: ['read', 'edit'],
    signposting: ['read'],
    ...none,
    'step-up': ['read'],
    'step-down': ['read'],
    transfer: ['read'],
  },
  'proposed lead': {
    roles: ['practitioner'],
    episode: ['read', 'work'],
    person: ['read', 'edit'],
    signposting: ['read'],
    ...none,
    'step-up': ['read'],
    'step-down': ['read'],
    transfer: ['read'],
  },
  'team member': {
    roles: ['practitioner'],
    episode: ['read', 'work'],
    person: ['read', 'edit'],
    signposting: ['read'],
    ...none,
    'step-up': ['read'],
    'step-down': ['read'],
    transfer: ['read'],
  },
  'user of a consented agency': { roles: ['practitioner'], episode: ['read'], person: ['read', 'edit'], signposting: ['read'], ...none, 'step-down': ['read'] },
  'user of an agency whose consent was withdrawn': { roles: ['practitioner'], episode: [], person: [], signposting: [], ...none },
  // The manager's agency made the child's record, so the record is open to them.
  'manager of the initiating agency': { roles: ['manager'], episode: ['read'], person: ['read', 'edit'], signposting: [], ...none },
  'unrelated practitioner': { roles: ['practitioner'], episode: [], person: [], signposting: [], ...none },
  'unrelated social care worker': {
    roles: ['social_care'],
    episode: [],
    person: [],
    signposting: [],
    panel: [],
    notification: ['read'],
    'step-up': ['read', 'decide'],
    'step-down': ['read', 'work'],
    transfer: [],
  },
  'unrelated panel member': { roles: ['panel_member'], episode: [], person: [], signposting: [], ...none, panel: ['read'] },
  // Breaking the glass on the episode opens it for reading; the child's register record stays closed.
  'break glass': { roles: ['practitioner'], episode: ['read'], person: [], signposting: [], ...none },
  // The other council's hub: the family is moving there, so it reads and decides the transfer.
  "another council's user": { roles: ['coordinator'], episode: [], person: [], signposting: [], ...none, transfer: ['read', 'decide'] },
  administrator: { roles: ['administrator'], episode: [], person: [], signposting: [], ...none },
} as const satisfies Record<string, { roles: Role[] } & Record<RecordKind, Right[]>>
type Relationship = keyof typeof RELATIONSHIPS

let t: TestApp
const clients = new Map<Relationship, { client: Client; csrf: string }>()
let ids: { episode: number; child: number; signposting: number; panel: number; notification: number; 'step-up': number; 'step-down': number; transfer: number }
let names: string[]

before(async () => {
  t = await testApp()
  const { la, agency: initiating } = await buildCouncil(t.db)
  const [consented, withdrawn, elsewhere] = [await buildAgency(t.db, la.id), await buildAgency(t.db, la.id), await buildAgency(t.db, la.id)]
  const socialCare = await buildAgency(t.db, la.id, 'childrens_social_care')
  const other = await buildCouncil(t.db)
  const agencyOf: Record<Relationship, number> = {
    hub: elsewhere.id,
    initiator: initiating.id,
    lead: consented.id,
    'proposed lead': consented.id,
    'team member': consented.id,
    'user of a consented agency': consented.id,
    'user of an agency whose consent was withdrawn': withdrawn.id,
    'manager of the initiating agency': initiating.id,
    'unrelated practitioner': elsewhere.id,
    'unrelated social care worker': socialCare.id,
    'unrelated panel member': elsewhere.id,
    'break glass': elsewhere.id,
    "another council's user": other.agency.id,
    administrator: elsewhere.id,
  }
  const users = new Map<Relationship, Awaited<ReturnType<typeof buildUser>>>()
  for (const [rel, spec] of Object.entries(RELATIONSHIPS) as [Relationship, (typeof RELATIONSHIPS)[Relationship]][]) {
    const laId = rel === "another council's user" ? other.la.id : la.id
    users.set(rel, await buildUser(t.db, { laId, agencyId: agencyOf[rel], roles: [...spec.roles] }))
  }
  const actor = (rel: Relationship) => actorOf(users.get(rel)!, agencyOf[rel], [...RELATIONSHIPS[rel].roles])

  const initiator = actor('initiator')
  const built = await buildEpisode(t.db, initiator, { consentedAgencies: [initiating.id, consented.id, withdrawn.id] })
  const signposted = await buildPerson(t.db, initiator, { dateOfBirth: '2014-02-02' })
  const service = await buildService(t.db, actor('hub'), consented.id, { viaHub: true })
  const request = await signpost(t.db, initiator, service, signposted.id)
  await passToService(t.db, actor('hub'), request, '')
  // A panel meeting the hub chairs, with the unrelated panel member sitting on it (its agenda is empty).
  const panel = await arrangePanelMeeting(
    t.db,
    actor('hub'),
    {
      startsAt: new Date(Date.now() + 86_400_000),
      durationMinutes: 60,
      place: 'Civic Centre',
      chairId: users.get('hub')!.id,
      memberIds: [users.get('unrelated panel member')!.id],
    },
    '',
  )
  const worker = actor('unrelated social care worker')
  const notification = await sendNotification(t.db, worker, built.child.id, {
    contactOn: today(),
    source: '2A',
    reported: 'Reported',
    socialCareAction: 'Checked',
    familyAware: 'agrees',
  })
  const steppedDown = await buildPerson(t.db, worker, { dateOfBirth: '2012-02-02' })
  const level = (await t.db.selectFrom('need_levels').select('code').where('la_id', '=', la.id).where('tier', '=', 3).executeTakeFirstOrThrow()).code
  const stepDown = await startStepDown(t.db, worker, steppedDown.id, {
    decisionPoint: 'cin-closure',
    endsOn: today(),
    known: 'Known',
    proposedAgencyId: consented.id,
    needLevel: level,
    giverId: steppedDown.id,
    giverRole: 'young-person',
    method: 'verbal',
    givenOn: today(),
  })
  ids = { episode: built.id, child: built.child.id, signposting: request, panel, notification, 'step-up': 0, 'step-down': stepDown, transfer: 0 }
  for (const rel of ['lead', 'proposed lead', 'team member'] as const) await addTeamMember(t.db, initiator, built.id, users.get(rel)!.id)
  await proposeLead(t.db, initiator, built.id, users.get('lead')!.id, today())
  await acceptLead(t.db, actor('lead'), built.id)
  await proposeLead(t.db, actor('lead'), built.id, users.get('proposed lead')!.id, today())
  await withdrawAgency(t.db, initiator, built.id, withdrawn.id, 'The family asked us to stop sharing with them')
  ids.transfer = await requestTransfer(
    t.db,
    actor('lead'),
    built.id,
    {
      toLaId: other.la.id,
      toName: null,
      reason: 'Moving',
      movedOn: today(),
      giverId: built.parent.id,
      giverRole: 'parent-with-pr',
      method: 'verbal',
      givenOn: today(),
    },
    '',
  )
  ids['step-up'] = await requestStepUp(t.db, actor('lead'), built.id, { reason: 'Why', risks: 'Risks' }, '')
  names = [built.child.name, built.parent.name, users.get('lead')!.full_name, signposted.name, steppedDown.name]

  for (const [rel, user] of users) {
    const client = new Client(t.app)
    await client.signIn(user.email, user.password)
    const home = await client.get('/account')
    clients.set(rel, { client, csrf: client.csrf(home.body) })
  }
  const glass = clients.get('break glass')!
  await glass.client.get(`/episodes/${ids.episode}`)
  const broke = await glass.client.post(`/episodes/${ids.episode}/break-glass`, { reason: 'The family has moved to our school' }, { csrf: glass.csrf })
  assert.equal(broke.statusCode, 303, 'the glass is broken')
})
after(() => t?.close())

/** The address of a route for the matrix's episode or child; other ids are ones that exist nowhere. */
function address(route: Route): string {
  const prefixes = {
    '/episodes/': 'episode',
    '/signposting/': 'signposting',
    '/panel/': 'panel',
    '/notifications/': 'notification',
    '/step-ups/': 'step-up',
    '/step-downs/': 'step-down',
  } as const
  const kind = Object.entries(prefixes).find(([prefix]) => route.url.startsWith(prefix))?.[1] ?? 'child'
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'id') return String(route.url.startsWith('/break-glass/') ? 999_999 : ids[kind])
    return name === 'task' ? 'present' : name.endsWith('Id') ? '999999' : 'x'
  })
}

/** What the route declares, as the matrix reads it. */
function declared(route: Route): { kind: RecordKind; right: string } | null {
  if (!route.record) return null
  if ('signposting' in route.record) return { kind: 'signposting', right: route.record.signposting }
  if ('notification' in route.record) return { kind: 'notification', right: route.record.notification }
  if ('stepUp' in route.record) return { kind: 'step-up', right: route.record.stepUp }
  if ('stepDown' in route.record) return { kind: 'step-down', right: route.record.stepDown }
  if ('transfer' in route.record) return { kind: 'transfer', right: route.record.transfer }
  if ('panel' in route.record) return { kind: 'panel', right: route.record.panel }
  return 'episode' in route.record ? { kind: 'episode', right: route.record.episode } : { kind: 'person', right: route.record.person }
}

const ROLE_REFUSED = /You do not have permission to see this page/
const RIGHT_REFUSED = /You cannot do this/
const NO_ACCESS_PAGE = /You cannot open this (record|CAF episode)/
// A signposting request or a panel meeting cannot be opened by breaking the glass: who may not read it is told there is no such page.
const NOT_FOUND_PAGE = /Page not found/

describe('the access matrix: every route, every relationship to the record', () => {
  const routes = appRoutes()

  test('covers every route the app registers, and every route about a record declares the access it needs', () => {
    assert.ok(routes.length > 80, `${routes.length} routes`)
    for (const route of routes) {
      if (/^\/(episodes|people)\/:id/.test(route.url)) assert.ok(route.record, `${route.method} ${route.url} declares its record`)
    }
  })

  for (const rel of Object.keys(RELATIONSHIPS) as Relationship[]) {
    test(`${rel}: each route answers as the policy says, and a refusal names no one`, async () => {
      const spec = RELATIONSHIPS[rel]
      const { client, csrf } = clients.get(rel)!
      const problems: string[] = []
      for (const route of routes) {
        if (route.permission === 'public') continue
        const url = address(route)
        // A body no form accepts, so that nothing a route allows is changed by the matrix.
        const res = route.method === 'GET' ? await client.get(url) : await client.post(url, { matrix_probe: '1' }, { csrf })
        const text = textOf(res.body)
        const where = `${route.method} ${url} (${res.statusCode})`
        if (res.statusCode >= 500) problems.push(`${where}: a server error`)
        const record = declared(route)
        const mayRead = record ? (spec[record.kind] as readonly string[]).includes('read') : true
        if (!mayRead && names.some((n) => text.includes(n))) problems.push(`${where}: shows a name to someone who may not read the record`)
        if (!rolesAllow([...spec.roles], route.permission)) {
          if (res.statusCode !== 403 || !ROLE_REFUSED.test(text)) problems.push(`${where}: expected 403 for the role`)
          continue
        }
        if (!record || record.right === 'start') {
          if (res.statusCode === 403 || NO_ACCESS_PAGE.test(text)) problems.push(`${where}: refused, but the role may`)
          continue
        }
        if (record.right === 'break-glass') {
          if (res.statusCode !== 400) problems.push(`${where}: expected the break-glass form shown again with its error`)
          continue
        }
        const allowed = (spec[record.kind] as readonly string[]).includes(record.right)
        if (allowed && (res.statusCode === 403 || NO_ACCESS_PAGE.test(text))) problems.push(`${where}: refused, but ${rel} may ${record.right}`)
        if (!allowed && mayRead && (res.statusCode !== 403 || !RIGHT_REFUSED.test(text)))
          problems.push(`${where}: expected 403 (may read, not ${record.right})`)
        const hiddenPage = record.kind === 'episode' || record.kind === 'person' ? NO_ACCESS_PAGE : NOT_FOUND_PAGE
        if (!allowed && !mayRead && (res.statusCode !== 404 || !hiddenPage.test(text))) problems.push(`${where}: expected the 404 "cannot open" page`)
      }
      assert.deepEqual(problems, [])
    })
  }
})
