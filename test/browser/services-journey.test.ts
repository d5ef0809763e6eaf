import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, buttonIn as button, Journey, launchBrowser, linkIn as link, mainText as main, startApp } from './helpers.ts'

/**
 * Services, signposting and the panel in Chromium, on Demo Borough, every page checked with axe:
 * - Priya refers the Okafors from their plan to family support; Tom, at the charity, accepts and starts it;
 * - with JavaScript off, Priya signposts Minh Anh Nguyễn; the hub passes it on, then starts a CAF from
 *   John Smith's request, unmet after nine weeks, with the need and the consent carried across;
 * - Priya takes the Okafors to panel; the hub puts them on the next agenda, publishes it and records
 *   the decision; Priya reads it on the episode.
 * Each form is refused once first.
 */

let t: DemoApp
let base: string
let browser: Browser
let checkerContext: BrowserContext
let journey: Journey

before(async () => {
  ;({ t, base } = await startApp())
  browser = await launchBrowser()
  checkerContext = await browser.newContext()
  journey = new Journey(browser, new AxeChecker(checkerContext), base, t.demo.password)
})
after(async () => {
  await checkerContext?.close()
  await browser?.close()
  await t?.close()
})

const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => journey.go(page, label, click, arrived)
const refused = (page: Page, label: string, name: string) => journey.refused(page, label, name)
const as = <T>(email: string, work: (page: Page) => Promise<T>, opts: { javaScript?: boolean } = {}) => journey.as(email, work, opts)

/** Finds a child from the search and opens their record. */
async function findChild(page: Page, name: string) {
  await page.goto(`${base}/people?q=${encodeURIComponent(name)}`)
  await journey.checker.check(page, `the search for ${name}`)
  await go(
    page,
    `${name}’s record`,
    () => page.locator('main table').getByRole('link', { name, exact: true }).click(),
    (url) => /^\/people\/\d+$/.test(url.pathname),
  )
}

async function openOkafors(page: Page) {
  await findChild(page, 'Daniel Okafor')
  await go(page, 'the Okafors’ episode', link(page, /^CAF episode \d+$/), (url) => /^\/episodes\/\d+$/.test(url.pathname))
}

test('a practitioner refers from the plan; the provider accepts and starts it', async () => {
  const referral = await as('practitioner@demo-borough.example', async (page) => {
    await openOkafors(page)
    await go(page, 'the plan', link(page, 'The plan'), (url) => url.pathname.endsWith('/plan'))
    await go(page, 'referring to a service', link(page, /Refer to a service/), (url) => url.pathname.endsWith('/refer'))
    await refused(page, 'the referral with no service chosen', 'Make the referral')
    await page.getByLabel('Families Together family support').check()
    await page.getByLabel('Daniel Okafor').check()
    await go(page, 'the referral made', button(page, 'Make the referral'), (url) => /\/referrals\/\d+$/.test(url.pathname))
    assert.match(await main(page), /Referral made/)
    return new URL(page.url()).pathname
  })
  await as('family-support@demo-borough.example', async (page) => {
    await go(
      page,
      'the directory',
      () => page.getByRole('link', { name: 'Services', exact: true }).click(),
      (url) => url.pathname === '/services',
    )
    await go(page, 'referrals to our services', link(page, 'Referrals to your agency’s services'), (url) => url.pathname === '/referrals')
    await go(
      page,
      'the Okafors’ referral',
      () => page.locator(`main a[href="${referral}"]`).click(),
      (url) => url.pathname === referral,
    )
    await page.getByLabel('Accepted', { exact: true }).check()
    await go(page, 'the referral accepted', button(page, 'Save'), (url) => url.pathname === referral)
    await page.getByLabel('Started', { exact: true }).check()
    await refused(page, 'starting with no date', 'Save')
    const now = new Date()
    await page.getByLabel('Started', { exact: true }).check()
    await page.getByLabel('Day').fill(String(now.getDate()))
    await page.getByLabel('Month').fill(String(now.getMonth() + 1))
    await page.getByLabel('Year').fill(String(now.getFullYear()))
    await go(page, 'the referral started', button(page, 'Save'), (url) => url.pathname === referral)
    assert.match(await main(page), /Now\s+Started/)
  })
})

test('without JavaScript: a signposting request goes to a service, and another becomes a CAF', async () => {
  const request = await as(
    'practitioner@demo-borough.example',
    async (page) => {
      await findChild(page, 'Minh Anh Nguyễn')
      await go(page, 'the signposting form', button(page, 'Signpost to a service'), (url) => url.pathname.endsWith('/signpost'))
      await refused(page, 'the signposting form with nothing filled in', 'Send to the CAF hub')
      await page.getByLabel('What is the need?').fill('Minh Anh finds playtimes hard and has few friends.')
      await page.getByLabel('Families Together family support').check()
      await page.getByLabel('Thi Linh').check()
      await page.getByLabel('A parent or carer with parental responsibility').check()
      await page.getByLabel('Spoken (in person or by phone)').check()
      const now = new Date()
      await page.getByLabel('Day').fill(String(now.getDate()))
      await page.getByLabel('Month').fill(String(now.getMonth() + 1))
      await page.getByLabel('Year').fill(String(now.getFullYear()))
      await go(page, 'the request sent', button(page, 'Send to the CAF hub'), (url) => /^\/signposting\/\d+$/.test(url.pathname))
      assert.match(await main(page), /Request sent to the CAF hub/)
      return new URL(page.url()).pathname
    },
    { javaScript: false },
  )
  await as(
    'coordinator@demo-borough.example',
    async (page) => {
      await go(
        page,
        'the hub’s signposting list',
        () => page.getByRole('link', { name: 'Signposting' }).first().click(),
        (url) => url.pathname === '/signposting',
      )
      await go(
        page,
        'Minh Anh’s request',
        () => page.locator(`main a[href="${request}"]`).click(),
        (url) => url.pathname === request,
      )
      await refused(page, 'declining with no reason', 'Decline the request')
      await go(page, 'the request passed on', button(page, 'Pass to Families Together family support'), (url) => url.pathname === request)
      assert.match(await main(page), /Passed to the service/)

      await page.goto(`${base}/signposting`)
      assert.match(await main(page), /Need not met after 8 weeks/)
      await go(page, 'John Smith’s request', link(page, /John Smith/), (url) => /^\/signposting\/\d+$/.test(url.pathname))
      await go(page, 'the CAF started from it', button(page, 'Start a CAF from this'), (url) => /^\/episodes\/\d+$/.test(url.pathname))
      const episode = await main(page)
      assert.match(episode, /John Smith/)
      assert.match(episode, /John is anxious about going to school/, 'the need came across')
      await page.goto(`${page.url().split('?')[0]}/consent`)
      await journey.checker.check(page, 'its consent')
      assert.match(await main(page), /Sarah Smith/, 'the consent came across, given by John’s mother')
    },
    { javaScript: false },
  )
})

test('a lead takes a case to panel and sees the decision', async () => {
  const ask = await as('practitioner@demo-borough.example', async (page) => {
    await openOkafors(page)
    await go(page, 'the Okafors at panel', link(page, 'Multi-agency panel'), (url) => url.pathname.endsWith('/panel'))
    assert.match(await main(page), /6 hours of Families Together family support/, 'the last panel’s decision')
    await refused(page, 'asking for panel with nothing filled in', 'Ask for panel')
    await page.getByLabel('What is stuck?').fill('Grace still has no break; the carers’ centre has a waiting list.')
    await page.getByLabel('What has been tried?').fill('Six weeks of family support at home.')
    await page.getByLabel('What are you asking the panel for?').fill('A short break for Grace while the waiting list moves.')
    await go(page, 'the request sent', button(page, 'Ask for panel'), (url) => url.pathname.endsWith('/panel'))
    assert.match(await main(page), /Waiting for a panel/)
    return new URL(page.url()).pathname
  })
  await as('coordinator@demo-borough.example', async (page) => {
    await go(
      page,
      'the panel',
      () => page.getByRole('link', { name: 'Panel', exact: true }).click(),
      (url) => url.pathname === '/panel',
    )
    await go(
      page,
      'the next panel meeting',
      () => page.locator('main table').first().getByRole('link').first().click(),
      (url) => /^\/panel\/\d+$/.test(url.pathname),
    )
    const meeting = new URL(page.url()).pathname
    await refused(page, 'putting nothing on the agenda', 'Put on this agenda')
    await page.getByLabel(/brought by Priya Patel/).check()
    await go(page, 'the case on the agenda', button(page, 'Put on this agenda'), (url) => url.pathname === meeting)
    await go(page, 'the agenda published', button(page, 'Publish the agenda'), (url) => url.pathname === meeting)
    assert.match(await main(page), /Agenda published/)
    await go(page, 'recording the decision', link(page, /Record the panel’s decision/), (url) => /\/cases\/\d+$/.test(url.pathname))
    await refused(page, 'a decision with no advice', 'Record the decision')
    await page.getByLabel('The panel’s advice').fill('The hub will fund four sessions at the carers’ centre.')
    const later = new Date(Date.now() + 28 * 86_400_000)
    const review = page.getByRole('group', { name: 'When will the panel review the case?' })
    await review.getByLabel('Day').fill(String(later.getDate()))
    await review.getByLabel('Month').fill(String(later.getMonth() + 1))
    await review.getByLabel('Year').fill(String(later.getFullYear()))
    const resource = page.getByRole('group', { name: 'Resource 1' })
    await resource.getByLabel('Agency').selectOption({ label: 'Demo Borough Early Help Hub' })
    await resource.getByLabel('Amount').fill('4')
    await resource.getByLabel('Of').selectOption({ label: 'Places' })
    await go(page, 'the meeting, decided', button(page, 'Record the decision'), (url) => url.pathname === meeting)
    assert.match(await main(page), /Decision recorded/)
  })
  await as('practitioner@demo-borough.example', async (page) => {
    await page.goto(`${base}${ask}`)
    await journey.checker.check(page, 'the Okafors’ panel decisions')
    const seen = await main(page)
    assert.match(seen, /The hub will fund four sessions at the carers’ centre/)
    assert.match(seen, /4 places from Demo Borough Early Help Hub/)
  })
})
