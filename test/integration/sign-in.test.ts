import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryText } from '../helpers/html.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
before(async () => {
  t = await testApp({ LOCKOUT_ATTEMPTS: '3', LOCKOUT_MINUTES: '15' })
})
after(() => t.close())

describe('signing in', () => {
  test('pages may not be framed by any site: X-Frame-Options agrees with the CSP', async () => {
    const res = await new Client(t.app).get('/sign-in')
    assert.equal(res.headers['x-frame-options'], 'DENY')
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/)
  })

  test('a demo user signs in and sees their name; the sign-in is audited', async () => {
    const c = new Client(t.app)
    await c.signIn('practitioner@demo-borough.example', t.demo.password)
    const home = await c.get('/')
    assert.equal(home.statusCode, 200)
    assert.match(textOf(home.body), /Welcome, Priya Patel/)
    const events = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'sign-in').execute()
    assert.equal(events.length, 1)
  })

  test('the sign-in page shows the demo accounts only when the demo flag is on', async () => {
    const c = new Client(t.app)
    const page = await c.get('/sign-in')
    assert.match(page.body, /admin@demo-borough\.example/)
    const off = await testApp({ DEMO: 'false' })
    try {
      const hidden = await new Client(off.app).get('/sign-in')
      assert.doesNotMatch(hidden.body, /demo-borough\.example/)
    } finally {
      await off.close()
    }
  })

  test('a wrong password gets a 400 with the error summary and keeps the email, never the password', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    const res = await c.post('/sign-in', { email: 'manager@demo-borough.example', password: 'wrong-password-123' })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /govuk-error-summary/)
    assert.match(res.body, /href="#email"/)
    assert.match(textOf(res.body), /Enter a correct email address and password/)
    assert.match(res.body, /value="manager@demo-borough.example"/)
    assert.doesNotMatch(res.body, /wrong-password-123/)
  })

  test('repeated failures lock the account, even for the right password, and a locked account answers as an unknown email does', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    for (let i = 0; i < 3; i++) await c.post('/sign-in', { email: 'panel@demo-borough.example', password: 'not-the-password' })
    const res = await c.post('/sign-in', { email: 'panel@demo-borough.example', password: t.demo.password })
    assert.equal(res.statusCode, 400, 'the right password does not open a locked account')
    const unknown = await c.post('/sign-in', { email: 'nobody@demo-borough.example', password: t.demo.password })
    assert.equal(unknown.statusCode, 400)
    // Nothing tells an attacker that the first email is a real account: the same words, the same page.
    const shown = (html: string) => errorSummaryText(html)
    assert.equal(shown(res.body), shown(unknown.body))
    assert.match(shown(res.body), /Enter a correct email address and password/)
    assert.doesNotMatch(textOf(res.body), /locked/i)
    const locked = await t.db.selectFrom('audit_events').select('action').where('action', '=', 'account.locked').execute()
    assert.equal(locked.length, 1, 'the lock is in the audit log for the administrator')
    const refused = await t.db.selectFrom('audit_events').select('detail').where('action', '=', 'sign-in.refused').execute()
    assert.deepEqual(
      refused.map((r) => (r.detail as { reason: string }).reason),
      ['locked'],
    )
  })

  test('the lock lifts by itself when its time has passed', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    for (let i = 0; i < 3; i++) await c.post('/sign-in', { email: 'social-care@demo-borough.example', password: 'not-the-password' })
    await t.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('email', '=', 'social-care@demo-borough.example')
      .execute()
    const res = await c.post('/sign-in', { email: 'social-care@demo-borough.example', password: t.demo.password })
    assert.equal(res.statusCode, 303)
  })
})
