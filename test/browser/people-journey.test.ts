import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, assertAccessible, cspErrors, launchBrowser, signIn, startApp, visit, watchConsole } from './helpers.ts'

const PRACTITIONER = 'practitioner@demo-borough.example'
const COORDINATOR = 'coordinator@demo-borough.example'
const SOCIAL_CARE = 'social-care@demo-borough.example'

let t: DemoApp
let base: string
let browser: Browser
let johnId: number
/** A context with JavaScript, where pages seen without JavaScript are checked with axe. */
let checkerContext: BrowserContext

before(async () => {
  ;({ t, base } = await startApp())
  browser = await launchBrowser()
  checkerContext = await browser.newContext()
  checker = new AxeChecker(checkerContext)
  johnId = (await t.db.selectFrom('people').select('id').where('given_name', '=', 'John').where('family_name', '=', 'Smith').executeTakeFirstOrThrow()).id
})

after(async () => {
  await checkerContext?.close()
  await browser?.close()
  await t?.close()
})

let checker: AxeChecker
const axe = (page: Page, label: string) => checker.check(page, label)
const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => checker.go(page, label, click, arrived)

async function visitChecked(page: Page, path: string, label: string, status = 200): Promise<void> {
  const response = await visit(page, base, path)
  assert.equal(response.status(), status, `${path} answered ${response.status()}`)
  await axe(page, label)
}

/** Searches from the search page's form, as a person would, and runs axe on the results. */
async function search(page: Page, name: string, dob: [string, string, string], label: string): Promise<void> {
  await visitChecked(page, '/people', 'the search page')
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.locator('#dob-day').fill(dob[0])
  await page.locator('#dob-month').fill(dob[1])
  await page.locator('#dob-year').fill(dob[2])
  await go(
    page,
    label,
    () => page.getByRole('button', { name: 'Search', exact: true }).click(),
    (url) => url.pathname === '/people' && url.searchParams.get('q') === name,
  )
}

/**
 * The whole journey: search for a child who is not there, add them from the search, and find them
 * again with a typo. Every page is checked with axe.
 */
async function journey(page: Page, who: { given: string; family: string; typo: string; dob: [string, string, string]; born: string }): Promise<void> {
  const full = `${who.given} ${who.family}`
  await search(page, full, who.dob, `search results for ${full} (nobody)`)
  assert.equal(await page.getByRole('heading', { level: 2, name: '0 people found' }).count(), 1, 'nobody should be found')
  assert.equal(await page.locator('table').count(), 0)

  await go(
    page,
    'the new person form, from the search',
    () => page.getByRole('link', { name: 'None of these is the person: add a new child or adult' }).click(),
    (url) => url.pathname === '/people/new',
  )
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Add a child or adult')
  assert.equal(await page.locator('#givenName').inputValue(), who.given, 'the given name searched for is filled in')
  assert.equal(await page.locator('#familyName').inputValue(), who.family, 'the family name searched for is filled in')
  assert.deepEqual(
    [await page.locator('#dob-day').inputValue(), await page.locator('#dob-month').inputValue(), await page.locator('#dob-year').inputValue()],
    who.dob,
    'the date of birth searched for is filled in',
  )

  await go(
    page,
    `the new record of ${full}`,
    () => page.getByRole('button', { name: 'Save', exact: true }).click(),
    (url) => /^\/people\/\d+$/.test(url.pathname),
  )
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), full)
  assert.match(await page.locator('.govuk-notification-banner').innerText(), /Record created/)
  assert.match(await page.locator('.govuk-summary-list').innerText(), new RegExp(`Date of birth\\s+${who.born}`))
  const id = Number(new URL(page.url()).pathname.split('/')[2])

  await search(page, `${who.given} ${who.typo}`, who.dob, `search results for ${who.given} ${who.typo}`)
  assert.equal(await page.getByRole('heading', { level: 2, name: '1 person found' }).count(), 1)
  const row = page.locator('table tbody tr').first()
  assert.equal(await row.getByRole('link', { name: full, exact: true }).getAttribute('href'), `/people/${id}`)
  assert.equal((await row.locator('.govuk-tag').innerText()).trim(), 'Likely match')
  assert.match(await row.innerText(), new RegExp(who.born))
}

describe('the practitioner: "Is there already a CAF?", then adding the child', () => {
  let context: BrowserContext
  let page: Page
  let log: { errors: string[] }

  before(async () => {
    context = await browser.newContext()
    page = await context.newPage()
    log = watchConsole(page)
    await signIn(page, base, PRACTITIONER, t.demo.password)
  })
  after(() => context.close())

  test('searches for a child who is not there, adds them from the search, and finds them again despite a typo', async () => {
    await journey(page, { given: 'Zebedee', family: 'Quartermaine', typo: 'Quatermaine', dob: ['12', '8', '2019'], born: '12 August 2019' })
    assert.deepEqual(cspErrors(log.errors), [], 'nothing should be refused by the Content Security Policy')
  })

  test('adding "John Smith" born 4 3 2015 again shows the likely duplicate and asks why this is someone else', async () => {
    await visitChecked(page, '/people/new?searched=1', 'the empty new person form')
    await page.locator('#givenName').fill('John')
    await page.locator('#familyName').fill('Smith')
    await page.locator('#dob-day').fill('4')
    await page.locator('#dob-month').fill('3')
    await page.locator('#dob-year').fill('2015')
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/people/new' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ])
    await page.waitForLoadState('load')
    assert.equal(response.status(), 400)
    assert.match(await page.title(), /^Error: /)
    const summary = page.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /This person may already be on the register/)
    assert.equal(await summary.locator('a[href="#duplicateReason"]').count(), 1)
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')),
      true,
      'GOV.UK Frontend moves focus to the error summary',
    )
    const warning = page.getByRole('heading', { level: 2, name: 'This person may already be on the register' })
    assert.equal(await warning.count(), 1)
    assert.equal(await page.getByRole('link', { name: 'John Smith', exact: true }).getAttribute('href'), `/people/${johnId}`)
    assert.equal(await page.getByLabel('Why is this a different person?').count(), 1)
    assert.equal(await page.locator('#givenName').inputValue(), 'John', 'what was typed is kept')
    await assertAccessible(page, 'the new person form with a likely duplicate')

    await summary.locator('a[href="#duplicateReason"]').click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'duplicateReason', 'the summary link leads to the reason field')
  })

  test('a form with mistakes shows the error summary and each message, and passes axe', async () => {
    await visitChecked(page, '/people/new?searched=1', 'the empty new person form')
    await page.locator('#dob-day').fill('30')
    await page.locator('#dob-month').fill('2')
    await page.locator('#dob-year').fill('2015')
    await page.locator('#givenName').fill('Wilhelmina')
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/people/new' && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ])
    await page.waitForLoadState('load')
    assert.equal(await page.locator('.govuk-error-summary a[href="#dob-day"]').count(), 1)
    assert.match(await page.locator('#dob-error').innerText(), /real date/)
    await assertAccessible(page, 'the new person form with a date error')
  })
})

describe("the hub's pages", () => {
  let context: BrowserContext
  let page: Page

  before(async () => {
    // A social worker breaks the glass first, so that the hub has an access to review.
    const social = await browser.newContext()
    try {
      const p = await social.newPage()
      await signIn(p, base, SOCIAL_CARE, t.demo.password)
      await visitChecked(p, `/people/${johnId}`, 'the record refused to the social worker', 404)
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), 'You cannot open this record')
      assert.doesNotMatch(await p.locator('main').innerText(), /John|Smith/, 'the refusal names no one')
      await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'), p.getByRole('button', { name: 'Open the record', exact: true }).click()])
      await p.waitForLoadState('load')
      assert.equal(await p.locator('.govuk-error-summary a[href="#reason"]').count(), 1, 'a reason is needed')
      await assertAccessible(p, 'breaking the glass without a reason')
      await p.getByLabel('Why do you need to see this record?').fill('Child protection enquiry started today')
      await go(
        p,
        'the record opened by breaking the glass',
        () => p.getByRole('button', { name: 'Open the record', exact: true }).click(),
        (url) => url.pathname === `/people/${johnId}`,
      )
      assert.match(await p.locator('.govuk-warning-text').innerText(), /breaking the glass/)
    } finally {
      await social.close()
    }
    context = await browser.newContext()
    page = await context.newPage()
    await signIn(page, base, COORDINATOR, t.demo.password)
  })
  after(() => context.close())

  test('the search results', async () => {
    await search(page, 'Jon Smyth', ['3', '4', '2015'], "the coordinator's search results")
    const row = page.locator('table tbody tr').first()
    assert.match(await row.innerText(), /John Smith/)
    assert.match(await row.innerText(), /day and month swapped/)
  })

  test("a person's page, its edit form and the household form", async () => {
    await visitChecked(page, `/people/${johnId}`, "John Smith's page for the coordinator")
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'John Smith')
    await go(
      page,
      "John Smith's edit form",
      () => page.getByRole('button', { name: 'Change details' }).click(),
      (url) => url.pathname === `/people/${johnId}/edit`,
    )
    await visitChecked(page, `/people?addTo=${johnId}&q=Sarah+Smith`, 'a search to add someone to the household')
    await go(
      page,
      'the household form',
      () => page.getByRole('link', { name: /Add to the household : Sarah Smith/ }).click(),
      (url) => /\/household\/add\/\d+$/.test(url.pathname),
    )
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Add to the household' }).click()])
    await page.waitForLoadState('load')
    assert.equal(await page.locator('.govuk-error-summary a[href="#relationship"]').count(), 1)
    await assertAccessible(page, 'the household form with errors')
  })

  test('a household member not yet on the register is added from the household search, at the household’s address', async () => {
    await visitChecked(page, `/people?addTo=${johnId}&q=John+Smith`, 'a household search that would find John himself')
    assert.equal(await page.getByRole('link', { name: /Add to the household : John Smith$/ }).count(), 0, 'John is never offered for his own household')
    await visitChecked(page, `/people?addTo=${johnId}&q=Florence+Smith`, 'a household search for someone not on the register')
    await go(
      page,
      'the new person form for the household',
      () => page.getByRole('link', { name: 'Add a new person to this household' }).click(),
      (url) => url.pathname === '/people/new',
    )
    assert.match(await page.locator('main').innerText(), /Adding someone to John Smith’s household/)
    assert.equal(await page.locator('#postcode').inputValue(), 'DB1 4QT', 'the household’s postcode is filled in')
    await page.locator('#dob-day').fill('2')
    await page.locator('#dob-month').fill('2')
    await page.locator('#dob-year').fill('1950')
    await go(
      page,
      'how Florence is related to John',
      () => page.getByRole('button', { name: 'Save', exact: true }).click(),
      (url) => new RegExp(`^/people/${johnId}/household/add/\\d+$`).test(url.pathname),
    )
    await page.getByRole('group', { name: 'What is Florence’s relationship to John?' }).getByLabel('Grandparent').check()
    await page
      .getByRole('group', { name: /Do they have parental responsibility/ })
      .getByLabel('No')
      .check()
    await go(
      page,
      'John’s record with Florence in the household',
      () => page.getByRole('button', { name: 'Add to the household' }).click(),
      (url) => url.pathname === `/people/${johnId}`,
    )
    assert.match(await page.getByRole('table', { name: /^People who live or lived with/ }).innerText(), /Florence Smith\s+Grandparent/)
  })

  test('the merge page', async () => {
    const amelia = (await t.db.selectFrom('people').select('id').where('given_name', '=', 'Amelia').executeTakeFirstOrThrow()).id
    await visitChecked(page, `/people/${johnId}/merge/${amelia}`, 'the merge page')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Merge the records' }).click()])
    await page.waitForLoadState('load')
    assert.equal(await page.locator('.govuk-error-summary a[href="#reason"]').count(), 1)
    await assertAccessible(page, 'the merge page without a reason')
  })

  test('the break-glass review list, and a review', async () => {
    await visitChecked(page, '/break-glass', 'the break-glass review list')
    const card = page.locator('.govuk-summary-card', { hasText: 'Child protection enquiry started today' })
    assert.equal(await card.count(), 1)
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), card.getByRole('button', { name: 'Record review' }).click()])
    await page.waitForLoadState('load')
    assert.equal(await page.locator('.govuk-error-summary a[href="#note"]').count(), 1)
    await assertAccessible(page, 'the break-glass review without a note')
    await page.locator('#note').fill('Confirmed with the team manager')
    await go(
      page,
      'the break-glass list after the review',
      () => page.getByRole('button', { name: 'Record review' }).first().click(),
      (url) => url.pathname === '/break-glass' && url.searchParams.get('done') === '1',
    )
    assert.match(await page.locator('.govuk-notification-banner').innerText(), /Review recorded/)
    assert.equal(await page.locator('.govuk-summary-card', { hasText: 'Child protection enquiry started today' }).count(), 0)
  })
})

test('without JavaScript, the practitioner searches, adds a child from the search and finds them again', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  try {
    const page = await context.newPage()
    checker.withoutJavaScript(page)
    await signIn(page, base, PRACTITIONER, t.demo.password)
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'JavaScript should really be off')
    await axe(page, 'the home page')
    await journey(page, { given: 'Ptolemy', family: 'Wigglesworth', typo: 'Wiglesworth', dob: ['1', '2', '2018'], born: '1 February 2018' })
  } finally {
    await context.close()
  }
})

test('a social worker finds a child in search and starts a CAF without a right to the record: asked how they know the child, then sees only what the assessment needs', async () => {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await signIn(page, base, SOCIAL_CARE, t.demo.password)
    await search(page, 'Amelia Smith', ['30', '11', '2018'], 'the search results for Amelia')
    await go(
      page,
      'the start page, without a right to the record',
      () => page.getByRole('link', { name: /Start a CAF for Amelia Smith/ }).click(),
      (url) => /^\/people\/\d+\/start-caf$/.test(url.pathname),
    )
    assert.doesNotMatch(await page.locator('main').innerText(), /Amelia|Smith/, 'the start page names no one')
    await page.getByLabel('Starting the pre-assessment checklist now').check()
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Continue' }).click()])
    await page.waitForLoadState('load')
    assert.equal(await page.locator('.govuk-error-summary a[href="#relationship"]').count(), 1, 'the relationship is asked for')
    await assertAccessible(page, 'the start page without the relationship')
    await page.getByLabel('What is your relationship to the child?').fill('I am the duty social worker who took the referral')
    await go(
      page,
      'the pre-assessment checklist',
      () => page.getByRole('button', { name: 'Continue' }).click(),
      (url) => /^\/episodes\/\d+\/pre-assessment$/.test(url.pathname),
    )
    const amelia = (await t.db.selectFrom('people').select('id').where('given_name', '=', 'Amelia').executeTakeFirstOrThrow()).id
    await visitChecked(page, `/people/${amelia}`, "Amelia's record, as far as the assessment needs")
    const shown = await page.locator('main').innerText()
    assert.match(shown, /Until the family’s consent is recorded/)
    assert.doesNotMatch(shown, /History of changes|Ethnicity|Household/)
  } finally {
    await context.close()
  }
})
