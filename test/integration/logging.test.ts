import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { createApp, type App } from '../../src/app.ts'
import { loggerOptions } from '../../src/web/logging.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client } from '../helpers/browser-client.ts'
import { setCookieValue, setPasswordLink } from '../helpers/html.ts'

/** Everything the app logs, as text. */
let captured = ''
const stream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    captured += chunk.toString('utf8')
    done()
  },
})

const FULL_NAME = 'Philomena Quartermaine-Bexley'
const EMAIL = 'philomena.qb@example.gov.uk'
const NEW_PASSWORD = 'tangerine-velvet-harbour-42'
const SECOND_EMAIL = 'philomena.junior@example.gov.uk'
let serverErrorId = ''

let t: TestApp
let app: App
const secrets: Record<string, string> = {}

before(async () => {
  t = await testApp()
  app = await createApp(t.services, { logger: { ...loggerOptions('trace'), stream } })

  const admin = new Client(app)
  const signIn = await admin.signIn(t.staff.users.admin.email, t.staff.password)
  secrets['admin session cookie'] = setCookieValue(signIn, 'caf_session')!
  secrets['staff password'] = t.staff.password

  const agency = t.staff.agencies.secondary
  await admin.get('/admin/users/new')
  const created = await admin.post('/admin/users/new', {
    fullName: FULL_NAME,
    email: EMAIL,
    jobTitle: 'Attendance officer',
    phone: '',
    agencyId: String(agency.id),
    roles: 'practitioner',
  })
  assert.equal(created.statusCode, 303)
  await admin.get(String(created.headers.location))
  await admin.get('/admin/users')
  await admin.get(`/admin/audit?recordType=user`)

  const mail = await t.db.selectFrom('mail_outbox').select('body_text').where('to_address', '=', EMAIL).executeTakeFirstOrThrow()
  const link = setPasswordLink(mail.body_text)
  secrets['set-password token'] = link.token

  const newcomer = new Client(app)
  assert.equal((await newcomer.get(link.path)).statusCode, 200)
  assert.equal((await newcomer.post(link.path, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).statusCode, 200)
  assert.equal((await newcomer.get(link.path)).statusCode, 404)
  const newcomerSignIn = await newcomer.signIn(EMAIL, NEW_PASSWORD)
  secrets['new user session cookie'] = setCookieValue(newcomerSignIn, 'caf_session')!
  await newcomer.get('/account')

  // Requests that fail, each in its own way: a wrong password, a 403, a 404, unreadable bodies.
  const stranger = new Client(app)
  await stranger.get('/sign-in')
  assert.equal((await stranger.post('/sign-in', { email: EMAIL, password: `${NEW_PASSWORD}-wrong` })).statusCode, 400)
  assert.equal((await newcomer.get('/admin/users')).statusCode, 403)
  assert.equal((await admin.get('/admin/users/999999')).statusCode, 404)
  // A name typed into an address, matching a route and matching none: the log shows routes, not addresses.
  assert.equal((await admin.get(`/admin/users/${encodeURIComponent(FULL_NAME)}`)).statusCode, 404)
  assert.equal((await admin.get(`/no-such-page/${encodeURIComponent(FULL_NAME)}`)).statusCode, 404)
  secrets['full name as typed into an address'] = encodeURIComponent(FULL_NAME)
  const cookie = `caf_session=${secrets['admin session cookie']}`
  const badJson = await app.inject({
    method: 'POST',
    url: '/admin/users/new',
    headers: { cookie, 'content-type': 'application/json' },
    payload: `{"fullName": "${FULL_NAME}", "email": ${EMAIL}`,
  })
  assert.ok(badJson.statusCode >= 400 && badJson.statusCode < 500)
  const badForm = await app.inject({
    method: 'POST',
    url: `/set-password/${link.token}`,
    headers: { cookie, 'content-type': 'text/plain' },
    payload: `newPassword=${NEW_PASSWORD}&fullName=${FULL_NAME}`,
  })
  assert.ok(badForm.statusCode >= 400 && badForm.statusCode < 500)
  const tooBig = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `email=${EMAIL}&password=${NEW_PASSWORD}&x=${'y'.repeat(1024 * 1024)}`,
  })
  assert.ok(tooBig.statusCode >= 400 && tooBig.statusCode < 500)

  // A server error from the database, whose own message would quote the row: a rule the app does not expect.
  await sql`alter table users add constraint logging_test_refuse check (job_title is distinct from 'Refused job')`.execute(t.db)
  await admin.get('/admin/users/new')
  const crash = await admin.post('/admin/users/new', {
    fullName: `${FULL_NAME} Junior`,
    email: SECOND_EMAIL,
    jobTitle: 'Refused job',
    phone: '',
    agencyId: String(agency.id),
    roles: 'practitioner',
  })
  assert.equal(crash.statusCode, 500)
  serverErrorId = String(crash.headers['x-request-id'])
  assert.ok(crash.body.includes(serverErrorId), 'the error page gives the reference to quote')
})
after(async () => {
  await app.close()
  await t.close()
})

function lines(): Record<string, unknown>[] {
  return captured
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

describe('the log', () => {
  test('captured the requests at trace level', () => {
    const all = lines()
    assert.ok(all.length > 20, `${all.length} lines`)
    assert.ok(all.some((l) => l.msg === 'incoming request'))
    assert.ok(all.some((l) => l.msg === 'request completed'))
  })

  test('never holds a password, the set-password token or a session cookie', () => {
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value && value.length > 10, what)
      assert.ok(!captured.includes(value), `the log contains the ${what}`)
    }
    assert.ok(!captured.includes(NEW_PASSWORD), 'the new password')
  })

  test("never holds the new user's name or email address", () => {
    for (const value of [
      FULL_NAME,
      encodeURIComponent(FULL_NAME),
      'Quartermaine',
      EMAIL,
      encodeURIComponent(EMAIL),
      SECOND_EMAIL,
      'Refused job',
      t.staff.users.practitioner.fullName,
      t.staff.users.admin.fullName,
    ]) {
      assert.ok(!captured.includes(value), `the log contains "${value}"`)
    }
  })

  test('logs set-password requests by their route, never with the token', () => {
    const urls = lines()
      .map((l) => (l.req as { url?: string } | undefined)?.url)
      .filter((u): u is string => typeof u === 'string' && u.startsWith('/set-password/'))
    assert.ok(urls.length >= 3)
    assert.ok(
      urls.every((u) => u === '/set-password/:token'),
      urls.join(' '),
    )
  })

  test('logs a server error by its code and request id, without the database message that quotes the row', () => {
    const errors = lines().filter((l) => l.msg === 'unhandled error')
    assert.equal(errors.length, 1)
    assert.equal(errors[0]!.reqId, serverErrorId)
    assert.equal((errors[0]!.err as { message?: string }).message, 'database error 23514')
    assert.ok(!captured.includes('Failing row'))
  })

  test('every line about a request carries its request id', () => {
    const requestLines = lines().filter((l) => 'req' in l || 'res' in l || l.msg === 'request refused')
    assert.ok(requestLines.length > 20)
    for (const line of requestLines) assert.match(String(line.reqId), /^[0-9a-f-]{36}$/, JSON.stringify(line))
    const ids = new Set(requestLines.map((l) => l.reqId))
    assert.ok(ids.size > 10, 'each request has its own id')
    const refused = lines().filter((l) => l.msg === 'request refused')
    assert.ok(refused.length >= 3, 'the unreadable bodies were logged as refused')
  })
})
