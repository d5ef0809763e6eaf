import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core'
import { demoApp, type DemoApp } from '../helpers/app.ts'

/** The WCAG 2.2 AA rule set every page must pass. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/** Paths never crawled: sign-out is a POST, the rest are static files. */
const NOT_CRAWLED = ['/sign-out']
const STATIC_PREFIXES = ['/assets/', '/govuk/', '/public/']

/** Debian's Chromium, headless. Never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** The real app, seeded with Demo Borough, listening on a free local port. */
export async function startApp(): Promise<{ t: DemoApp; base: string }> {
  const t = await demoApp()
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address() as AddressInfo
  return { t, base: `http://127.0.0.1:${address.port}` }
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>

/** One line per violation: rule, help text and every offending element. Empty when there are none. */
export function describeViolations(violations: AxeResults['violations']): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html}`).join('\n')
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`
    })
    .join('\n')
}

/** Runs axe with the WCAG 2.2 AA rules and fails with a readable list of any violations. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze()
  assert.equal(results.violations.length, 0, `axe found accessibility problems on ${label} (${page.url()}):\n${describeViolations(results.violations)}`)
}

/** Collects console errors and uncaught exceptions, so a page can be checked for CSP refusals. */
export function watchConsole(page: Page): { errors: string[] } {
  const log = { errors: [] as string[] }
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.errors.push(msg.text())
  })
  page.on('pageerror', (error) => log.errors.push(`uncaught: ${error.message}`))
  return log
}

export function cspErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => /Content Security Policy/i.test(e))
}

/** Goes to a path and returns the final response (after redirects), failing if there is none. */
export async function visit(page: Page, base: string, path: string): Promise<Response> {
  const response = await page.goto(new URL(path, base).href)
  assert.ok(response, `no response for ${path}`)
  return response
}

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await visit(page, base, '/sign-in')
  await page.locator('#email').fill(email)
  await page.locator('#password').fill(password)
  await Promise.all([page.waitForURL((url) => url.pathname !== '/sign-in'), page.getByRole('button', { name: 'Sign in', exact: true }).click()])
  // Everyone lands on the home page, except the hub, whose home is its desk, and social care, whose home is the interface.
  const [path, heading] = email.startsWith('coordinator@')
    ? ['/desk', /^The hub’s desk$/]
    : email.startsWith('social-care@')
      ? ['/social-care', /^Social care and early help$/]
      : ['/', /^Welcome, /]
  assert.equal(new URL(page.url()).pathname, path, `signing in as ${email} should land on their home page`)
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 5000 }), 'the home page should greet the user')
}

/** Signs out with the header's button and checks the session really ended. */
export async function signOut(page: Page, base: string): Promise<void> {
  const button = page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true })
  await Promise.all([page.waitForURL((url) => url.pathname === '/signed-out'), button.click()])
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You have signed out')
  await visit(page, base, '/')
  assert.equal(new URL(page.url()).pathname, '/sign-in', 'after signing out, the home page should ask the user to sign in again')
}

/**
 * The same-origin links on the current page worth crawling: no static files, no sign-out, no
 * fragments, and no pagination beyond the first page.
 */
export async function crawlableLinks(page: Page, base: string): Promise<URL[]> {
  // Downloads (the family's copies as PDFs) are files, not pages: they are checked by the journeys.
  const hrefs = await page.$$eval('a[href]:not([download])', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href))
  return worthCrawling(hrefs, base)
}

/** The same links as crawlableLinks, read from a page's HTML as fetched rather than rendered. */
export function crawlableLinksIn(html: string, pageUrl: string, base: string): URL[] {
  const hrefs: string[] = []
  for (const [, attributes] of html.matchAll(/<a\b([^>]*)>/g)) {
    const href = /\bhref="([^"]*)"/.exec(attributes!)?.[1]
    if (href === undefined || /\sdownload\b/.test(attributes!)) continue
    hrefs.push(new URL(href.replaceAll('&amp;', '&'), pageUrl).href)
  }
  return worthCrawling(hrefs, base)
}

function worthCrawling(hrefs: readonly string[], base: string): URL[] {
  const origin = new URL(base).origin
  const links: URL[] = []
  for (const href of hrefs) {
    const url = new URL(href)
    url.hash = ''
    if (url.origin !== origin) continue
    if (NOT_CRAWLED.includes(url.pathname) || STATIC_PREFIXES.some((p) => url.pathname.startsWith(p))) continue
    const pageNumber = url.searchParams.get('page')
    if (pageNumber !== null && pageNumber !== '1') continue
    links.push(url)
  }
  return links
}

/**
 * Runs axe on pages as their users have them. axe cannot run in a page of a context with JavaScript
 * off (its timers never fire), so for such a page the same document, scripts removed as that browser
 * never ran them, is served at the same address to a page that can run axe, so the real style sheets apply.
 */
export class AxeChecker {
  private readonly withoutJs = new WeakSet<Page>()

  constructor(private readonly checkerContext: BrowserContext) {}

  /** Marks a page as one of a context with JavaScript off. */
  withoutJavaScript(page: Page): void {
    this.withoutJs.add(page)
  }

  async check(page: Page, label: string): Promise<void> {
    if (!this.withoutJs.has(page)) return assertAccessible(page, label)
    const url = page.url()
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '')
    const checker = await this.checkerContext.newPage()
    try {
      await checker.route(
        (u) => u.href === url,
        (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      )
      await checker.goto(url)
      assert.equal(await checker.locator('body.govuk-frontend-supported').count(), 0, 'the copy checked should be the page without JavaScript')
      await assertAccessible(checker, `${label} (without JavaScript)`)
    } finally {
      await checker.close()
    }
  }

  /** Clicks something that loads a new page, waits for it, then checks it. */
  async go(page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean): Promise<void> {
    await Promise.all([page.waitForURL(arrived), click()])
    await page.waitForLoadState('load')
    await this.check(page, label)
  }
}

/**
 * What a journey test does on Demo Borough, every page checked with axe: sign in as someone in a
 * fresh context (JavaScript on or off), follow links and buttons to the next page, and submit a form
 * that should be refused.
 */
export class Journey {
  constructor(
    private readonly browser: Browser,
    readonly checker: AxeChecker,
    private readonly base: string,
    private readonly password: string,
  ) {}

  /** A signed-in page in a fresh context, closed afterwards. */
  async as<T>(email: string, work: (page: Page) => Promise<T>, opts: { javaScript?: boolean } = {}): Promise<T> {
    const context = await this.browser.newContext({ javaScriptEnabled: opts.javaScript ?? true })
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(10_000)
      if (opts.javaScript === false) this.checker.withoutJavaScript(page)
      await signIn(page, this.base, email, this.password)
      return await work(page)
    } finally {
      await context.close()
    }
  }

  go(page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean): Promise<void> {
    return this.checker.go(page, label, click, arrived)
  }

  /** Submits a form that should be refused: 400, "Error:" in the title, the summary; then checks the page. */
  async refused(page: Page, label: string, name: string): Promise<void> {
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name }).click()])
    await page.waitForLoadState('load')
    assert.equal(res.status(), 400)
    assert.match(await page.title(), /^Error: /)
    await this.checker.check(page, label)
  }

  /** Opens a page by its address and checks it. */
  async visit(page: Page, path: string, label: string): Promise<void> {
    await page.goto(`${this.base}${path}`)
    await this.checker.check(page, label)
  }
}

export const mainText = (page: Page) => page.locator('main').innerText()
export const linkIn = (page: Page, name: string | RegExp) => () => page.locator('main').getByRole('link', { name }).first().click()
export const buttonIn = (page: Page, name: string) => () => page.getByRole('button', { name }).click()

/** Fills the GOV.UK date input with this prefix (its Day, Month and Year boxes) with an ISO date. */
export async function fillDay(page: Page, prefix: string, iso: string): Promise<void> {
  const [y, m, d] = iso.split('-')
  await page.locator(`#${prefix}-day`).fill(String(Number(d)))
  await page.locator(`#${prefix}-month`).fill(String(Number(m)))
  await page.locator(`#${prefix}-year`).fill(y!)
}
