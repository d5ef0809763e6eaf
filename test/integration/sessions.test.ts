import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { setCookieValue } from '../helpers/html.ts'
import type { StaffKey } from '../helpers/staff.ts'

const IDLE_MINUTES = 20
let t: TestApp
before(async () => {
  t = await testApp({ SESSION_IDLE_MINUTES: String(IDLE_MINUTES) })
})
after(() => t.close())

/** Signs in as one of the staff and returns the client and the session cookie's value. */
async function signedIn(who: StaffKey) {
  const c = new Client(t.app)
  const res = await c.signIn(t.staff.users[who].email, t.staff.password)
  const cookie = setCookieValue(res, 'caf_session')
  assert.ok(cookie, 'sign-in sets the session cookie')
  return { c, cookie }
}

/** A request carrying only the given session cookie, as a stolen or kept cookie would. */
function getWithCookie(url: string, cookie: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: `caf_session=${cookie}` } })
}

describe('sessions', () => {
  test('a user disabled by an administrator loses access on their next request', async () => {
    const { c: coordinator } = await signedIn('coordinator')
    const second = await signedIn('coordinator')
    assert.equal((await coordinator.get('/desk')).statusCode, 200)
    const { id, email } = t.staff.users.coordinator

    const { c: admin } = await signedIn('admin')
    await admin.get(`/admin/users/${id}`)
    const disabled = await admin.post(`/admin/users/${id}/disable`, {})
    assert.equal(disabled.statusCode, 303)

    const next = await coordinator.get('/desk')
    assert.equal(next.statusCode, 303)
    assert.match(String(next.headers.location), /^\/sign-in(\?|$)/)
    assert.equal((await getWithCookie('/desk', second.cookie)).statusCode, 303, 'every session of the user ends, not just one')
    const sessions = await t.db.selectFrom('sessions').select(['ended_at', 'end_reason']).where('user_id', '=', id).execute()
    assert.equal(sessions.length, 2)
    for (const s of sessions) {
      assert.ok(s.ended_at instanceof Date)
      assert.equal(s.end_reason, 'disabled')
    }
    // And they cannot simply sign in again.
    await coordinator.get('/sign-in')
    const again = await coordinator.post('/sign-in', { email, password: t.staff.password })
    assert.equal(again.statusCode, 400)
  })

  test('signing out ends the session: the old cookie no longer works', async () => {
    const { c, cookie } = await signedIn('manager')
    assert.equal((await getWithCookie('/', cookie)).statusCode, 200)
    await c.get('/')
    const out = await c.post('/sign-out', {})
    assert.equal(out.statusCode, 303)
    assert.equal(out.headers.location, '/signed-out')
    assert.match(String(out.headers['set-cookie']), /caf_session=;/, 'the cookie is cleared')

    const replay = await getWithCookie('/', cookie)
    assert.equal(replay.statusCode, 303)
    assert.match(String(replay.headers.location), /^\/sign-in/)
    const session = await t.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.ended_at', 's.end_reason'])
      .where('u.email', '=', t.staff.users.manager.email)
      .executeTakeFirstOrThrow()
    assert.ok(session.ended_at instanceof Date)
    assert.equal(session.end_reason, 'signed-out')
  })

  test('a session left idle for longer than SESSION_IDLE_MINUTES ends', async () => {
    const { cookie } = await signedIn('panel')
    const { id } = t.staff.users.panel
    const idleFor = (minutes: number) =>
      t.db
        .updateTable('sessions')
        .set({ last_seen_at: sql<Date>`now() - make_interval(mins => ${minutes})` })
        .where('user_id', '=', id)
        .execute()

    await idleFor(IDLE_MINUTES - 1)
    assert.equal((await getWithCookie('/', cookie)).statusCode, 200, 'still live just inside the limit')
    const touched = await t.db
      .selectFrom('sessions')
      .select(sql<boolean>`last_seen_at > now() - interval '1 minute'`.as('recent'))
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow()
    assert.equal(touched.recent, true, 'using the session moves its last-seen time on')

    await idleFor(IDLE_MINUTES + 1)
    const res = await getWithCookie('/', cookie)
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/sign-in?returnTo=%2F')
    assert.match(String(res.headers['set-cookie']), /caf_session=;/)
  })

  test('a user without the administrator role gets 403 on admin pages, and the refusal is audited', async () => {
    const { c } = await signedIn('practitioner')
    const { id } = t.staff.users.practitioner
    const urls = [
      '/admin',
      '/admin/users',
      '/admin/users/new',
      '/admin/agencies',
      '/admin/localities',
      '/admin/population',
      '/admin/audit',
      `/admin/users/${id}`,
    ]
    for (const url of urls) {
      const res = await c.get(url)
      assert.equal(res.statusCode, 403, url)
      assert.match(textOf(res.body), /You do not have permission to see this page/, url)
    }
    await c.get('/')
    const localitiesBefore = await t.db.selectFrom('localities').select('id').execute()
    const post = await c.post('/admin/localities/new', { name: 'Practitioner Locality' })
    assert.equal(post.statusCode, 403)
    assert.equal((await t.db.selectFrom('localities').select('id').execute()).length, localitiesBefore.length)

    const denied = await t.db
      .selectFrom('audit_events')
      .select(['action', 'detail', 'la_id', 'session_id'])
      .where('actor_user_id', '=', id)
      .where('action', '=', 'access.denied')
      .execute()
    assert.equal(denied.length, urls.length + 1)
    const routes = denied.map((e) => (e.detail as { route?: string }).route)
    assert.ok(routes.includes('/admin/users/:id'))
    assert.ok(routes.includes('/admin/localities/new'))
    assert.ok(denied.every((e) => e.session_id !== null && e.la_id !== null))
    // The page does not offer the administration links either.
    assert.doesNotMatch((await c.get('/')).body, /href="\/admin"/)
  })

  test('not signed in: /admin redirects to the sign-in page, which then returns there', async () => {
    const c = new Client(t.app)
    const res = await c.get('/admin')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/sign-in?returnTo=%2Fadmin')
    const page = await c.get(String(res.headers.location))
    assert.match(page.body, /name="returnTo" value="\/admin"/)
    const signIn = await c.post('/sign-in', { email: t.staff.users.admin.email, password: t.staff.password, returnTo: '/admin' })
    assert.equal(signIn.statusCode, 303)
    assert.equal(signIn.headers.location, '/admin')
  })
})
