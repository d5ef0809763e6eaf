import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'

let t: TestApp
let admin: Client
/** The same administrator signed in on another device: a live session, but not this one. */
let otherDevice: Client

before(async () => {
  t = await testApp()
  admin = await t.staff.signIn(t.app, 'admin')
  otherDevice = await t.staff.signIn(t.app, 'admin')
})
after(() => t.close())

const EXPIRED = /This form could not be checked/

async function localityNamed(name: string) {
  return t.db.selectFrom('localities').select('id').where('name', '=', name).execute()
}

describe('forms are protected against cross-site request forgery', () => {
  const refused: [string, () => Promise<string | null>][] = [
    ['no _csrf field', async () => null],
    ['a made-up _csrf', async () => 'A'.repeat(43)],
    ['an over-long _csrf', async () => 'A'.repeat(5000)],
    [
      "another session's valid token",
      async () => {
        await otherDevice.get('/admin/localities/new')
        return otherDevice.csrf()
      },
    ],
    [
      'the token from before signing in',
      async () => {
        const anonymous = new Client(t.app)
        await anonymous.get('/sign-in')
        return anonymous.csrf()
      },
    ],
  ]
  for (const [i, [label, token]] of refused.entries()) {
    test(`a POST with ${label} is refused with 400, the error summary and the input kept; nothing is saved`, async () => {
      const name = `Forged Locality ${i + 1}`
      await admin.get('/admin/localities/new')
      const ownToken = admin.csrf()
      const csrf = await token()
      assert.notEqual(csrf, ownToken)
      const res = await admin.post('/admin/localities/new', { name }, { csrf })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /class="govuk-error-summary"/)
      assert.match(errorSummaryText(res.body), EXPIRED)
      assert.deepEqual(errorSummaryHrefs(res.body), ['#main-content'])
      assert.match(res.body, new RegExp(`<input[^>]*id="name"[^>]*value="${name}"`), 'what the user typed is kept')
      assert.match(res.body, new RegExp(`name="_csrf" value="${ownToken}"`), 'the re-rendered form carries a good token to try again')
      assert.equal((await localityNamed(name)).length, 0)
    })
  }

  test('the same POST with the right token succeeds', async () => {
    await admin.get('/admin/localities/new')
    const res = await admin.post('/admin/localities/new', { name: 'Honest Locality' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/admin/localities?saved=1')
    assert.equal((await localityNamed('Honest Locality')).length, 1)
  })

  test('a forged sign-out is refused and the session stays live', async () => {
    const c = await t.staff.signIn(t.app, 'manager')
    const res = await c.post('/sign-out', {}, { csrf: null })
    assert.equal(res.statusCode, 400)
    assert.match(textOf(res.body), /There is a problem/)
    assert.equal((await c.get('/')).statusCode, 200)
  })

  test('sign-in without the token is refused (no login CSRF), and the email is kept but never the password', async () => {
    const c = new Client(t.app)
    await c.get('/sign-in')
    const { email } = t.staff.users.manager
    const res = await c.post('/sign-in', { email, password: t.staff.password }, { csrf: null })
    assert.equal(res.statusCode, 400)
    assert.match(errorSummaryText(res.body), EXPIRED)
    assert.ok(res.body.includes(`value="${email}"`), 'the email is kept')
    const passwordInput = /<input[^>]*id="password"[^>]*>/.exec(res.body)?.[0]
    assert.ok(passwordInput, 'the password field is there')
    assert.doesNotMatch(passwordInput, /value=/, 'the password is not echoed into the form')
    assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /caf_session=/, 'no session is started')
  })
})
