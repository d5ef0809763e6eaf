import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { publicKeyOf } from '../../src/features/transfers/signing.ts'
import { exportedFile } from '../../src/features/transfers/files.ts'
import { requestTransfer, type TransferInput } from '../../src/features/transfers/transfers.ts'
import { addDays, today } from '../../src/web/dates.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { planAction } from '../helpers/services.ts'
import { buildStaff, type Staff } from '../helpers/staff.ts'

/** The transfer forms refuse hostile input with the error summary, keep what was typed, and change nothing; then the journey works. */

let t: TestApp
let from: Staff
let to: Staff
before(async () => {
  t = await testApp()
  from = await buildStaff(t.db)
  to = await buildStaff(t.db)
})
after(() => t?.close())

const day = (prefix: string, iso: string) => ({
  [`${prefix}-day`]: String(Number(iso.slice(8))),
  [`${prefix}-month`]: String(Number(iso.slice(5, 7))),
  [`${prefix}-year`]: iso.slice(0, 4),
})

async function moving() {
  const built = await buildEpisode(t.db, from.actor('practitioner'), { consentedAgencies: [from.agencies.school.id], lead: true })
  await planAction(t.db, from.actor('practitioner'), built.id)
  return built
}
const transfersOf = (episode: number) => t.db.selectFrom('transfers').select('id').where('episode_id', '=', episode).execute()

describe('the transfer form', () => {
  test('refuses hostile or missing answers, keeps what was typed, and sends nothing; then sends', async () => {
    const { id, parent, child } = await moving()
    const client = await from.signIn(t.app, 'practitioner')
    const good = {
      to: String(to.la.id),
      toName: '',
      toCode: '',
      reason: 'Moving to be near the grandparents',
      ...day('moved', today()),
      giverId: String(parent.id),
      giverRole: 'parent-with-pr',
      method: 'verbal',
      ...day('given', today()),
    }
    const cases: [Record<string, string>, string][] = [
      [{ ...good, to: '' }, '#to'],
      [{ ...good, to: String(from.la.id) }, '#to'],
      [{ ...good, to: '99999999' }, '#to'],
      [{ ...good, to: 'elsewhere', toName: '' }, '#toName'],
      [{ ...good, to: 'elsewhere', toName: 'Away', toCode: 'not a code!' }, '#toCode'],
      [{ ...good, reason: '' }, '#reason'],
      [{ ...good, ...day('moved', addDays(today(), 400)) }, '#moved-day'],
      [{ ...good, giverId: '999999' }, '#giverId'],
      [{ ...good, giverId: String(child.id) }, '#giverRole'],
      [{ ...good, ...day('given', addDays(today(), 1)) }, '#given-day'],
      [{ ...good, method: 'telepathy' }, '#method'],
      [{ ...good, extra: 'x' }, '#main-content'],
    ]
    for (const [body, href] of cases) {
      await client.get(`/episodes/${id}/transfer`)
      const res = await client.post(`/episodes/${id}/transfer`, body)
      assert.equal(res.statusCode, 400, `${href} ${JSON.stringify(body).slice(0, 60)}`)
      assert.deepEqual(errorSummaryHrefs(res.body), [href], JSON.stringify(body).slice(0, 80))
      if (body.reason) assert.match(res.body, /Moving to be near the grandparents/)
    }
    assert.equal((await transfersOf(id)).length, 0, 'nothing sent')
    await client.get(`/episodes/${id}/transfer`)
    const sent = await client.post(`/episodes/${id}/transfer`, good)
    assert.equal(sent.statusCode, 303)
    assert.match(textOf((await client.get(sent.headers.location as string)).body), /Waiting for the receiving council/)
  })
})

describe('the receiving hub', () => {
  test('the decision refuses a missing choice, a lead not of its council, and a decline without a reason; then accepts', async () => {
    const { id, parent } = await moving()
    const input: TransferInput = {
      toLaId: to.la.id,
      toName: null,
      reason: 'Moving',
      movedOn: today(),
      giverId: parent.id,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
    }
    const transfer = await requestTransfer(t.db, from.actor('practitioner'), id, input, '')
    const hub = await to.signIn(t.app, 'coordinator')
    const cases: [Record<string, string>, string][] = [
      [{}, '#decision'],
      [{ decision: 'accept', lead: '' }, '#lead'],
      [{ decision: 'accept', lead: String(from.users.practitioner.id) }, '#lead'],
      [{ decision: 'accept', lead: 'abc' }, '#lead'],
      [{ decision: 'decline', declineReason: '' }, '#declineReason'],
    ]
    for (const [body, href] of cases) {
      await hub.get(`/transfers/${transfer}`)
      const res = await hub.post(`/transfers/${transfer}/decision`, body)
      assert.equal(res.statusCode, 400, JSON.stringify(body))
      assert.deepEqual(errorSummaryHrefs(res.body), [href], JSON.stringify(body))
    }
    assert.equal((await t.db.selectFrom('transfers').select('status').where('id', '=', transfer).executeTakeFirstOrThrow()).status, 'waiting')
    await hub.get(`/transfers/${transfer}`)
    const accepted = await hub.post(`/transfers/${transfer}/decision`, { decision: 'accept', lead: String(to.users.practitioner.id) })
    assert.equal(accepted.statusCode, 303)
    assert.equal((await t.db.selectFrom('transfers').select('status').where('id', '=', transfer).executeTakeFirstOrThrow()).status, 'accepted')
  })

  test('the import refuses no file, an unsigned file and a file from a council it has not added, with a clear message; nothing arrives', async () => {
    const { id, parent } = await moving()
    const toCode = (await t.db.selectFrom('local_authorities').select('code').where('id', '=', to.la.id).executeTakeFirstOrThrow()).code
    const input: TransferInput = {
      toLaId: null,
      toName: 'Away',
      toCode,
      reason: 'Moving',
      movedOn: today(),
      giverId: parent.id,
      giverRole: 'parent-with-pr',
      method: 'written',
      givenOn: today(),
    }
    const transfer = await requestTransfer(t.db, from.actor('practitioner'), id, input, '')
    const file = (await exportedFile(t.db, from.actor('practitioner'), transfer))!.text
    const hub = await to.signIn(t.app, 'coordinator')
    const lead = String(to.users.practitioner.id)
    const episodes = async () => (await t.db.selectFrom('episodes').select('id').where('la_id', '=', to.la.id).execute()).length
    const before = await episodes()
    const cases: [Record<string, string>, { field: string; name: string; content: string } | null, string, RegExp][] = [
      [{ lead }, null, '#file', /Choose the transfer file to import/],
      [{ lead }, { field: 'file', name: 'x.json', content: '{"hello": "world"}' }, '#file', /not a signed CAF Hub transfer package/],
      [{ lead }, { field: 'file', name: 't.jws.json', content: file }, '#file', /signed with a key this council has not added/],
      [{ lead: '' }, { field: 'file', name: 't.jws.json', content: file }, '#lead', /Select a lead professional/],
    ]
    for (const [fields, upload, href, message] of cases) {
      await hub.get('/transfers')
      const res = await hub.postFile('/transfers/import', fields, upload)
      assert.equal(res.statusCode, 400, href)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
      assert.match(errorSummaryText(res.body), message)
    }
    assert.equal(await episodes(), before, 'nothing arrived')

    // The administrator adds the sending council's key; the same file then imports.
    const admin = await to.signIn(t.app, 'admin')
    const code = (await t.db.selectFrom('local_authorities').select('code').where('id', '=', from.la.id).executeTakeFirstOrThrow()).code
    for (const [body, href] of [
      [{ code: 'E0 9!', name: 'X', key: '{}' }, '#code'],
      [{ code, name: from.la.name, key: 'not a key' }, '#key'],
      [{ code, name: from.la.name, key: JSON.stringify({ ...(await publicKeyOf(t.db, from.la.id)), d: 'secret' }) }, '#key'],
    ] as const) {
      await admin.get('/admin/transfer-keys')
      const res = await admin.post('/admin/transfer-keys', body)
      assert.equal(res.statusCode, 400)
      assert.deepEqual(errorSummaryHrefs(res.body), [href])
    }
    await admin.get('/admin/transfer-keys')
    const added = await admin.post('/admin/transfer-keys', { code, name: from.la.name, key: JSON.stringify(await publicKeyOf(t.db, from.la.id)) })
    assert.equal(added.statusCode, 303)
    await hub.get('/transfers')
    const imported = await hub.postFile('/transfers/import', { lead }, { field: 'file', name: 't.jws.json', content: file })
    assert.equal(imported.statusCode, 303)
    assert.match(imported.headers.location as string, /^\/episodes\/\d+\?done=arrived$/)
    const arrival = textOf((await hub.get((imported.headers.location as string).replace('?done=arrived', '/arrival'))).body)
    assert.match(arrival, new RegExp(`Arrived from ${from.la.name}`))
  })
})
