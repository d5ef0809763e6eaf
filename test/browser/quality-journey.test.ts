import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, launchBrowser, signIn, startApp } from './helpers.ts'

/**
 * The hub's quality assurance in Chromium, on Demo Borough. The coordinator allocates a lead
 * professional from the desk, draws a sample (a refused form first), audits the Okafors' CAF (a refused
 * form first) and sees the audit counted on the QA page. Then, with JavaScript off, the practitioner
 * finds the feedback in "My work", reads it and acknowledges it. Every page on the way is checked with axe.
 */

let t: DemoApp
let base: string
let browser: Browser
let checkerContext: BrowserContext
let checker: AxeChecker

before(async () => {
  ;({ t, base } = await startApp())
  browser = await launchBrowser()
  checkerContext = await browser.newContext()
  checker = new AxeChecker(checkerContext)
})
after(async () => {
  await checkerContext?.close()
  await browser?.close()
  await t?.close()
})

const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => checker.go(page, label, click, arrived)
const main = (page: Page) => page.locator('main').innerText()

/** Submits a form that should be refused: 400, "Error:" in the title, the summary; then checks the page. */
async function refused(page: Page, label: string, button: string) {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()])
  await page.waitForLoadState('load')
  assert.equal(res.status(), 400)
  assert.match(await page.title(), /^Error: /)
  await checker.check(page, label)
}

async function coordinatorAllocatesDrawsAndAudits() {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await signIn(page, base, 'coordinator@demo-borough.example', t.demo.password)
    await go(
      page,
      'the no-lead queue',
      () => page.locator('main table').getByRole('link', { name: 'No lead professional', exact: true }).click(),
      (url) => url.pathname === '/desk/no-lead',
    )
    assert.match(await main(page), /Yusuf Hussain/)
    await go(
      page,
      'allocating a lead professional',
      () => page.getByRole('link', { name: 'Allocate a lead' }).first().click(),
      (url) => url.pathname.endsWith('/lead'),
    )
    await page.getByLabel('Priya Patel').check()
    const now = new Date()
    await page.getByLabel('Day').fill(String(now.getDate()))
    await page.getByLabel('Month').fill(String(now.getMonth() + 1))
    await page.getByLabel('Year').fill(String(now.getFullYear()))
    await go(
      page,
      'the Hussains’ episode, a lead asked',
      () => page.getByRole('button', { name: 'Save' }).click(),
      (url) => /^\/episodes\/\d+$/.test(url.pathname),
    )
    assert.match(await main(page), /Priya Patel/)

    await go(
      page,
      'the QA page',
      () => page.getByRole('link', { name: 'Quality assurance' }).click(),
      (url) => url.pathname === '/qa',
    )
    assert.match(await main(page), /No samples drawn yet/)
    await go(
      page,
      'drawing a sample',
      () => page.getByRole('button', { name: 'Draw a sample to audit' }).click(),
      (url) => url.pathname === '/qa/samples/new',
    )
    await page.getByLabel('How many episodes').fill('0')
    await refused(page, 'drawing a sample, refused', 'Draw the sample')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /How many episodes must be 1 or more/)
    await page.getByLabel('How many episodes').fill('5')
    await go(
      page,
      'the sample',
      () => page.getByRole('button', { name: 'Draw the sample' }).click(),
      (url) => /^\/qa\/samples\/\d+$/.test(url.pathname),
    )
    const okafors = page.locator('main table tbody tr').filter({ hasText: 'Daniel Okafor' })
    assert.equal(await okafors.count(), 1, 'the Okafors are in the sample')
    await go(
      page,
      'auditing the Okafors’ CAF',
      () => okafors.getByRole('link', { name: /^Audit it/ }).click(),
      (url) => url.pathname.endsWith('/audit'),
    )
    assert.match(await main(page), /What the record has/)
    await refused(page, 'the audit, refused', 'Save the audit and tell the practitioner')
    for (const area of ['Level of detail', 'Summary of needs', 'Strengths', 'Desired outcomes', 'Overall'])
      await page.getByRole('group', { name: area }).getByLabel('Good').check()
    await page.getByRole('group', { name: 'Risks' }).getByLabel('Satisfactory').check()
    await page.getByLabel('Feedback to the practitioner').fill('The plan follows from the needs. Say what happens if mornings do not improve.')
    await go(
      page,
      'the audit',
      () => page.getByRole('button', { name: 'Save the audit and tell the practitioner' }).click(),
      (url) => /\/audits\/\d+$/.test(url.pathname) && url.searchParams.get('done') === 'audited',
    )
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /The practitioner has been emailed/)
    await go(
      page,
      'the QA page with the audit',
      () => page.getByRole('link', { name: 'Quality assurance' }).click(),
      (url) => url.pathname === '/qa',
    )
    assert.match(await main(page), /Oakfield Primary School\s+1\s+1\s+100%/)
  } finally {
    await context.close()
  }
}

async function practitionerReadsAndAcknowledges() {
  const context = await browser.newContext({ javaScriptEnabled: false })
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    checker.withoutJavaScript(page)
    await signIn(page, base, 'practitioner@demo-borough.example', t.demo.password)
    await go(
      page,
      'My work',
      () => page.getByRole('link', { name: 'My work' }).first().click(),
      (url) => url.pathname === '/my-work',
    )
    assert.match(await main(page), /Feedback from quality audits/)
    await go(
      page,
      'the feedback',
      () => page.getByRole('link', { name: /^Daniel Okafor, Joy Okafor: audited on/ }).click(),
      (url) => /\/audits\/\d+$/.test(url.pathname),
    )
    assert.match(await main(page), /Say what happens if mornings do not improve\./)
    await page.getByLabel('Your reply (optional)').fill('Thank you. I will add what happens if nothing changes at the next review.')
    await go(
      page,
      'the feedback, acknowledged',
      () => page.getByRole('button', { name: 'I have read this feedback' }).click(),
      (url) => url.searchParams.get('done') === 'acknowledged',
    )
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /You have acknowledged this feedback/)
    assert.match(await main(page), /I will add what happens if nothing changes/)
  } finally {
    await context.close()
  }
}

test('the coordinator allocates a lead, draws a sample and audits; without JavaScript, the practitioner reads and acknowledges the feedback', async () => {
  await coordinatorAllocatesDrawsAndAudits()
  await practitionerReadsAndAcknowledges()
})
