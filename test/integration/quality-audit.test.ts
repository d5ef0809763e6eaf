import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { withdrawAgency } from '../../src/features/episodes/consent.ts'
import { checklistOf } from '../../src/features/quality/checklist.ts'
import { testApp, type TestApp } from '../helpers/app.ts'
import { textOf, type Client } from '../helpers/browser-client.ts'
import { buildEpisode } from '../helpers/factories.ts'
import { errorSummaryText, tableRows } from '../helpers/html.ts'
import { auditOverHttp, GRADES, sampleOfEverything } from '../helpers/quality.ts'
import { buildColleague, buildStaff, type Staff } from '../helpers/staff.ts'

/**
 * A quality audit from start to end: the hub audits an episode from a sample, the practitioner is told
 * (email and My work) and acknowledges the feedback, a second auditor moderates, both judgements kept.
 */

let t: TestApp
let staff: Staff
let hub: Client
let practitioner: Client
let secondAuditor: Awaited<ReturnType<typeof buildColleague>>

before(async () => {
  t = await testApp()
  staff = await buildStaff(t.db)
  hub = await staff.signIn(t.app, 'coordinator')
  practitioner = await staff.signIn(t.app, 'practitioner')
  secondAuditor = await buildColleague(t.db, t.app, staff, 'hub', { roles: ['coordinator'] })
})
after(() => t?.close())

const events = (episode: number) =>
  t.db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id as by'])
    .where('record_type', '=', 'episode')
    .where('record_id', '=', String(episode))
    .where('action', 'like', 'qa.%')
    .orderBy('id')
    .execute()

describe('auditing an episode and feeding back', () => {
  test('the audit keeps the checklist, tells the practitioner without naming the family, who reads and acknowledges it', async () => {
    const { id: episode, child, parent } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id], lead: true })
    const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
    const sampleList = await hub.get(`/qa/samples/${sample}`)
    assert.ok(sampleList.body.includes(`href="/episodes/${episode}/samples/${sample}/audit"`), 'the sample links to the audit form')

    const form = await hub.get(`/episodes/${episode}/samples/${sample}/audit`)
    const checklist = tableRows(form.body)
    assert.deepEqual(checklist[0], ['Consent recorded and clear: who gave it, how, and which agencies it names', 'Yes'])
    assert.deepEqual(checklist.at(-1), ['The family was given a copy of the assessment', 'Not due yet'])
    assert.match(textOf(form.body), /Good\s+Satisfactory\s+Poor/, 'the council’s default scale')

    const mark =
      (
        await t.db
          .selectFrom('mail_outbox')
          .select((e) => e.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0
    const audit = await auditOverHttp(hub, episode, sample)
    const saved = await t.db.selectFrom('qa_audits').selectAll().where('id', '=', audit).executeTakeFirstOrThrow()
    assert.deepEqual(saved.checklist, await checklistOf(t.db, staff.la.id, episode), 'the checklist as it stood')
    assert.equal(saved.practitioner_user_id, staff.users.practitioner.id, 'the lead professional is told')
    assert.deepEqual(saved.judgements, { detail: 'good', needs: 'good', strengths: 'satisfactory', risks: 'poor', outcomes: 'good', overall: 'good' })

    const mail = await t.db.selectFrom('mail_outbox').selectAll().where('id', '>', Number(mark)).execute()
    assert.equal(mail.length, 1)
    assert.equal(mail[0]!.to_address, staff.users.practitioner.email)
    assert.ok(mail[0]!.body_text.includes(`/episodes/${episode}/audits/${audit}`), 'the email links to the feedback')
    for (const name of [...child.name.split(' '), ...parent.name.split(' ')]) {
      assert.ok(!`${mail[0]!.subject} ${mail[0]!.body_text}`.includes(name), `the email does not say "${name}"`)
    }

    const work = textOf((await practitioner.get('/my-work')).body)
    assert.match(work, new RegExp(`Feedback from quality audits ${child.name}: audited on .* To read`))

    const page = await practitioner.get(`/episodes/${episode}/audits/${audit}`)
    assert.equal(page.statusCode, 200)
    assert.equal(page.headers['cache-control'], 'no-store')
    const text = textOf(page.body)
    assert.match(text, /The needs are clear\. Say more about the risks\./)
    assert.match(text, /Risks Poor/)
    assert.match(text, /I have read this feedback/)
    assert.doesNotMatch(text, /Moderate this audit/)

    const ack = await practitioner.post(`/episodes/${episode}/audits/${audit}/acknowledge`, { reply: 'Thank you: I will add the risks at the review.' })
    assert.equal(ack.statusCode, 303)
    const after = textOf((await practitioner.get(String(ack.headers.location))).body)
    assert.match(after, /You have acknowledged this feedback/)
    assert.match(after, /Thank you: I will add the risks at the review\./)
    assert.doesNotMatch(after, /I have read this feedback/)
    assert.match(textOf((await practitioner.get('/my-work')).body), /\(you have read it\)/)
    assert.equal((await practitioner.post(`/episodes/${episode}/audits/${audit}/acknowledge`, { reply: '' })).statusCode, 403, 'once only')

    assert.deepEqual(
      (await events(episode)).map((e) => [e.action, e.by]),
      [
        ['qa.audit-form-viewed', staff.users.coordinator.id],
        ['qa.audit-form-viewed', staff.users.coordinator.id],
        ['qa.audited', staff.users.coordinator.id],
        ['qa.audit-viewed', staff.users.practitioner.id],
        ['qa.acknowledged', staff.users.practitioner.id],
        ['qa.audit-viewed', staff.users.practitioner.id],
      ],
    )
  })

  test('a second auditor moderates: both judgements are kept and shown, once only, and never by the first auditor', async () => {
    const { id: episode } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id], lead: true })
    const audit = await auditOverHttp(hub, episode, await sampleOfEverything(t.db, staff.actor('coordinator')))
    const url = `/episodes/${episode}/audits/${audit}`
    assert.doesNotMatch(textOf((await hub.get(url)).body), /Moderate this audit/, 'not offered to the first auditor')
    assert.equal((await hub.get(`${url}/moderate`)).statusCode, 403)
    assert.equal((await practitioner.get(`${url}/moderate`)).statusCode, 403, 'nor to the practitioner')

    const second = secondAuditor.client
    assert.match(textOf((await second.get(url)).body), /Moderate this audit/)
    assert.equal((await second.get(`${url}/moderate`)).statusCode, 200)
    const res = await second.post(`${url}/moderate`, {
      detail: 'satisfactory',
      needs: 'good',
      strengths: 'satisfactory',
      risks: 'poor',
      outcomes: 'satisfactory',
      overall: 'satisfactory',
      comment: 'The outcomes describe services, not changes.',
    })
    assert.equal(res.statusCode, 303)
    const rows = tableRows((await practitioner.get(url)).body)
    assert.deepEqual(
      rows.find((r) => r[0] === 'Overall'),
      ['Overall', 'Good', 'Satisfactory'],
    )
    assert.deepEqual(
      rows.find((r) => r[0] === 'Level of detail'),
      ['Level of detail', 'Good', 'Satisfactory'],
    )
    const first = await t.db.selectFrom('qa_audits').select('judgements').where('id', '=', audit).executeTakeFirstOrThrow()
    assert.equal(first.judgements.overall, 'good', 'the first judgement is kept as it was')
    assert.match(textOf((await hub.get(url)).body), /The outcomes describe services, not changes\./)

    await second.get(url)
    assert.equal(
      (
        await second.post(`${url}/moderate`, {
          ...Object.fromEntries(['detail', 'needs', 'strengths', 'risks', 'outcomes', 'overall'].map((k) => [k, 'good'])),
          comment: 'Again',
        })
      ).statusCode,
      403,
    )
    assert.deepEqual(
      (await events(episode)).filter((e) => e.action === 'qa.moderated').map((e) => e.by),
      [secondAuditor.id],
    )
  })
})

describe('who may read an audit', () => {
  test('the hub and the practitioner it is for; another practitioner of the team gets no feedback that is not theirs', async () => {
    const { id: episode } = await buildEpisode(t.db, staff.actor('practitioner'), {
      consentedAgencies: [staff.agencies.school.id, staff.agencies.gp.id],
      lead: true,
    })
    const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
    const audit = await auditOverHttp(hub, episode, sample)
    const gp = await buildColleague(t.db, t.app, staff, 'gp')
    const res = await gp.client.get(`/episodes/${episode}/audits/${audit}`)
    assert.equal(res.statusCode, 404, 'a user of a consented agency reads the episode, not its audit')
    assert.doesNotMatch(textOf(res.body), /Say more about the risks/)
    assert.equal((await gp.client.get('/qa')).statusCode, 403)
    assert.equal((await gp.client.get(`/episodes/${episode}/samples/${sample}/audit`)).statusCode, 403, 'nor audit it')
    const manager = await staff.signIn(t.app, 'manager')
    assert.equal((await manager.get('/qa')).statusCode, 403)
  })

  test('a practitioner who can no longer open the episode loses its feedback from My work, names and all', async () => {
    const { id: episode, child } = await buildEpisode(t.db, staff.actor('practitioner'), {
      consentedAgencies: [staff.agencies.school.id, staff.agencies.gp.id],
      lead: true,
    })
    const audit = await auditOverHttp(hub, episode, await sampleOfEverything(t.db, staff.actor('coordinator')))
    assert.match(textOf((await practitioner.get('/my-work')).body), new RegExp(child.name))
    assert.equal(await withdrawAgency(t.db, staff.actor('coordinator'), episode, staff.agencies.school.id, 'The family asked the school to stop'), true)
    assert.doesNotMatch(textOf((await practitioner.get('/my-work')).body), new RegExp(child.name))
    assert.equal((await practitioner.get(`/episodes/${episode}/audits/${audit}`)).statusCode, 404)
  })

  test('an audit is only ever found at its own episode’s address, and unknown ones are not found', async () => {
    const me = staff.actor('practitioner')
    const [first, second] = [
      await buildEpisode(t.db, me, { consentedAgencies: [staff.agencies.school.id], lead: true }),
      await buildEpisode(t.db, me, { consentedAgencies: [staff.agencies.school.id], lead: true }),
    ]
    const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
    const audit = await auditOverHttp(hub, first.id, sample)
    assert.equal((await practitioner.get(`/episodes/${second.id}/audits/${audit}`)).statusCode, 404)
    await practitioner.get(`/episodes/${first.id}/audits/${audit}`)
    assert.equal((await practitioner.post(`/episodes/${second.id}/audits/${audit}/acknowledge`, { reply: 'Through the wrong door' })).statusCode, 404)
    const kept = await t.db.selectFrom('qa_audits').select(['acknowledged_at', 'reply']).where('id', '=', audit).executeTakeFirstOrThrow()
    assert.deepEqual(kept, { acknowledged_at: null, reply: null })
    await secondAuditor.client.get(`/episodes/${first.id}/audits/${audit}`)
    assert.equal((await secondAuditor.client.post(`/episodes/${second.id}/audits/${audit}/moderate`, { ...GRADES, comment: 'Wrong door' })).statusCode, 404)
    assert.equal((await hub.get('/qa/samples/999999')).statusCode, 404)
    assert.equal((await hub.get(`/episodes/${second.id}/samples/999999/audit`)).statusCode, 404)
  })

  test('the hub does not audit its own work', async () => {
    const coordinator = staff.actor('coordinator')
    const { id: episode } = await buildEpisode(t.db, coordinator, { consentedAgencies: [staff.agencies.hub.id], lead: true })
    const sample = await sampleOfEverything(t.db, coordinator)
    assert.equal((await hub.get(`/episodes/${episode}/samples/${sample}/audit`)).statusCode, 403, 'the coordinator leads it')
    await secondAuditor.client.get(`/episodes/${episode}/samples/${sample}/audit`)
    const audit = await auditOverHttp(secondAuditor.client, episode, sample)
    assert.equal((await hub.get(`/episodes/${episode}/audits/${audit}/moderate`)).statusCode, 403, 'nor moderates an audit of it')
  })
})

describe('two auditors at once', () => {
  test('the second to save is told, keeps their answers, and nothing of theirs is saved or sent', async () => {
    const { id: episode } = await buildEpisode(t.db, staff.actor('practitioner'), { consentedAgencies: [staff.agencies.school.id], lead: true })
    const sample = await sampleOfEverything(t.db, staff.actor('coordinator'))
    const url = `/episodes/${episode}/samples/${sample}/audit`
    await secondAuditor.client.get(url)
    const audit = await auditOverHttp(hub, episode, sample)
    const mails = await t.db.selectFrom('mail_outbox').select('id').execute()
    const late = await secondAuditor.client.post(url, { ...GRADES, feedback: 'My own view of it' })
    assert.equal(late.statusCode, 400)
    assert.match(errorSummaryText(late.body), /Someone else in the hub audited this episode while you had the form open/)
    assert.match(late.body, /My own view of it/)
    assert.ok(late.body.includes(`href="/episodes/${episode}/audits/${audit}"`), 'a link to the audit that was saved')
    assert.equal((await t.db.selectFrom('qa_audits').select('id').where('episode_id', '=', episode).execute()).length, 1)
    assert.equal((await t.db.selectFrom('mail_outbox').select('id').execute()).length, mails.length)
  })
})
