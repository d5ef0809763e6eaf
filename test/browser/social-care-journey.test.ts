import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addDays, today } from '../../src/web/dates.ts'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, buttonIn as button, fillDay, Journey, launchBrowser, linkIn as link, mainText as main, startApp } from './helpers.ts'

/**
 * The social care interface in Chromium, on Demo Borough, every page checked with axe, signed in as
 * Sarah Ahmed, the social care worker:
 * - Sarah sends Ava Wright's contact to early help; the hub offers a CAF; Sarah sees the decision;
 * - with JavaScript off, Sarah accepts the Kellys' step up from today's review; Priya sees the episode closed as stepped up;
 * - Sarah steps Freya Lewis down; the hub allocates Priya, who accepts and books the handover meeting
 *   in time for the 3-week rule; Sarah records that social care's involvement has ended.
 * Each form is refused once first.
 */

let t: DemoApp
let browser: Browser
let checkerContext: BrowserContext
let journey: Journey

before(async () => {
  const started = await startApp()
  t = started.t
  browser = await launchBrowser()
  checkerContext = await browser.newContext()
  journey = new Journey(browser, new AxeChecker(checkerContext), started.base, t.demo.password)
})
after(async () => {
  await checkerContext?.close()
  await browser?.close()
  await t?.close()
})

const SARAH = 'social-care@demo-borough.example'
const CALLUM = 'coordinator@demo-borough.example'
const PRIYA = 'practitioner@demo-borough.example'
const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => journey.go(page, label, click, arrived)

/** From the search, the action of a child's row. */
async function fromSearch(page: Page, name: string, action: string, arrived: (url: URL) => boolean) {
  await journey.visit(page, `/people?q=${encodeURIComponent(name)}`, `the search for ${name}`)
  await go(
    page,
    `${action}: ${name}`,
    () =>
      page
        .locator('main table')
        .getByRole('link', { name: `${action} : ${name}` })
        .click(),
    arrived,
  )
}

test('a notification from social care, decided by the hub', async () => {
  const notification = await journey.as(SARAH, async (page) => {
    await fromSearch(page, 'Ava Wright', 'Send to early help', (url) => url.pathname.endsWith('/notify-early-help'))
    await journey.refused(page, 'the notification with nothing filled in', 'Send to the early help hub')
    await fillDay(page, 'contact', today())
    await page.getByLabel('Who made the contact?').selectOption({ label: 'Schools' })
    await page.getByLabel('What was reported?').fill('Ava often arrives hungry and her mum has lost her job.')
    await page.getByLabel('What did social care do?').fill('Spoke to the school and Jade: below the threshold.')
    await page.getByLabel('Yes, and they agree to early help').check()
    await go(page, 'the notification sent', button(page, 'Send to the early help hub'), (url) => /^\/notifications\/\d+$/.test(url.pathname))
    assert.match(await main(page), /Sent to the early help hub/)
    return new URL(page.url()).pathname
  })
  await journey.as(CALLUM, async (page) => {
    await journey.visit(page, '/desk', 'the hub’s desk')
    await go(page, 'the social care interface', link(page, 'Sent by social care'), (url) => url.pathname === '/social-care')
    await go(
      page,
      'Ava’s notification',
      () => page.locator(`main a[href="${notification}"]`).click(),
      (url) => url.pathname === notification,
    )
    await journey.refused(page, 'the decision with nothing chosen', 'Record the decision')
    await page.getByLabel('Offer a CAF').check()
    await go(page, 'the notification decided', button(page, 'Record the decision'), (url) => url.pathname === notification)
    await go(page, 'the CAF offered', link(page, /^Episode \d+$/), (url) => /^\/episodes\/\d+$/.test(url.pathname))
    assert.match(await main(page), /Ava often arrives hungry/, 'what social care sent came across')
  })
  await journey.as(SARAH, async (page) => {
    await journey.visit(page, '/social-care', 'Sarah’s home')
    assert.match(await main(page), /Ava Wright\s+Offer a CAF/)
  })
})

test('without JavaScript: social care accepts a step up from a review', async () => {
  const episode = await journey.as(
    SARAH,
    async (page) => {
      await journey.visit(page, '/', 'Sarah’s home')
      assert.equal(new URL(page.url()).pathname, '/social-care')
      await go(page, 'the Kellys’ step up', link(page, 'Liam Kelly'), (url) => /^\/step-ups\/\d+$/.test(url.pathname))
      assert.match(await main(page), /Home conditions have got worse/)
      await journey.refused(page, 'the decision with nothing chosen', 'Record the decision')
      await page.getByLabel('Yes: social care takes the family on').check()
      await fillDay(page, 'taken', today())
      await go(page, 'the step up decided', button(page, 'Record the decision'), (url) => /^\/step-ups\/\d+$/.test(url.pathname))
      assert.match(await main(page), /Accepted by social care/)
      return (await page.locator('main').getByRole('link', { name: 'The episode' }).getAttribute('href'))!
    },
    { javaScript: false },
  )
  await journey.as(
    PRIYA,
    async (page) => {
      await journey.visit(page, episode, 'the Kellys’ episode')
      assert.match(await main(page), /Children’s social care took the family on from/)
    },
    { javaScript: false },
  )
})

test('a step down to an accepted lead, with its handover meeting in time', async () => {
  const stepDown = await journey.as(SARAH, async (page) => {
    await fromSearch(page, 'Freya Lewis', 'Step down to early help', (url) => url.pathname.endsWith('/step-down'))
    await journey.refused(page, 'the step down with nothing filled in', 'Step down to early help')
    await page.getByLabel('At the closure of a child in need plan').check()
    await fillDay(page, 'ends', addDays(today(), 35))
    await page.getByLabel('What does social care know about the family?').fill('Freya and Bethan argue about curfews; Freya is missing school on Mondays.')
    await page.getByLabel('Which agency should lead?').selectOption({ label: 'Oakfield Primary School' })
    await page.getByLabel('Level 3: multiple or complex needs').check()
    await page.getByLabel('Bethan Lewis').check()
    await page.getByLabel('A parent or carer with parental responsibility').check()
    await page.getByLabel('In writing (a signed form or a message from them)').check()
    await fillDay(page, 'given', today())
    await go(page, 'the step down sent', button(page, 'Step down to early help'), (url) => /^\/step-downs\/\d+$/.test(url.pathname))
    assert.match(await main(page), /Not yet allocated/)
    return new URL(page.url()).pathname
  })
  const episode = await journey.as(CALLUM, async (page) => {
    await journey.visit(page, stepDown, 'Freya’s step down')
    await go(page, 'her episode', link(page, 'The early help episode'), (url) => /^\/episodes\/\d+$/.test(url.pathname))
    const path = new URL(page.url()).pathname
    await go(page, 'her team', link(page, 'Team Around the Family'), (url) => url.pathname.endsWith('/team'))
    await page.getByLabel('Add a practitioner to the team').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await go(page, 'Priya added', button(page, 'Add to the team'), (url) => url.pathname.endsWith('/team'))
    await journey.visit(page, `${path}/lead`, 'choosing the lead professional')
    await page.getByRole('group', { name: 'Who will be the lead professional?' }).getByLabel('Priya Patel', { exact: true }).check()
    await fillDay(page, 'agreed', today())
    await go(page, 'Priya asked', button(page, 'Save'), (url) => url.pathname === path)
    return path
  })
  await journey.as(PRIYA, async (page) => {
    await journey.visit(page, episode, 'Freya’s episode, Priya asked to lead')
    await go(page, 'Priya accepts', button(page, 'Accept: become lead professional'), (url) => url.pathname === episode)
    await go(page, 'arranging the handover meeting', button(page, 'Arrange a meeting'), (url) => url.pathname.endsWith('/meetings/new'))
    await fillDay(page, 'date', addDays(today(), 7))
    await page.getByLabel('Time it starts').fill('10:00')
    await page.getByLabel('Place').fill('Oakfield Primary School, the family room')
    await page.getByLabel('Chair').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByLabel('Minute taker').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByRole('group', { name: 'Who else from the team is invited?' }).getByLabel('Sarah Ahmed').check()
    await go(page, 'the meeting arranged', button(page, 'Arrange the meeting and send invitations'), (url) => /\/meetings\/\d+$/.test(url.pathname))
  })
  await journey.as(SARAH, async (page) => {
    await journey.visit(page, stepDown, 'Freya’s step down, with its lead and meeting')
    const text = await main(page)
    assert.match(text, /Priya Patel has accepted/)
    assert.match(text, /A meeting is arranged in time/)
    await journey.refused(page, 'ending with no date', 'Record that involvement has ended')
    await fillDay(page, 'ended', today())
    await go(page, 'involvement ended', button(page, 'Record that involvement has ended'), (url) => url.pathname === stepDown)
    assert.match(await main(page), /Recorded: social care’s involvement has ended/)
  })
})
