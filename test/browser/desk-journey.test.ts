import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, launchBrowser, signIn, startApp, visit } from './helpers.ts'

/**
 * The hub's desk in Chromium, on Demo Borough: the coordinator signs in to the desk, opens a queue,
 * filters it, follows up an intention (a refused form first) and adds a note to an overdue action's
 * family. Then, with JavaScript off, a practitioner goes from "My work" to their overdue review and
 * adds a note by plain form posts. Every page on the way is checked with axe.
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

const axe = (page: Page, label: string) => checker.check(page, label)
const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => checker.go(page, label, click, arrived)
const h1 = async (page: Page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim()
const main = (page: Page) => page.locator('main').innerText()
const queueLink = (page: Page, title: string) => page.locator('main table').getByRole('link', { name: title, exact: true })

test('the coordinator works the hub’s desk: a queue, its filter, a follow-up and a note', async () => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await signIn(page, base, 'coordinator@demo-borough.example', t.demo.password)
    assert.equal(new URL(page.url()).pathname, '/desk', 'the coordinator’s home is the desk')
    assert.equal(await h1(page), 'The hub’s desk')
    await axe(page, 'the hub’s desk')

    await go(
      page,
      'the intentions queue',
      () => queueLink(page, 'Intentions to follow up').click(),
      (url) => url.pathname === '/desk/intentions',
    )
    assert.match(await main(page), /1 item/)
    const locality = page.getByLabel('Locality')
    const firstLocality = await locality.locator('option').nth(1).innerText()
    await locality.selectOption({ label: firstLocality })
    await go(
      page,
      'the intentions queue, filtered by locality',
      () => page.getByRole('button', { name: 'Show' }).click(),
      (url) => url.searchParams.has('locality'),
    )
    assert.equal(await page.getByLabel('Locality').locator('option:checked').innerText(), firstLocality, 'the filter stays chosen')
    // "All queues" keeps the filter; the whole council's list again:
    await visit(page, base, '/desk/intentions')
    await go(
      page,
      'the follow-up form',
      () => page.getByRole('link', { name: 'Record a follow-up' }).first().click(),
      (url) => url.pathname.endsWith('/intention/follow-up'),
    )
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save the follow-up' }).click(),
    ])
    await page.waitForLoadState('load')
    assert.equal(refused.status(), 400)
    assert.match(await page.title(), /^Error: /)
    await axe(page, 'the follow-up form, refused')
    await page.getByLabel('Still intended: the assessment will go ahead').check()
    await go(
      page,
      'the intentions queue after the follow-up',
      () => page.getByRole('button', { name: 'Save the follow-up' }).click(),
      (url) => url.pathname === '/desk/intentions' && url.searchParams.get('done') === 'follow-up',
    )
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Follow-up recorded/)
    assert.match(await main(page), /Nothing is waiting in this queue/)

    await go(
      page,
      'the desk',
      () => page.getByRole('link', { name: 'All queues' }).click(),
      (url) => url.pathname === '/desk',
    )
    await go(
      page,
      'the overdue actions queue',
      () => queueLink(page, 'Actions overdue').click(),
      (url) => url.pathname === '/desk/actions-overdue',
    )
    await go(
      page,
      'the note form',
      () => page.getByRole('link', { name: 'Add a note' }).first().click(),
      (url) => url.pathname.endsWith('/notes/new'),
    )
    await page.getByLabel('Note').fill('Spoke to the lead professional: the action is now booked for next week.')
    await go(
      page,
      'the overdue actions queue after the note',
      () => page.getByRole('button', { name: 'Save the note' }).click(),
      (url) => url.pathname === '/desk/actions-overdue' && url.searchParams.get('done') === 'note',
    )
    await go(
      page,
      'the family’s episode',
      () => page.locator('main table').getByRole('link').first().click(),
      (url) => /^\/episodes\/\d+$/.test(url.pathname),
    )
    assert.match(await main(page), /Spoke to the lead professional: the action is now booked for next week\./)
  } finally {
    await context.close()
  }
})

test('without JavaScript: a practitioner goes from My work to an overdue review and adds a note', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    checker.withoutJavaScript(page)
    await signIn(page, base, 'practitioner@demo-borough.example', t.demo.password)
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'JavaScript should really be off')
    await go(
      page,
      'My work',
      () => page.getByRole('link', { name: 'My work' }).first().click(),
      (url) => url.pathname === '/my-work',
    )
    await go(
      page,
      'my overdue reviews',
      () => page.getByRole('link', { name: /^Reviews overdue: \d+$/ }).click(),
      (url) => url.pathname === '/desk/reviews-overdue' && url.searchParams.get('for') === 'mine',
    )
    assert.match(await main(page), /days? overdue/)
    await go(
      page,
      'the note form',
      () => page.getByRole('link', { name: 'Add a note' }).first().click(),
      (url) => url.pathname.endsWith('/notes/new'),
    )
    await go(
      page,
      'the note form, refused',
      () => page.getByRole('button', { name: 'Save the note' }).click(),
      (url) => url.pathname.endsWith('/notes/new'),
    )
    assert.match(await page.title(), /^Error: /)
    await page.getByLabel('Note').fill('The review is booked with the family for Thursday.')
    await go(
      page,
      'my overdue reviews after the note',
      () => page.getByRole('button', { name: 'Save the note' }).click(),
      (url) => url.pathname === '/desk/reviews-overdue' && url.searchParams.get('done') === 'note',
    )
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Note added/)
  } finally {
    await context.close()
  }
})
