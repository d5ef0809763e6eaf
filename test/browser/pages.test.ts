import { AxeBuilder } from '@axe-core/playwright'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { DemoApp } from '../helpers/app.ts'
import { assertAccessible, crawlableLinks, crawlableLinksIn, cspErrors, launchBrowser, signIn, signOut, startApp, visit, watchConsole } from './helpers.ts'
import { DEMO_FEEDBACK_ADDRESS } from '../../src/features/demo/seed.ts'

/** The demo accounts, one per role, and the pages each must be able to reach by following links. */
const ADMIN = 'admin@demo-borough.example'
const EVERYONE = ['/', '/account', '/account/password', '/accessibility', '/privacy']
const ADMIN_ONLY = [
  '/admin',
  '/admin/localities',
  '/admin/localities/new',
  '/admin/agencies',
  '/admin/agencies/new',
  '/admin/users',
  '/admin/users/new',
  '/admin/population',
  '/admin/audit',
  '/admin/caf-settings',
  '/admin/need-levels',
  '/admin/assessment-elements',
]
/** Those who do casework have "My work". */
const CASEWORKERS = [
  'Practitioner',
  'Practitioner (a provider)',
  'CAF coordinator',
  'Social care worker',
  'CAF coordinator (Demo Shire)',
  'Practitioner (Demo Shire)',
]
/** Those whose work is in the work queues: the hub, managers and caseworkers. */
const QUEUE_ROLES = [...CASEWORKERS, 'Manager']
const ROLES = [
  { role: 'Practitioner', email: 'practitioner@demo-borough.example', admin: false },
  { role: 'Practitioner (a provider)', email: 'family-support@demo-borough.example', admin: false },
  { role: 'CAF coordinator', email: 'coordinator@demo-borough.example', admin: false },
  { role: 'Manager', email: 'manager@demo-borough.example', admin: false },
  { role: 'Panel member', email: 'panel@demo-borough.example', admin: false },
  { role: 'Social care worker', email: 'social-care@demo-borough.example', admin: false },
  { role: 'Administrator', email: ADMIN, admin: true },
  { role: 'Data team (reports and returns)', email: 'data@demo-borough.example', admin: false },
  // The second demo council, with the family moving to it waiting for its hub.
  { role: 'CAF coordinator (Demo Shire)', email: 'coordinator@demo-shire.example', admin: false },
  { role: 'Practitioner (Demo Shire)', email: 'practitioner@demo-shire.example', admin: false },
]
const MAX_PAGES = 60

/**
 * Pages of the same shape (the same template for another record: /admin/users/7 and /admin/users/8,
 * or each assessment element's edit form) are rendered and checked by axe once, by the first account
 * to reach them, so the crawl covers every kind of page without checking one template nine times.
 */
function shapeOf(path: string): string {
  return path
    .replace(/\/\d+(?=\/|$)/g, '/:id')
    .replace(/^\/desk\/[a-z-]+$/, '/desk/:queue')
    .replace(/^\/admin\/(assessment-elements|need-levels)\/[^/]+\/edit$/, '/admin/$1/:code/edit')
}

let t: DemoApp
let base: string
let browser: Browser
/** The shapes already rendered and checked by axe, by whichever account reached them first. */
const rendered = new Set<string>()

/**
 * A page of a shape an earlier account had rendered and checked: fetched with this account's
 * session, for its status and its links, so each account's reach is still followed in full.
 */
async function fetchedPage(context: BrowserContext, path: string): Promise<URL[]> {
  const response = await context.request.get(new URL(path, base).href)
  assert.ok(response.status() < 400, `${path} answered ${response.status()}`)
  assert.notEqual(new URL(response.url()).pathname, '/sign-in', `${path} sent the user back to the sign-in page: the session was lost`)
  return crawlableLinksIn(await response.text(), response.url(), base)
}

before(async () => {
  ;({ t, base } = await startApp())
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await t?.close()
})

test('the demo seed has an account for every role crawled here', () => {
  assert.deepEqual(t.demo.accounts.map((a) => a.email).sort(), ROLES.map((r) => r.email).sort())
})

describe('every page each role can reach by following links passes axe (WCAG 2.2 AA)', () => {
  for (const { role, email, admin } of ROLES) {
    test(`${role} (${email})`, async (tc) => {
      const context = await browser.newContext()
      const page = await context.newPage()
      const log = watchConsole(page)
      /** A page of a shape no account has yet had rendered: in the browser, checked by axe. */
      const renderedPage = async (path: string): Promise<URL[]> => {
        rendered.add(shapeOf(new URL(path, base).pathname))
        let links: URL[] = []
        await tc.test(path, async () => {
          log.errors.length = 0
          const response = await visit(page, base, path)
          links = await crawlableLinks(page, base)
          assert.ok(response.status() < 400, `${path} answered ${response.status()} for ${role}`)
          assert.notEqual(new URL(page.url()).pathname, '/sign-in', `${path} sent ${role} back to the sign-in page: the session was lost`)
          assert.deepEqual(cspErrors(log.errors), [], `${path} broke the Content Security Policy`)
          await assertAccessible(page, `${path} as ${role}`)
        })
        return links
      }
      try {
        await signIn(page, base, email, t.demo.password)
        const queue: URL[] = [new URL('/', base)]
        const seen = new Set<string>(['/'])
        const shapes = new Set<string>(['/'])
        let visited = 0
        while (queue.length > 0 && visited < MAX_PAGES) {
          const url = queue.shift()!
          const path = `${url.pathname}${url.search}`
          visited++
          // Each account's home differs most by role: it is always rendered.
          const links = path !== '/' && rendered.has(shapeOf(url.pathname)) ? await fetchedPage(context, path) : await renderedPage(path)
          for (const link of links) {
            if (seen.has(link.pathname) || shapes.has(shapeOf(link.pathname))) continue
            seen.add(link.pathname)
            shapes.add(shapeOf(link.pathname))
            queue.push(link)
          }
        }
        if (queue.length > 0) tc.diagnostic(`stopped after ${MAX_PAGES} pages; not visited: ${queue.map((u) => u.pathname).join(', ')}`)

        for (const path of EVERYONE) assert.ok(seen.has(path), `${role} should be able to reach ${path} by following links`)
        for (const path of ADMIN_ONLY) {
          assert.equal(seen.has(path), admin, `${role} ${admin ? 'should' : 'should not'} find a link to ${path}`)
        }
        assert.equal(seen.has('/my-work'), CASEWORKERS.includes(role), `${role} and "My work"`)
        assert.equal(seen.has('/desk'), QUEUE_ROLES.includes(role), `${role} and the work queues`)
        if (role === 'CAF coordinator (Demo Shire)') assert.ok(seen.has('/transfers'), 'Demo Shire’s hub should reach the family moving to it')
        if (role === 'CAF coordinator') {
          assert.ok(
            [...seen].some((p) => /^\/episodes\/\d+$/.test(p)),
            "the coordinator's crawl should reach the demo's open episodes from the desk or My work",
          )
        }
        if (admin) {
          for (const pattern of [
            /^\/admin\/need-levels\/\d+\/edit$/,
            /^\/admin\/assessment-elements\/[a-z-]+\/edit$/,
            /^\/admin\/users\/\d+$/,
            /^\/admin\/users\/\d+\/edit$/,
            /^\/admin\/agencies\/\d+\/edit$/,
            /^\/admin\/localities\/\d+\/edit$/,
          ]) {
            assert.ok(
              [...seen].some((p) => pattern.test(p)),
              `the administrator's crawl should reach a page like ${pattern}`,
            )
          }
        }

        await signOut(page, base)
      } finally {
        await context.close()
      }
    })
  }
})

describe('error states, as the administrator', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await browser.newContext()
    page = await context.newPage()
    await signIn(page, base, ADMIN, t.demo.password)
  })
  after(() => context.close())

  const forms = [
    { path: '/admin/localities/new', button: 'Save', first: '#name' },
    { path: '/admin/agencies/new', button: 'Save', first: '#name' },
    { path: '/admin/users/new', button: 'Save', first: '#fullName' },
    { path: '/admin/population', button: 'Save', first: '#year' },
    { path: '/account/password', button: 'Change password', first: '#currentPassword' },
  ]
  for (const { path, button, first } of forms) {
    test(`${path} submitted empty shows the error summary`, async () => {
      await visit(page, base, path)
      const [response] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'),
        page.getByRole('button', { name: button, exact: true }).click(),
      ])
      await page.waitForLoadState('load')
      assert.equal(response.status(), 400)
      assert.match(await page.title(), /^Error: /, 'the page title should start with "Error: "')
      const summary = page.locator('.govuk-error-summary')
      assert.equal(await summary.count(), 1)
      assert.equal(await summary.getByRole('heading').innerText(), 'There is a problem')
      assert.equal(await summary.locator(`a[href="${first}"]`).count(), 1, `the summary should link to the first field, ${first}`)
      assert.ok((await page.locator('.govuk-error-message').count()) > 0, 'each field in error should show its message')
      await assertAccessible(page, `${path} with errors`)
    })
  }

  test('an unknown address shows the 404 page', async () => {
    const response = await visit(page, base, '/no-such-page')
    assert.equal(response.status(), 404)
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Page not found')
    await assertAccessible(page, 'the 404 page')
  })
})

test('a user without the role sees the forbidden page', async () => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await signIn(page, base, 'practitioner@demo-borough.example', t.demo.password)
    const response = await visit(page, base, '/admin')
    assert.equal(response.status(), 403)
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'You do not have permission to see this page')
    await assertAccessible(page, 'the 403 page')
  } finally {
    await context.close()
  }
})

describe('signed out', () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    context = await browser.newContext()
    page = await context.newPage()
  })
  after(() => context.close())

  for (const [path, heading] of [
    ['/sign-in', 'Sign in to CAF Hub'],
    ['/accessibility', 'Accessibility statement'],
    ['/privacy', 'How we use information'],
    ['/signed-out', 'You have signed out'],
  ] as const) {
    test(`${path} is public and passes axe`, async () => {
      const response = await visit(page, base, path)
      assert.equal(response.status(), 200)
      assert.equal(new URL(page.url()).pathname, path)
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), heading)
      await assertAccessible(page, `${path} signed out`)
    })
  }

  test('a wrong password shows the error summary on the sign-in page', async () => {
    await visit(page, base, '/sign-in')
    await page.locator('#email').fill(ADMIN)
    await page.locator('#password').fill('not-the-right-password')
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/sign-in' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ])
    await page.waitForLoadState('load')
    assert.equal(response.status(), 400)
    const summary = page.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /Enter a correct email address and password/)
    assert.equal(await page.locator('#email').inputValue(), ADMIN, 'the email address should be kept')
    assert.equal(await page.locator('#password').inputValue(), '', 'the password should never be sent back')
    await assertAccessible(page, 'the sign-in page after a wrong password')
  })
})

test('the layout: skip link, service navigation, phase banner, footer, and a CSP that lets GOV.UK Frontend run', async () => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const log = watchConsole(page)
    await signIn(page, base, ADMIN, t.demo.password)
    log.errors.length = 0
    const response = await visit(page, base, '/')
    assert.equal(response.status(), 200)
    assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the page should be served with a Content Security Policy')

    const skip = page.getByRole('link', { name: 'Skip to main content', exact: true })
    assert.equal(await skip.count(), 1)
    assert.equal(await skip.getAttribute('href'), '#main-content')
    assert.equal(await page.locator('main#main-content').count(), 1, 'the skip link should lead to the main content')
    await page.keyboard.press('Tab')
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent?.trim()),
      'Skip to main content',
      'the skip link should be the first thing to tab to',
    )

    const banner = page.getByRole('banner')
    assert.equal(await banner.count(), 1, 'there should be one header landmark')
    assert.equal((await banner.locator('.govuk-service-navigation__service-name').innerText()).trim(), 'CAF Hub')
    assert.equal(await banner.getByRole('navigation', { name: 'Menu' }).count(), 1)
    assert.equal(await banner.getByRole('button', { name: 'Sign out', exact: true }).count(), 1)

    const phase = page.locator('.govuk-phase-banner')
    assert.equal(await phase.count(), 1)
    assert.equal((await phase.locator('.govuk-tag').innerText()).trim(), 'Beta')
    assert.equal(
      await phase.getByRole('link', { name: 'Tell the CAF team what you think of it' }).getAttribute('href'),
      `mailto:${DEMO_FEEDBACK_ADDRESS}?subject=CAF%20Hub%20feedback`,
      'the banner links to where the council takes feedback',
    )
    // axe's best-practice "region" rule: nothing outside a landmark, the phase banner included.
    const regions = await new AxeBuilder({ page }).withRules(['region']).analyze()
    assert.deepEqual(
      regions.violations.flatMap((v) => v.nodes.map((n) => n.html.slice(0, 80))),
      [],
      'all content is in a landmark',
    )

    const footer = page.getByRole('contentinfo')
    assert.equal(await footer.count(), 1, 'there should be one footer landmark')
    assert.equal(await footer.locator('.govuk-footer').count(), 1)
    assert.equal(await footer.getByRole('link', { name: 'Accessibility statement' }).count(), 1)

    const bodyClasses = await page.evaluate(() => document.body.className)
    assert.match(bodyClasses, /\bgovuk-frontend-supported\b/, 'the nonce-carrying inline script should have run')
    await visit(page, base, '/account/password')
    const toggle = page.locator('.govuk-password-input__toggle').first()
    await assert.doesNotReject(toggle.waitFor({ state: 'visible', timeout: 5000 }), 'GOV.UK Frontend JavaScript should have shown the password toggle')
    assert.deepEqual(cspErrors(log.errors), [], 'nothing should be refused by the Content Security Policy')
    assert.deepEqual(
      log.errors.filter((e) => e.startsWith('uncaught:')),
      [],
      'no uncaught JavaScript errors',
    )
  } finally {
    await context.close()
  }
})

test('without JavaScript, the administrator adds a locality and signs out', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  try {
    const page = await context.newPage()
    await signIn(page, base, ADMIN, t.demo.password)
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'JavaScript should really be off')

    await visit(page, base, '/admin/localities/new')
    await page.locator('#name').fill('Eastside')
    await Promise.all([page.waitForURL((url) => url.pathname === '/admin/localities'), page.getByRole('button', { name: 'Save', exact: true }).click()])
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Locality saved/)
    const names = await page.locator('table tbody tr td:first-child').allInnerTexts()
    assert.ok(names.includes('Eastside'), `Eastside should be listed among ${names.join(', ')}`)

    await visit(page, base, '/admin/localities')
    assert.ok((await page.locator('table tbody tr td:first-child').allInnerTexts()).includes('Eastside'), 'Eastside should still be listed on a fresh visit')

    await signOut(page, base)
  } finally {
    await context.close()
  }
})
