import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { reopenEpisode } from '../../src/features/closure/use-cases.ts'
import { acceptLead } from '../../src/features/episodes/lead.ts'
import { exportedFile, importFile } from '../../src/features/transfers/files.ts'
import { publicKeyOf, signDocument, TransferFileRefused, trustCouncil } from '../../src/features/transfers/signing.ts'
import { decideTransfer, requestTransfer, TransferRefused, type TransferInput } from '../../src/features/transfers/transfers.ts'
import type { TransferDocument } from '../../src/features/transfers/document.ts'
import { today } from '../../src/web/dates.ts'
import { Forbidden, NotFound } from '../../src/web/outcome.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * A family moving council: within this installation the receiving hub accepts (a new episode continues
 * the work with the family's history) or declines; to another installation, a signed file whose
 * signature and shape the receiving installation checks before it imports.
 */

let t: TestApp
let from: Staff
let to: Staff
before(async () => {
  t = await testApp()
  from = await buildStaff(t.db)
  to = await buildStaff(t.db)
})
after(() => t?.close())

const URL = 'https://caf.example'
const codeOf = async (laId: number) => (await t.db.selectFrom('local_authorities').select('code').where('id', '=', laId).executeTakeFirstOrThrow()).code

/** A family CAF with a plan, led by the sending council's practitioner; consent to move given by the mother. */
async function moving() {
  const built = await buildEpisode(t.db, from.actor('practitioner'), { consentedAgencies: [from.agencies.school.id], lead: true })
  await planAction(t.db, from.actor('practitioner'), built.id)
  const input: TransferInput = {
    toLaId: to.la.id,
    toName: null,
    reason: 'The family moved in with the children’s grandmother; the school place starts on Monday.',
    movedOn: today(),
    giverId: built.parent.id,
    giverRole: 'parent-with-pr',
    method: 'written',
    givenOn: today(),
  }
  return { ...built, input }
}
const episodeRow = (id: number) =>
  t.db.selectFrom('episodes').select(['la_id', 'status', 'closed_reason', 'origin', 'need_level']).where('id', '=', id).executeTakeFirstOrThrow()
const chain = (laId: number, action: string) =>
  t.db
    .selectFrom('audit_events')
    .select(['action', 'record_type', 'record_id'])
    .where('la_id', '=', laId)
    .where('action', '=', action as never)
    .execute()

describe('a transfer within this installation', () => {
  test('the receiving hub accepts, allocating a lead: the family arrives with its history, the sending episode closes as transferred, and both chains record it', async () => {
    const { id, child, parent, input } = await moving()
    const transfer = await requestTransfer(t.db, from.actor('practitioner'), id, input, URL)
    assert.equal((await episodeRow(id)).status, 'plan-active', 'open until the family is taken on')
    assert.equal((await chain(to.la.id, 'transfer.sent')).length, 1, 'the receiving chain records the arrival')

    const arrived = (await decideTransfer(t.db, to.actor('coordinator'), transfer, { accept: true, leadUserId: to.users.practitioner.id }, URL))!
    const sent = await episodeRow(id)
    assert.deepEqual([sent.status, sent.closed_reason], ['closed', 'moved'])
    const fresh = await episodeRow(arrived)
    assert.deepEqual([fresh.la_id, fresh.status, fresh.origin, fresh.need_level], [to.la.id, 'assessment', 'transfer', '3'])
    const people = await t.db
      .selectFrom('episode_people as ep')
      .innerJoin('people as p', 'p.id', 'ep.person_id')
      .select(['p.given_name', 'p.family_name', 'p.la_id', 'ep.role'])
      .where('ep.episode_id', '=', arrived)
      .execute()
    assert.deepEqual(people.map((p) => `${p.given_name} ${p.family_name}`).sort(), [child.name, parent.name].sort())
    assert.ok(
      people.every((p) => p.la_id === to.la.id),
      'on the receiving council’s register',
    )
    const consent = await t.db.selectFrom('consents').select(['decision', 'method']).where('episode_id', '=', arrived).execute()
    assert.deepEqual(consent, [{ decision: 'given', method: 'written' }])
    await acceptLead(t.db, to.actor('practitioner'), arrived)

    // The new lead reads the history; the sending lead keeps a read-only record of what was sent.
    const receiving = await to.signIn(t.app, 'practitioner')
    const history = textOf((await receiving.get(`/episodes/${arrived}/arrival`)).body)
    assert.match(history, /The family moved in with the children’s grandmother/)
    assert.match(history, /The plan/)
    const sending = await from.signIn(t.app, 'practitioner')
    const record = textOf((await sending.get(`/transfers/${transfer}`)).body)
    assert.match(record, new RegExp(`Accepted by ${to.la.name}`))
    assert.equal((await chain(from.la.id, 'transfer.accepted')).length, 1, 'the sending chain records it')
    assert.equal(
      await reopenEpisode(t.db, from.actor('practitioner'), id, 'They came back'),
      'handed-over',
      'the sending episode cannot reopen: the family is the other council’s',
    )
    assert.equal((await chain(to.la.id, 'transfer.accepted')).length, 1, 'the receiving chain records it')
  })

  test('declined with a reason: the sending episode carries on, and its lead reads why', async () => {
    const { id, input } = await moving()
    const transfer = await requestTransfer(t.db, from.actor('practitioner'), id, input, URL)
    await decideTransfer(t.db, to.actor('coordinator'), transfer, { accept: false, reason: 'The family is not on our register at that address' }, URL)
    assert.equal((await episodeRow(id)).status, 'plan-active')
    const sending = await from.signIn(t.app, 'practitioner')
    assert.match(textOf((await sending.get(`/transfers/${transfer}`)).body), /The family is not on our register at that address/)
  })

  test('only the receiving hub decides; the sending hub and the receiving practitioner do not; a third council sees nothing', async () => {
    const { id, input } = await moving()
    const transfer = await requestTransfer(t.db, from.actor('practitioner'), id, input, URL)
    const ACCEPT = { accept: true as const, leadUserId: to.users.practitioner.id }
    await assert.rejects(decideTransfer(t.db, from.actor('coordinator'), transfer, ACCEPT, URL), Forbidden)
    await assert.rejects(decideTransfer(t.db, to.actor('practitioner'), transfer, ACCEPT, URL), NotFound)
    const third = await buildStaff(t.db)
    await assert.rejects(decideTransfer(t.db, third.actor('coordinator'), transfer, ACCEPT, URL), NotFound)
    await assert.rejects(
      requestTransfer(t.db, from.actor('practitioner'), id, input, URL),
      (e: unknown) => e instanceof TransferRefused && /already waiting/.test(e.errors.form!),
      'one waits at a time',
    )
  })

  test('refuses a consent giver not in the episode, and a council that is the sending one', async () => {
    const { id, input, child } = await moving()
    await assert.rejects(requestTransfer(t.db, from.actor('practitioner'), id, { ...input, giverId: 999_999 }, URL), TransferRefused)
    await assert.rejects(requestTransfer(t.db, from.actor('practitioner'), id, { ...input, toLaId: from.la.id }, URL), TransferRefused)
    await assert.rejects(
      requestTransfer(t.db, from.actor('practitioner'), id, { ...input, giverId: child.id }, URL),
      TransferRefused,
      'a child gives consent as the young person',
    )
  })
})

describe('a transfer to another installation: the signed file', () => {
  /** Exports a transfer of a new family from the sending council as a file; returns its text and episode. */
  async function exported() {
    const { id, input } = await moving()
    const transfer = await requestTransfer(
      t.db,
      from.actor('practitioner'),
      id,
      { ...input, toLaId: null, toName: 'Elsewhere Borough', toCode: await codeOf(to.la.id) },
      URL,
    )
    assert.deepEqual([(await episodeRow(id)).status, (await episodeRow(id)).closed_reason], ['closed', 'moved'], 'closed as transferred once the file is made')
    return (await exportedFile(t.db, from.actor('practitioner'), transfer))!.text
  }
  const trustSender = async () =>
    trustCouncil(t.db, to.la.id, to.users.admin.id, {
      code: (await t.db.selectFrom('local_authorities').select('code').where('id', '=', from.la.id).executeTakeFirstOrThrow()).code,
      name: from.la.name,
      jwk: await publicKeyOf(t.db, from.la.id),
    })
  const refusedWith = (pattern: RegExp) => (e: unknown) => e instanceof TransferFileRefused && pattern.test(e.message)

  test('round trip between two councils with different keys: the receiving hub imports it and the family arrives', async () => {
    await trustSender()
    assert.notDeepEqual(await publicKeyOf(t.db, from.la.id), await publicKeyOf(t.db, to.la.id), 'each council has its own key')
    const text = await exported()
    const arrived = await importFile(t.db, to.actor('coordinator'), text, to.users.practitioner.id)
    assert.equal((await episodeRow(arrived)).origin, 'transfer')
    const document = JSON.parse(Buffer.from(JSON.parse(text).payload, 'base64url').toString('utf8')) as TransferDocument
    assert.equal(Buffer.from(document.pdf, 'base64').subarray(0, 5).toString(), '%PDF-', 'the PDF travels inside the signed document')
    await assert.rejects(importFile(t.db, to.actor('coordinator'), text, to.users.practitioner.id), TransferRefused, 'imported once')
  })

  test('a file signed with a key the council has not added is refused', async () => {
    const text = await exported()
    const stranger = await buildStaff(t.db)
    await assert.rejects(
      importFile(t.db, stranger.actor('coordinator'), text, stranger.users.practitioner.id),
      refusedWith(/signed with a key this council has not added/),
    )
  })

  test('a file sent to another council is refused by this one, even though it trusts the sender', async () => {
    const text = await exported()
    const other = await buildStaff(t.db)
    await trustCouncil(t.db, other.la.id, other.users.admin.id, {
      code: await codeOf(from.la.id),
      name: from.la.name,
      jwk: await publicKeyOf(t.db, from.la.id),
    })
    await assert.rejects(
      importFile(t.db, other.actor('coordinator'), text, other.users.practitioner.id),
      refusedWith(/This file was sent to Elsewhere Borough .*, not to this council/),
    )
  })

  test('one edited byte breaks the signature', async () => {
    await trustSender()
    const jws = JSON.parse(await exported())
    const payload = Buffer.from(jws.payload, 'base64url').toString('utf8').replace('grandmother', 'grandfather')
    const edited = JSON.stringify({ ...jws, payload: Buffer.from(payload).toString('base64url') })
    await assert.rejects(importFile(t.db, to.actor('coordinator'), edited, to.users.practitioner.id), refusedWith(/The signature does not match/))
  })

  test('a signed document of the wrong shape, and a file that is not signed, are refused', async () => {
    await trustSender()
    const text = await exported()
    const document = JSON.parse(Buffer.from(JSON.parse(text).payload, 'base64url').toString('utf8')) as Record<string, unknown>
    const wrong = await signDocument(t.db, from.la.id, { ...document, package: { ...(document.package as object), people: [] } } as unknown as TransferDocument)
    await assert.rejects(
      importFile(t.db, to.actor('coordinator'), wrong, to.users.practitioner.id),
      refusedWith(/not a transfer package this version of CAF Hub can read \(\/package\/people/),
    )
    await assert.rejects(
      importFile(t.db, to.actor('coordinator'), JSON.stringify(document), to.users.practitioner.id),
      refusedWith(/not a signed CAF Hub transfer package/),
    )
    await assert.rejects(
      importFile(t.db, to.actor('coordinator'), 'not json at all', to.users.practitioner.id),
      refusedWith(/not a signed CAF Hub transfer package/),
    )
    const refusals = await sql<{
      n: number
    }>`select count(*)::int as n from audit_events where la_id = ${to.la.id} and action = 'transfer.import-refused'`.execute(t.db)
    assert.ok(refusals.rows[0]!.n >= 3, 'each refusal is audited')
  })
})
