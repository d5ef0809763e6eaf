import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { demoApp, type DemoApp } from '../helpers/app.ts'
import { schemaProblems } from '../helpers/annex-a-schema.ts'
import { Client } from '../helpers/browser-client.ts'
import { tableRows } from '../helpers/html.ts'
import { dateParts, today } from '../../src/web/dates.ts'
import { REPORTS } from '../../src/features/reports/reports.ts'

/**
 * What issue 14 promises of the demo: the hub, the data team and a manager read the reports over the
 * demo's episodes, and Demo Borough's Annex A list 2 validates against Ofsted's schema file.
 */

let t: DemoApp
before(async () => {
  t = await demoApp()
})
after(() => t?.close())

async function signedIn(email: string) {
  const client = new Client(t.app)
  await client.signIn(email, t.demo.password)
  return client
}

/** The summary of this financial year's episodes, as the page shows it. */
async function summary(client: Client) {
  const page = await client.get('/reports/episodes')
  assert.equal(page.statusCode, 200)
  return { page: page.body, counts: Object.fromEntries(tableRows(page.body, 'Episodes in the period: the numbers').map(([what, n]) => [what, Number(n)])) }
}

test('the hub and the data team count the whole council’s episodes, with the rate per 10,000 children against the target', async () => {
  for (const email of ['coordinator@demo-borough.example', 'data@demo-borough.example']) {
    const { page, counts } = await summary(await signedIn(email))
    assert.ok(counts['Episodes started']! >= 10, `${email}: the demo's episodes this financial year (${counts['Episodes started']})`)
    assert.ok(counts['Open at the end']! > counts['Closed']!, 'most demo families are still being helped')
    const [rate] = tableRows(page, 'Assessments started per 10,000 children: the numbers')
    assert.equal(rate![1], '53,120', 'the population of the year the period starts')
    assert.equal(rate![3], '60.0', 'the target for the year')
  }
})

test('the manager counts only the early help team’s work, fewer than the council’s', async () => {
  const council = (await summary(await signedIn('coordinator@demo-borough.example'))).counts
  const { page, counts } = await summary(await signedIn('manager@demo-borough.example'))
  assert.match(page, /Counting the episodes of /)
  assert.ok(counts['Episodes started']! < council['Episodes started']!, `${counts['Episodes started']} of ${council['Episodes started']}`)
})

test('Demo Borough’s Annex A list 2, downloaded by the data team, validates against Ofsted’s schema', async () => {
  const data = await signedIn('data@demo-borough.example')
  const date = new URLSearchParams(dateParts(today(), 'date')).toString()
  const res = await data.get(`/reports/annex-a/list-2?${date}&format=csv`)
  assert.equal(res.statusCode, 200)
  const [headers, ...rows] = parse(res.body) as string[][]
  assert.ok(rows.length >= 5, `the demo's assessments (${rows.length})`)
  assert.deepEqual(schemaProblems('list_2', headers!, rows, ['Child Unique ID', 'Assessment start date']), [])
})

test('the hub and the manager open every report over the demo’s episodes, each with its figures', async () => {
  for (const email of ['coordinator@demo-borough.example', 'manager@demo-borough.example']) {
    const client = await signedIn(email)
    const index = await client.get('/reports')
    for (const report of REPORTS) {
      assert.match(index.body, new RegExp(`href="/reports/${report.key}"`), `${email}: the list of reports links to ${report.key}`)
      const res = await client.get(`/reports/${report.key}`)
      assert.equal(res.statusCode, 200, `${email}: ${report.key}`)
      assert.ok((res.body.match(/<table/g) ?? []).length > 0, `${email}: ${report.key} shows its tables`)
    }
  }
  const hub = await signedIn('coordinator@demo-borough.example')
  const costs = await hub.get('/reports/costs')
  const [, , all] = tableRows(costs.body, 'Estimated cost of the episodes that closed: the numbers')
  assert.match(all![1]!, /^£[1-9]/, 'the demo’s closed episodes have an estimated cost')
  assert.ok(tableRows(costs.body, 'Beside the costs early help aims to avoid: the numbers').length === 3)
})
