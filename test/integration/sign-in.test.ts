import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryText } from '../helpers/html.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
before(async () => {
  t = await testApp({ LOCKOUT_ATTEMPTS: '3', LOCKOUT_MINUTES: '15', DEMO: 'true' })
})
after(() => t.close())

/** What the demo seed lists on the sign-in page, for an app without the demo: one account and its password. */
async function listDemoAccount(app: TestApp) {
  await app.db
    .insertInto('demo_accounts')
    .values({ email: 'demo-admin@demo-accounts.example', role: 'Administrator', password: 'demo-password-shown' })
    .execute()
}

describe('signing in', () => {
  test('pages may not be framed by any site: X-Frame-Options agrees with the CSP', async () => {
    const res = await new Client(t.app).get('/sign-in')
    assert.equal(res.headers['x-frame-options'], 'DENY')
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/)
  })

  test('a user signs in and sees their name; the sign-in is audited', async () => {
    const c = await t.staff.signIn(t.app, 'practitioner')
    const home = await c.get('/')
    assert.equal(home.statusCode, 200)
    assert.ok(textOf(home.body).includes(`Welcome, ${t.staff.users.practitioner.fullName}`), textOf(home.body))
    const events = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'sign-in')
      .where('actor_user_id', '=', t.staff.users.practitioner.id)
      .execute()
    assert.equal(events.length, 1)
  })

  test('the sign-in page shows the demo accounts only when the demo flag is on', async () => {
    await listDemoAccount(t)
    const c = new Client(t.app)
    const page = await c.get('/sign-in')
    assert.match(page.body, /demo-admin@demo-accounts\.example/)
    const off = await testApp({ DEMO: 'false' })
    try {
      await listDemoAccount(off)
      const hidden = await new Client(off.app).get('/sign-in')
      assert.doesNotMatch(hidden.body, /demo-accounts\.example/)
    } finally {
      await off.close()
    }
  })

  test('a wrong password gets a 400 with the error summary and keeps the email, never the password', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    const { email } = t.staff.users.manager
    const res = await c.post('/sign-in', { email, password: 'wrong-password-123' })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /govuk-error-summary/)
    assert.match(res.body, /href="#email"/)
    assert.match(textOf(res.body), /Enter a correct email address and password/)
    assert.ok(res.body.includes(`value="${email}"`), 'the email is kept')
    assert.doesNotMatch(res.body, /wrong-password-123/)
  })

  test('repeated failures lock the account, even for the right password, and a locked account answers as an unknown email does', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    const { email } = t.staff.users.panel
    for (let i = 0; i < 3; i++) await c.post('/sign-in', { email, password: 'not-the-password' })
    const res = await c.post('/sign-in', { email, password: t.staff.password })
    assert.equal(res.statusCode, 400, 'the right password does not open a locked account')
    const unknown = await c.post('/sign-in', { email: 'nobody@example.gov.uk', password: t.staff.password })
    assert.equal(unknown.statusCode, 400)
    // Nothing tells an attacker that the first email is a real account: the same words, the same page.
    const shown = (html: string) => errorSummaryText(html)
    assert.equal(shown(res.body), shown(unknown.body))
    assert.match(shown(res.body), /Enter a correct email address and password/)
    assert.doesNotMatch(textOf(res.body), /locked/i)
    const panel = t.staff.users.panel.id
    const locked = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'account.locked').where('actor_user_id', '=', panel).execute()
    assert.equal(locked.length, 1, 'the lock is in the audit log for the administrator')
    const refused = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'sign-in.refused').where('actor_user_id', '=', panel).execute()
    assert.deepEqual(
      refused.map((r) => (r.detail as { reason: string }).reason),
      ['locked'],
    )
  })

  test('the lock lifts by itself when its time has passed', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    const { email } = t.staff.users.socialCare
    for (let i = 0; i < 3; i++) await c.post('/sign-in', { email, password: 'not-the-password' })
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('email', '=', email)
      .execute()
    const res = await c.post('/sign-in', { email, password: t.staff.password })
    assert.equal(res.statusCode, 303)
  })
})
