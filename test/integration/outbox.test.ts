import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { queueMail } from '../../src/features/mail/outbox.ts'
import { fileTransport, smtpTransport, type MailTransport } from '../../src/features/mail/transport.ts'
import { backoffSeconds, deliverDueMail } from '../../src/features/mail/worker.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client } from '../helpers/browser-client.ts'
import { setPasswordLink } from '../helpers/html.ts'
import { freePort, parseMessage, startSmtpServer } from '../helpers/smtp.ts'

let port: number
let smtp: MailTransport
let server: Awaited<ReturnType<typeof startSmtpServer>> | null = null
const FROM = 'CAF Hub <no-reply@caf-hub.invalid>'
const RECIPIENT = 'ottoline.marsh@example.gov.uk'
let t: TestApp
/** What the loopback server received (empty until it is started). */
const received = () => server?.received ?? []

/**
 * An administrator adds a user at a secondary school: the app queues the email with the set-password link.
 * Done by the first test, not in `before`, so that the tests of other mail see only the messages they queue.
 */
async function adminAddsOttoline() {
  const admin = await t.staff.signIn(t.app, 'admin')
  await admin.get('/admin/users/new')
  const res = await admin.post('/admin/users/new', {
    fullName: 'Ottoline Marsh',
    email: RECIPIENT,
    jobTitle: '',
    phone: '',
    agencyId: String(t.staff.agencies.secondary.id),
    roles: 'practitioner',
  })
  assert.equal(res.statusCode, 303)
}

async function outboxRow() {
  return t.db
    .selectFrom('mail_outbox')
    .select(['id', 'status', 'attempts', 'last_error', 'sent_at', 'delivered_as', 'body_text', 'subject'])
    .select(sql<number>`extract(epoch from next_attempt_at - now())::float8`.as('dueInSeconds'))
    .where('to_address', '=', RECIPIENT)
    .executeTakeFirstOrThrow()
}

before(async () => {
  t = await testApp()
  port = await freePort()
  smtp = smtpTransport(`smtp://127.0.0.1:${port}`)
})
after(async () => {
  smtp.close()
  await server?.close()
  await t.close()
})

describe('the mail outbox', () => {
  test('with the mail server down, the message stays pending and is tried again later', async () => {
    await adminAddsOttoline()
    const queued = await outboxRow()
    assert.equal(queued.status, 'pending')
    assert.equal(queued.attempts, 0)

    const result = await deliverDueMail(t.db, smtp, FROM)
    assert.deepEqual(result, { sent: 0, failed: 1 })
    const row = await outboxRow()
    assert.equal(row.status, 'pending')
    assert.equal(row.attempts, 1)
    assert.match(row.last_error ?? '', /ECONNREFUSED|ESOCKET|ECONNECTION/)
    assert.equal(row.sent_at, null)
    // Pushed back by the backoff (30 s after the first failure), not by the 5-minute lease.
    assert.equal(backoffSeconds(1), 30)
    assert.ok(row.dueInSeconds > 20 && row.dueInSeconds <= 30, `due in ${row.dueInSeconds} s`)

    assert.deepEqual(await deliverDueMail(t.db, smtp, FROM), { sent: 0, failed: 0 }, 'not tried again before it is due')
    assert.equal((await outboxRow()).attempts, 1)
  })

  // Goes on from the failed attempt of the test above (hence two attempts in all).
  test('once the server is up and the message is due, it is delivered with the set-password link', async () => {
    server = await startSmtpServer(port)
    await t.db
      .updateTable('mail_outbox')
      .set({ next_attempt_at: sql<Date>`now()` })
      .where('to_address', '=', RECIPIENT)
      .execute()

    const result = await deliverDueMail(t.db, smtp, FROM)
    assert.deepEqual(result, { sent: 1, failed: 0 })
    assert.equal(received().length, 1)
    const mail = received()[0]!
    assert.deepEqual(mail.to, [RECIPIENT])
    assert.equal(mail.from, 'no-reply@caf-hub.invalid')

    const row = await outboxRow()
    const { headers, body } = parseMessage(mail.raw)
    assert.equal(headers.subject, 'Your CAF Hub account: set your password')
    assert.equal(headers.to, RECIPIENT)
    assert.match(headers['message-id'] ?? '', new RegExp(`<outbox-${row.id}@caf-hub>`))
    const link = setPasswordLink(row.body_text)
    assert.ok(body.includes(link.url), 'the body carries the link from the outbox row')
    assert.match(body, /Dear Ottoline Marsh/)
    assert.match(link.url, new RegExp(`^${t.services.config.baseUrl}/set-password/[A-Za-z0-9_-]{43}$`))

    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 2)
    assert.equal(row.last_error, null)
    assert.ok(row.sent_at instanceof Date)
    assert.match(row.delivered_as ?? '', /^smtp:250/)

    // The link in the email works.
    const visitor = new Client(t.app)
    assert.equal((await visitor.get(link.path)).statusCode, 200)

    assert.deepEqual(await deliverDueMail(t.db, smtp, FROM), { sent: 0, failed: 0 }, 'a sent message is never sent again')
    assert.equal(received().length, 1)
  })

  test('without a mail server, the file transport writes a readable .eml file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'caf-outbox-'))
    try {
      const id = await queueMail(t.db, {
        laId: null,
        to: 'file.reader@example.gov.uk',
        subject: 'A message for the files',
        text: 'Hello from the outbox.\nSecond line: café.',
      })
      const result = await deliverDueMail(t.db, fileTransport(dir), FROM)
      assert.deepEqual(result, { sent: 1, failed: 0 })
      const files = await fs.readdir(dir)
      assert.deepEqual(files, [`${String(id).padStart(6, '0')}.eml`])
      const { headers, body } = parseMessage(await fs.readFile(path.join(dir, files[0]!), 'utf8'))
      assert.equal(headers.to, 'file.reader@example.gov.uk')
      assert.equal(headers.subject, 'A message for the files')
      assert.match(headers.from ?? '', /no-reply@caf-hub\.invalid/)
      assert.equal(body.trim(), 'Hello from the outbox.\nSecond line: café.')
      const row = await t.db.selectFrom('mail_outbox').select(['status', 'delivered_as']).where('id', '=', id).executeTakeFirstOrThrow()
      assert.deepEqual(row, { status: 'sent', delivered_as: `file:${files[0]}` })
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })

  test('mail queued in a transaction that rolls back is never sent', async () => {
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await queueMail(tx, { laId: null, to: 'never@example.gov.uk', subject: 'Rolled back', text: 'This change did not happen.' })
        throw new Error('the change failed')
      }),
      /the change failed/,
    )
    assert.deepEqual(await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'never@example.gov.uk').execute(), [])

    await t.db.transaction().execute((tx) => queueMail(tx, { laId: null, to: 'kept@example.gov.uk', subject: 'Committed', text: 'This change happened.' }))
    assert.equal((await t.db.selectFrom('mail_outbox').select('id').where('to_address', '=', 'kept@example.gov.uk').execute()).length, 1)
  })
})
