import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { after, before, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { financialYear, financialYearOf } from '../../src/features/reports/filters.ts'
import { today } from '../../src/web/dates.ts'
import type { DemoApp } from '../helpers/app.ts'
import { schemaProblems } from '../helpers/annex-a-schema.ts'
import { AxeChecker, buttonIn as button, fillDay, Journey, launchBrowser, linkIn as link, startApp } from './helpers.ts'

/**
 * Reports in Chromium, on Demo Borough, every page checked with axe:
 * - with JavaScript off, the manager opens the episodes report, is refused a period that ends before
 *   it starts, filters to this financial year, reads the numbers under a chart and downloads a table;
 * - the data team downloads Demo Borough's Annex A list 2, which validates against Ofsted's schema.
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

/** Clicks a download link and reads the file the browser saved. */
async function downloaded(page: Page, name: string): Promise<{ filename: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('main').getByRole('link', { name }).first().click()])
  return { filename: file.suggestedFilename(), text: await fs.readFile((await file.path())!, 'utf8') }
}

test('without JavaScript, the manager filters the episodes report, reads a chart’s numbers and downloads them', async () => {
  await journey.as(
    'manager@demo-borough.example',
    async (page) => {
      await journey.visit(page, '/', 'the manager’s home')
      await journey.go(page, 'the reports', link(page, 'Reports'), (url) => url.pathname === '/reports')
      await journey.go(page, 'the episodes report', link(page, 'Episodes started, open and closed'), (url) => url.pathname === '/reports/episodes')

      const year = financialYear(financialYearOf(today()))
      await fillDay(page, 'from', year.to)
      await fillDay(page, 'to', year.from)
      const [refused] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === '/reports/episodes'), button(page, 'Show this period')()])
      await page.waitForLoadState('load')
      assert.equal(refused.status(), 400)
      assert.match(await page.locator('.govuk-error-summary').innerText(), /The last day must be the same as or after the first day/)
      await journey.checker.check(page, 'the episodes report refusing a period that ends before it starts')

      await fillDay(page, 'from', year.from)
      await fillDay(page, 'to', year.to)
      await journey.go(
        page,
        'the episodes report for this financial year',
        button(page, 'Show this period'),
        (url) => url.searchParams.get('from-year') === year.from.slice(0, 4),
      )
      assert.match(await page.locator('main').innerText(), /Counting the episodes of Demo Borough Early Help Hub/)

      const chart = page.locator('#by-locality ~ svg').first()
      assert.equal(await chart.getAttribute('role'), 'img')
      const numbers = await page
        .locator('table', { has: page.locator('caption', { hasText: 'By locality: the numbers' }) })
        .locator('tbody tr')
        .allInnerTexts()
      assert.ok(numbers.length > 0, 'the chart’s numbers are in a table under it')

      const { filename, text } = await downloaded(page, 'Download this table (CSV)')
      assert.match(filename, /^episodes-summary-\d{4}-04-01-to-\d{4}-03-31\.csv$/)
      const [headers, ...rows] = parse(text) as string[][]
      assert.deepEqual(headers, ['What', 'Number'])
      assert.equal(rows.length, 4)
      assert.ok(
        rows.every(([, n]) => /^(\d+|fewer than 5)$/.test(n!)),
        'counts, small ones suppressed',
      )
    },
    { javaScript: false },
  )
})

test('the data team downloads Demo Borough’s Annex A list 2, which validates against Ofsted’s schema', async () => {
  await journey.as('data@demo-borough.example', async (page) => {
    await journey.visit(page, '/reports', 'the reports, for the data team')
    await journey.go(page, 'the Annex A page', link(page, 'Ofsted Annex A, list 2 (early help)'), (url) => url.pathname === '/reports/annex-a')
    await page.getByLabel('CSV file').check()
    const [file] = await Promise.all([page.waitForEvent('download'), button(page, 'Download list 2')()])
    assert.equal(file.suggestedFilename(), `annex-a-list-2-${today()}.csv`)
    const [headers, ...rows] = parse(await fs.readFile((await file.path())!, 'utf8')) as string[][]
    assert.ok(rows.length > 0)
    assert.deepEqual(schemaProblems('list_2', headers!, rows, ['Child Unique ID', 'Assessment start date']), [])
  })
})
