import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { pdfText } from '../../src/features/assessment/pdf-text.test-helper.ts'
import type { DemoApp } from '../helpers/app.ts'
import { AxeChecker, cspErrors, launchBrowser, signIn, startApp, visit, watchConsole } from './helpers.ts'

/**
 * A CAF episode from end to end in Chromium, as a practitioner does it: "Is there already a CAF?",
 * the child's record, an intention to assess, the pre-assessment checklist, a family assessment on the
 * task list, consent, completion, the lead professional and the family's copy. Every page visited,
 * error states included, is checked with axe. The second journey does the same with JavaScript off,
 * so that every step is shown to work by plain form posts.
 */

const PRACTITIONER = 'practitioner@demo-borough.example'

let t: DemoApp
let base: string
let browser: Browser
/** A context with JavaScript, where pages seen without JavaScript are checked with axe. */
let checkerContext: BrowserContext
let ids: { minhAnh: number; john: number }

async function personId(given: string, family: string): Promise<number> {
  return (await t.db.selectFrom('people').select('id').where('given_name', '=', given).where('family_name', '=', family).executeTakeFirstOrThrow()).id
}

before(async () => {
  ;({ t, base } = await startApp())
  browser = await launchBrowser()
  checkerContext = await browser.newContext()
  checker = new AxeChecker(checkerContext)
  ids = {
    minhAnh: await personId('Minh Anh', 'Nguyễn'),
    john: await personId('John', 'Smith'),
  }
})

after(async () => {
  await checkerContext?.close()
  await browser?.close()
  await t?.close()
})

let checker: AxeChecker
const axe = (page: Page, label: string) => checker.check(page, label)
const go = (page: Page, label: string, click: () => Promise<void>, arrived: (url: URL) => boolean) => checker.go(page, label, click, arrived)

/** Submits a form that should be refused: the same page comes back (400) with the error summary. Runs axe on it. */
async function refused(page: Page, label: string, click: () => Promise<void>): Promise<void> {
  const path = new URL(page.url()).pathname
  const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'POST'), click()])
  await page.waitForLoadState('load')
  assert.equal(response.status(), 400, `${label}: the form should be refused`)
  assert.match(await page.title(), /^Error: /, `${label}: the page title should start with "Error: "`)
  assert.equal(await page.locator('.govuk-error-summary').getByRole('heading').innerText(), 'There is a problem')
  await axe(page, label)
}

async function visitChecked(page: Page, path: string, label: string): Promise<void> {
  const response = await visit(page, base, path)
  assert.equal(response.status(), 200, `${path} answered ${response.status()}`)
  await axe(page, label)
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true })
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true })
const h1 = async (page: Page) => (await page.getByRole('heading', { level: 1 }).innerText()).trim()
const banner = async (page: Page) => (await page.locator('.govuk-notification-banner').innerText()).trim()

/** A date as the three boxes of a GOV.UK date input: day, month, year (UTC, as the server counts days). */
function parts(d: Date): [string, string, string] {
  return [String(d.getUTCDate()), String(d.getUTCMonth() + 1), String(d.getUTCFullYear())]
}
const TODAY = new Date()
const IN_TWO_WEEKS = new Date(TODAY.getTime() + 14 * 86_400_000)
const A_WEEK_AGO = new Date(TODAY.getTime() - 7 * 86_400_000)
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' })
/** How the app writes a date: "2 October 2016". */
const longDate = (d: Date) => LONG_DATE.format(new Date(`${d.toISOString().slice(0, 10)}T12:00:00Z`))

async function fillDate(page: Page, prefix: string, [day, month, year]: [string, string, string]): Promise<void> {
  await page.locator(`#${prefix}-day`).fill(day)
  await page.locator(`#${prefix}-month`).fill(month)
  await page.locator(`#${prefix}-year`).fill(year)
}

/** Each task on the task list, by title, with its status as shown ("Completed", "Not started"...). */
async function taskStatuses(page: Page): Promise<Record<string, string>> {
  const rows = await page.$$eval('.govuk-task-list__item', (items) =>
    items.map((li) => [
      li.querySelector('.govuk-task-list__name-and-hint > :first-child')?.textContent?.trim() ?? '',
      li.querySelector('.govuk-task-list__status')?.textContent?.trim() ?? '',
    ]),
  )
  return Object.fromEntries(rows)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A summary list row's value, by its key. */
async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page
    .locator('.govuk-summary-list__row')
    .filter({ has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${escapeRegExp(key)}\\s*$`) }) })
  return (await row.first().locator('.govuk-summary-list__value').innerText()).trim()
}

/** Answers the five questions of the pre-assessment checklist and saves them, landing on the recommendation. */
async function answerChecklist(page: Page, episode: number, answers: Record<string, 'Yes' | 'No' | 'Not sure'>, concern: string): Promise<void> {
  for (const [question, answer] of Object.entries(answers)) {
    await page.getByRole('group', { name: question, exact: true }).getByLabel(answer, { exact: true }).check()
  }
  await page.getByLabel('The concern, in your own words').fill(concern)
  await go(
    page,
    'the recommendation of the checklist',
    () => button(page, 'Save and see the recommendation').click(),
    (url) => url.pathname === `/episodes/${episode}/pre-assessment/decision`,
  )
  assert.equal(await h1(page), 'What the checklist recommends')
}

/** From the task list, opens a task by its title, fills it in, saves it and is back on the task list. */
async function saveTask(page: Page, episode: number, title: string, fill: () => Promise<void>): Promise<void> {
  await go(
    page,
    `the task "${title}"`,
    () => link(page, title).click(),
    (url) => url.pathname.startsWith(`/episodes/${episode}/assessment/`),
  )
  assert.equal(await h1(page), title)
  await fill()
  await go(
    page,
    `the task list after saving "${title}"`,
    () => button(page, 'Save and continue').click(),
    (url) => url.pathname === `/episodes/${episode}/assessment` && url.searchParams.get('done') === 'saved',
  )
  assert.match(await banner(page), /Section saved/)
  assert.equal((await taskStatuses(page))[title], 'Completed', `"${title}" should be completed`)
}

/** From the task list: records consent given in writing by this person, sharing with these agencies; back on the task list. */
async function recordConsent(page: Page, episode: number, givenBy: string, agencies: string[], before?: () => Promise<void>): Promise<void> {
  await go(
    page,
    'the consent page, nothing recorded',
    () => link(page, 'Consent and agreement').click(),
    (url) => url.pathname === `/episodes/${episode}/consent`,
  )
  assert.equal(await h1(page), 'Consent and agreement')
  assert.match(await page.locator('main').innerText(), /The family’s consent has not been recorded yet/)
  await go(
    page,
    'the form to record consent',
    () => button(page, 'Record consent').click(),
    (url) => url.pathname === `/episodes/${episode}/consent/record`,
  )
  assert.equal(await h1(page), 'Record consent')
  await page.getByLabel('Yes, they agree to the assessment and to information being shared with the agencies below').check()
  await page.getByRole('group', { name: 'Who gave their answer?' }).getByLabel(givenBy, { exact: true }).check()
  await page.getByLabel('A parent or carer with parental responsibility').check()
  await page.getByLabel('In writing (a signed form or a message from them)').check()
  const sharing = page.getByRole('group', { name: 'Which agencies may information be shared with?' })
  assert.ok(await sharing.getByLabel('Oakfield Primary School', { exact: true }).isChecked(), 'the starting agency is suggested')
  for (const agency of agencies) await sharing.getByLabel(agency, { exact: true }).check()
  if (before) await before()
  await fillDate(page, 'given', parts(TODAY))
  await go(
    page,
    'the consent page after recording consent',
    () => button(page, 'Save consent').click(),
    (url) => url.pathname === `/episodes/${episode}/consent` && url.searchParams.get('done') === 'recorded',
  )
  assert.match(await banner(page), /Consent recorded/)
  assert.equal(await summaryValue(page, 'Decision'), 'Given')
  assert.match(await summaryValue(page, 'Given by'), new RegExp(`^${givenBy} \\(parent or carer with parental responsibility\\)`))
  assert.equal(await summaryValue(page, 'How'), 'In writing')
  assert.equal(await summaryValue(page, 'Date'), longDate(TODAY))
  const table = await page.locator('table').innerText()
  for (const agency of agencies) assert.match(table, new RegExp(escapeRegExp(agency)))

  // Consent is a task of the assessment: its page leads back to the task list.
  await go(
    page,
    'the task list, from consent',
    () => link(page, 'Back to the assessment').click(),
    (url) => url.pathname === `/episodes/${episode}/assessment`,
  )
  await visitChecked(page, `/episodes/${episode}`, 'the episode page, after consent')
  assert.equal(await summaryValue(page, 'Consent'), `Given, shared with ${agencies.length} agencies`)
  await go(
    page,
    'the task list, from the episode page',
    () => link(page, 'The assessment').click(),
    (url) => url.pathname === `/episodes/${episode}/assessment`,
  )
  assert.equal((await taskStatuses(page))['Consent and agreement'], 'Completed')
}

/** From the task list: checks the answers and completes the assessment; lands on the episode page. */
async function checkAndComplete(page: Page, episode: number, expected: RegExp[]): Promise<void> {
  await go(
    page,
    'check your answers',
    () => link(page, 'Check your answers and complete').click(),
    (url) => url.pathname === `/episodes/${episode}/assessment/check`,
  )
  assert.equal(await h1(page), 'Check your answers')
  const main = await page.locator('main').innerText()
  assert.doesNotMatch(main, /Before the assessment can be completed/, 'nothing needed should be missing')
  for (const e of expected) assert.match(main, e)
  await go(
    page,
    'the episode page after completing the assessment',
    () => button(page, 'Complete the assessment').click(),
    (url) => url.pathname === `/episodes/${episode}` && url.searchParams.get('done') === 'completed',
  )
  assert.match(await banner(page), /Assessment completed/)
  assert.match(await summaryValue(page, 'Stage'), /Assessment complete/)
  assert.equal(await summaryValue(page, 'Copy given to the family'), 'Not yet')
}

/** From the episode page: the practitioner appoints herself lead professional, agreed with the family today. */
async function appointSelfLead(page: Page, episode: number): Promise<void> {
  assert.equal(await summaryValue(page, 'Lead professional'), 'Not yet appointed')
  await go(
    page,
    'appoint the lead professional',
    () => link(page, 'Change lead professional').click(),
    (url) => url.pathname === `/episodes/${episode}/lead`,
  )
  assert.equal(await h1(page), 'Appoint the lead professional')
  await page.getByRole('group', { name: 'Who will be the lead professional?' }).getByLabel('Priya Patel', { exact: true }).check()
  await fillDate(page, 'agreed', parts(TODAY))
  await go(
    page,
    'the episode page after appointing the lead professional',
    () => button(page, 'Save').click(),
    (url) => url.pathname === `/episodes/${episode}` && url.searchParams.get('done') === 'lead',
  )
  assert.match(await banner(page), /Lead professional updated/)
  assert.match(await summaryValue(page, 'Lead professional'), /^Priya Patel\s+Oakfield Primary School\s+practitioner@demo-borough\.example/)
}

/** From the episode page: opens the family's copy, downloads the PDF and records the copy given today. */
async function familyCopy(page: Page, episode: number, names: string[]): Promise<void> {
  await go(
    page,
    'the family’s copy',
    () => link(page, 'The family’s copy of the assessment').click(),
    (url) => url.pathname === `/episodes/${episode}/family-copy`,
  )
  assert.equal(await h1(page), 'Your family’s early help assessment')
  const article = await page.locator('article').innerText()
  for (const name of names) assert.ok(article.includes(name), `the copy names ${name}`)
  assert.match(article, /Your lead professional\s+Priya Patel, Oakfield Primary School/)

  const pdfLink = link(page, 'download it as a PDF')
  const href = new URL((await pdfLink.getAttribute('href'))!, base).href
  assert.equal(new URL(href).pathname, `/episodes/${episode}/family-copy.pdf`)
  const [download] = await Promise.all([page.waitForEvent('download'), pdfLink.click()])
  assert.equal(download.suggestedFilename(), `caf-assessment-${episode}.pdf`)
  const downloaded = await fs.readFile(await download.path())
  assert.equal(downloaded.subarray(0, 4).toString('latin1'), '%PDF', 'the download is a PDF')
  const response = await page.request.get(href)
  assert.equal(response.status(), 200)
  assert.equal(response.headers()['content-type'], 'application/pdf')
  const body = await response.body()
  assert.equal(body.subarray(0, 4).toString('latin1'), '%PDF')
  const text = pdfText(body).text
  for (const name of names) assert.ok(text.includes(name), `the PDF names ${name}`)
  assert.equal(new URL(page.url()).pathname, `/episodes/${episode}/family-copy`, 'downloading does not leave the page')

  await fillDate(page, 'given', parts(TODAY))
  await go(
    page,
    'the episode page after recording the copy given',
    () => button(page, 'Record copy given').click(),
    (url) => url.pathname === `/episodes/${episode}` && url.searchParams.get('done') === 'copy',
  )
  assert.match(await banner(page), /Copy given to the family recorded/)
  assert.equal(await summaryValue(page, 'Copy given to the family'), longDate(TODAY))
}

const episodeFrom = (page: Page) => Number(/^\/episodes\/(\d+)/.exec(new URL(page.url()).pathname)![1])

describe('with JavaScript: a family CAF for the Nguyễn family, from "Is there already a CAF?" to the family’s copy', () => {
  let context: BrowserContext
  let page: Page
  let log: { errors: string[] }
  let episode: number
  /** The steps follow on from each other: after one fails, the rest are skipped rather than timing out. */
  let failed = false
  const step = (name: string, fn: () => Promise<void>) =>
    test(name, async (tc) => {
      if (failed) return tc.skip('an earlier step of the journey failed')
      try {
        await fn()
      } catch (error) {
        failed = true
        throw error
      }
    })

  before(async () => {
    context = await browser.newContext()
    page = await context.newPage()
    page.setDefaultTimeout(10_000)
    log = watchConsole(page)
    await signIn(page, base, PRACTITIONER, t.demo.password)
    await axe(page, 'the home page')
  })
  after(() => context.close())

  step('searches for Minh Anh, opens his record and records an intention to do a family CAF', async () => {
    await go(
      page,
      'the search page',
      () => page.getByRole('link', { name: 'Find a child or adult', exact: true }).first().click(),
      (url) => url.pathname === '/people' && !url.search,
    )
    assert.equal(await h1(page), 'Is there already a CAF? Find a child or adult')
    await page.getByLabel('Name', { exact: true }).fill('Nguyen Minh Anh')
    await go(
      page,
      'the search results for Nguyen Minh Anh',
      () => button(page, 'Search').click(),
      (url) => url.pathname === '/people' && url.searchParams.get('q') === 'Nguyen Minh Anh',
    )
    const row = page.locator('table tbody tr').filter({ has: link(page, 'Minh Anh Nguyễn') })
    assert.equal(await row.count(), 1, 'Minh Anh is found despite the name written the other way round and without accents')
    assert.match(await row.innerText(), /2 October 2016/)
    assert.match(await row.innerText(), /No open CAF/)

    await go(
      page,
      "Minh Anh's record",
      () => row.getByRole('link', { name: 'Minh Anh Nguyễn', exact: true }).click(),
      (url) => url.pathname === `/people/${ids.minhAnh}`,
    )
    assert.equal(await h1(page), 'Minh Anh Nguyễn')
    assert.match(await page.locator('main').innerText(), /No CAF episodes\./)

    await go(
      page,
      'the start page',
      () => button(page, 'Start a CAF').click(),
      (url) => url.pathname === `/people/${ids.minhAnh}/start-caf`,
    )
    assert.equal(await h1(page), 'Start a CAF')
    assert.equal((await page.locator('.govuk-caption-l').innerText()).trim(), 'Minh Anh Nguyễn, born 2 October 2016')
    const members = page.getByRole('group', { name: 'For a family CAF: who else in the household does it cover?' })
    const reason = page.getByLabel('Why do you intend to assess?')
    assert.equal(await members.isVisible(), false, 'the household is asked about only for a family CAF')
    assert.equal(await reason.isVisible(), false, 'the intention is asked about only when recording one')
    await page.getByLabel('The whole family (a family CAF)').check()
    await members.getByLabel('Mai Nguyễn', { exact: true }).check()
    await members.getByLabel('Thi Linh Nguyễn', { exact: true }).check()
    await page.getByLabel('Recording that I intend to assess').check()
    assert.equal(await reason.isVisible(), true)
    await page.getByLabel('Why do you intend to assess?').fill('Minh Anh is often late and tired; mum says mornings are hard with the baby.')
    await fillDate(page, 'planned', parts(IN_TWO_WEEKS))
    await go(
      page,
      'the episode page after recording the intention',
      () => button(page, 'Continue').click(),
      (url) => /^\/episodes\/\d+$/.test(url.pathname) && url.searchParams.get('done') === 'intention',
    )
    episode = episodeFrom(page)
    assert.match(await banner(page), /Intention to assess recorded/)
    assert.equal(await h1(page), 'CAF for Minh Anh Nguyễn, Mai Nguyễn')
    assert.equal((await page.locator('.govuk-caption-l').innerText()).trim(), `CAF episode ${episode}: family CAF`)
    assert.equal(await summaryValue(page, 'Stage'), 'Intention to assess')
    assert.match(await summaryValue(page, 'Children'), /Minh Anh Nguyễn, born 2 October 2016\s+Mai Nguyễn, born 25 May 2021/)
    assert.match(await summaryValue(page, 'Adults'), /Thi Linh Nguyễn/)
    assert.match(await summaryValue(page, 'Intention'), new RegExp(`mornings are hard with the baby\\. Planned for ${longDate(IN_TWO_WEEKS)}\\.$`))
  })

  step('starts the pre-assessment checklist, sees the recommendation and decides to start the assessment', async () => {
    await go(
      page,
      'the pre-assessment checklist',
      () => button(page, 'Start the pre-assessment checklist').click(),
      (url) => url.pathname === `/episodes/${episode}/pre-assessment`,
    )
    assert.equal(await h1(page), 'Pre-assessment checklist')
    await page.locator('#learning-note').fill('Late most mornings; reading is behind')
    await page.getByLabel('Agencies already involved (optional)').fill('Health visitor for Mai')
    await answerChecklist(
      page,
      episode,
      {
        'Are the children healthy?': 'Yes',
        'Are the children safe from harm?': 'Yes',
        'Are the children learning and developing?': 'No',
        'Are the children having a positive impact on others?': 'Yes',
        'Are the children free from the negative impact of poverty?': 'No',
      },
      'Late for school most days; mum is on her own with a toddler and money is tight.',
    )
    assert.equal((await page.locator('.app-recommendation h2').innerText()).trim(), 'Recommended: Level 3: multiple or complex needs')
    assert.match(await page.locator('.app-recommendation').innerText(), /Because there are 2 areas of concern\./)
    assert.equal(await summaryValue(page, 'Are the children learning and developing?'), 'No: Late most mornings; reading is behind')
    assert.ok(await page.getByLabel('Level 3: multiple or complex needs').isChecked(), 'the recommended level is chosen to start with')
    assert.ok(await page.getByLabel('Start a CAF assessment with the family').isChecked(), 'the recommended step is chosen to start with')
    await page.getByLabel('Why did you decide this?').fill('School, health visiting and housing all need to be involved.')
    await go(
      page,
      'the assessment task list, nothing done',
      () => button(page, 'Record the decision').click(),
      (url) => url.pathname === `/episodes/${episode}/assessment`,
    )
    assert.equal(await h1(page), 'The assessment')
    const statuses = await taskStatuses(page)
    assert.equal(statuses['Who was present and what led to the assessment'], 'Not started')
    assert.equal(statuses['Development of the child: Minh Anh Nguyễn'], 'Not started')
    assert.equal(statuses['Development of the child: Mai Nguyễn'], 'Not started')
    assert.equal(statuses['Check your answers and complete'], 'Cannot start yet')
  })

  step('fills in the family assessment on the task list, with a date error on "Who was present" shown and corrected', async () => {
    const present = 'Who was present and what led to the assessment'
    await go(
      page,
      `the task "${present}"`,
      () => link(page, present).click(),
      (url) => url.pathname === `/episodes/${episode}/assessment/present`,
    )
    const who = page.getByRole('group', { name: 'Who from the family was present?' })
    await who.getByLabel('Thi Linh Nguyễn', { exact: true }).check()
    await who.getByLabel('Minh Anh Nguyễn', { exact: true }).check()
    assert.equal(
      await page.getByLabel('What led to this assessment?').inputValue(),
      'Late for school most days; mum is on her own with a toddler and money is tight.',
      'the concern from the pre-assessment is carried forward, not asked again',
    )
    await page.getByLabel('What led to this assessment?').fill('The school raised lateness; mum asked for help at parents’ evening.')
    await fillDate(page, 'date', ['30', '2', parts(TODAY)[2]])
    await refused(page, '"Who was present" with an impossible date', () => button(page, 'Save and continue').click())
    const summary = page.locator('.govuk-error-summary')
    assert.match(await summary.innerText(), /Date of the assessment must be a real date/)
    assert.equal(await summary.locator('a[href="#date-day"]').count(), 1, 'the summary links to the day box')
    assert.match(await page.locator('#date-error').innerText(), /must be a real date/)
    assert.equal(
      await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary')),
      true,
      'GOV.UK Frontend moves focus to the error summary',
    )
    assert.ok(await who.getByLabel('Thi Linh Nguyễn', { exact: true }).isChecked(), 'what was ticked is kept')
    assert.equal(await page.getByLabel('What led to this assessment?').inputValue(), 'The school raised lateness; mum asked for help at parents’ evening.')
    await summary.locator('a[href="#date-day"]').click()
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'date-day', 'the summary link leads to the day box')
    await fillDate(page, 'date', parts(TODAY))
    await go(
      page,
      'the task list after saving who was present',
      () => button(page, 'Save and continue').click(),
      (url) => url.pathname === `/episodes/${episode}/assessment` && url.searchParams.get('done') === 'saved',
    )
    assert.match(await banner(page), /Section saved/)
    assert.equal((await taskStatuses(page))[present], 'Completed')
    await visitChecked(page, `/episodes/${episode}/assessment/services`, 'services already involved, carried forward')
    assert.equal(await page.getByLabel('Other services').inputValue(), 'Health visitor for Mai', 'the agencies named at the pre-assessment are carried forward')
    await visitChecked(page, `/episodes/${episode}/assessment`, 'the task list')

    await saveTask(page, episode, 'Minh Anh Nguyễn’s views', () =>
      page.getByLabel('What does Minh Anh Nguyễn think and want?').fill('He wants to get to school in time for football.'),
    )
    await saveTask(page, episode, 'Mai Nguyễn’s views', () =>
      page.getByLabel('If you could not record their views, say why').fill('Mai is three and too young to say; she was happy and playing.'),
    )
    await saveTask(page, episode, 'Parents’ or carers’ views', () =>
      page.getByLabel('What do the parents or carers think and want?').fill('Thi Linh wants help with mornings and with money.'),
    )

    const development = 'Development of the child: Minh Anh Nguyễn'
    await go(
      page,
      `the task "${development}"`,
      () => link(page, development).click(),
      (url) => url.pathname === `/episodes/${episode}/assessment/domain-child-${ids.minhAnh}`,
    )
    assert.equal(await h1(page), development)
    const health = page.getByRole('group', { name: 'General health', exact: true })
    await health.getByLabel('Strengths and needs, in words').fill('Healthy, but tired in the mornings.')
    await health.getByLabel('Your score (practitioner)').selectOption('6')
    await health.getByLabel('The parent’s or young person’s score').selectOption('7')
    await go(
      page,
      'the task list after saving one element',
      () => button(page, 'Save and continue').click(),
      (url) => url.pathname === `/episodes/${episode}/assessment` && url.searchParams.get('done') === 'saved',
    )
    assert.equal((await taskStatuses(page))[development], 'In progress', 'one element of eight is in progress, not complete')

    await saveTask(page, episode, 'Strengths, needs and what should change', async () => {
      await page.getByLabel('Strengths and resources').fill('A loving mum; Minh Anh likes school and football.')
      await page.locator('#needs-1-need').fill('Gets to school late most days')
      await page.locator('#needs-1-term').selectOption('short')
      await page.locator('#needs-1-outcome').fill('Minh Anh is in class on time every day by half term')
    })
  })

  step('records consent from Thi Linh, sharing with Oakfield Primary School and the health visiting team', async () => {
    await recordConsent(page, episode, 'Thi Linh Nguyễn', ['Oakfield Primary School', 'Demo Borough Health Visiting Team'])
    const statuses = await taskStatuses(page)
    for (const task of [
      'Who was present and what led to the assessment',
      'Minh Anh Nguyễn’s views',
      'Mai Nguyễn’s views',
      'Parents’ or carers’ views',
      'Strengths, needs and what should change',
      'Consent and agreement',
    ])
      assert.equal(statuses[task], 'Completed', `"${task}" should be completed`)
    assert.equal(statuses['Development of the child: Minh Anh Nguyễn'], 'In progress')
    assert.equal(statuses['Development of the child: Mai Nguyễn'], 'Not started')
    assert.equal(statuses['Check your answers and complete'], 'Not started')
    assert.match(await page.locator('main').innerText(), /You have completed 6 of \d+ sections/)
  })

  step('checks the answers and completes the assessment', async () => {
    await checkAndComplete(page, episode, [
      /Minh Anh Nguyễn’s views/,
      /He wants to get to school in time for football\./,
      /Healthy, but tired in the mornings\.\s+Practitioner’s score: 6\. Family’s score: 7/,
      /1\. Gets to school late most days \(Short term \(the next few weeks\)\)\. Desired outcome: Minh Anh is in class on time every day by half term/,
      /Information may be shared with\s+Oakfield Primary School, Demo Borough Health Visiting Team|Information may be shared with\s+Demo Borough Health Visiting Team, Oakfield Primary School/,
    ])
  })

  step('appoints herself lead professional, agreed with the family today', async () => {
    await appointSelfLead(page, episode)
  })

  step("opens the family's copy, downloads the PDF and records the copy given today", async () => {
    await familyCopy(page, episode, ['Minh Anh Nguyễn', 'Mai Nguyễn', 'Thi Linh Nguyễn', 'Gets to school late most days'])
  })

  step('"Is there already a CAF?" now answers yes for Mai, with her lead professional', async () => {
    await go(
      page,
      'the search page',
      () => page.getByRole('link', { name: 'Find a child or adult', exact: true }).first().click(),
      (url) => url.pathname === '/people' && !url.search,
    )
    await page.getByLabel('Name', { exact: true }).fill('Mai Nguyen')
    await go(
      page,
      'the search results for Mai Nguyen, with an open CAF',
      () => button(page, 'Search').click(),
      (url) => url.pathname === '/people' && url.searchParams.get('q') === 'Mai Nguyen',
    )
    const row = page.locator('table tbody tr').filter({ has: link(page, 'Mai Nguyễn') })
    assert.equal(await link(page, 'Assessment complete').first().getAttribute('href'), `/episodes/${episode}`)
    assert.match(await row.innerText(), /Assessment complete\s+Priya Patel\s+Oakfield Primary School\s+practitioner@demo-borough\.example/)
    assert.deepEqual(cspErrors(log.errors), [], 'nothing should be refused by the Content Security Policy')
  })

  step('the team: only practitioners the consent lets in are offered, and a health visitor without an account joins by email', async () => {
    await visitChecked(page, `/episodes/${episode}/team`, 'the Team Around the Family')
    const offered = await page.locator('#user option').allInnerTexts()
    for (const o of offered.slice(1))
      assert.match(o, /\((Oakfield Primary School|Demo Borough Health Visiting Team)\)$/, `${o} is offered though the consent does not name their agency`)
    assert.match(await page.locator('#user-hint').innerText(), /Practitioners from agencies the family’s consent does not name are not listed/)
    await page.getByLabel('Name', { exact: true }).fill('Joan Ellis')
    await page.getByLabel('Role', { exact: true }).fill('Health visitor')
    await page.getByLabel('Organisation').selectOption({ label: 'Demo Borough Health Visiting Team' })
    const [noEmail] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/team/external') && r.request().method() === 'POST'),
      button(page, 'Add them to the team').click(),
    ])
    await page.waitForLoadState('load')
    assert.equal(noEmail.status(), 400, 'a member without an account needs an email address')
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter their email address/)
    await axe(page, 'the team form refused without an email address')
    await page.getByLabel('Email address').fill('joan.ellis@nhs.example')
    await go(
      page,
      'the team with a member without an account',
      () => button(page, 'Add them to the team').click(),
      (url) => url.searchParams.get('done') === 'external-added',
    )
    assert.match(
      await page.locator('table').filter({ hasText: 'Joan Ellis' }).innerText(),
      /Joan Ellis\s+Health visitor, Demo Borough Health Visiting Team\s+joan\.ellis@nhs\.example/,
    )
    await page.getByRole('group', { name: 'Which family members take part in the team?' }).getByLabel('Thi Linh Nguyễn').check()
    await go(
      page,
      'the team with Thi Linh taking part',
      () => button(page, 'Save family members').click(),
      (url) => url.searchParams.get('done') === 'family',
    )
  })

  step('arranges a meeting, changes it, cannot write it up before it starts, and writes up one already held', async () => {
    await visitChecked(page, `/episodes/${episode}`, 'the episode page, before the first meeting')
    assert.match(await page.locator('main').innerText(), /The first meeting is due by/)
    await go(
      page,
      'the form to arrange a meeting',
      () => button(page, 'Arrange a meeting').click(),
      (url) => url.pathname.endsWith('/meetings/new'),
    )
    await fillDate(page, 'date', parts(IN_TWO_WEEKS))
    await page.getByLabel('Time it starts').fill('25:00')
    await page.getByLabel('Place').fill('Minh Anh’s school, the family room')
    await page.getByLabel('Chair').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByLabel('Minute taker').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByRole('group', { name: 'Who from the team without a CAF Hub account is invited?' }).getByLabel('Joan Ellis').check()
    await page.getByRole('group', { name: 'How will Thi Linh Nguyễn be invited?' }).getByLabel('By a letter you print and give or post to them').check()
    await refused(page, 'a meeting with a time that is not a time', () => button(page, 'Arrange the meeting and send invitations').click())
    await page.getByLabel('Time it starts').fill('10:30')
    await go(
      page,
      'the meeting page',
      () => button(page, 'Arrange the meeting and send invitations').click(),
      (url) => /\/meetings\/\d+$/.test(url.pathname) && url.searchParams.get('done') === 'arranged',
    )
    assert.match(await banner(page), /Meeting arranged\. Invitations have been sent/)
    assert.match(await page.locator('main').innerText(), /Invitation sent to Priya Patel/)
    assert.match(await page.locator('main').innerText(), /Invitation sent to Joan Ellis/)
    await go(
      page,
      'the letter inviting Thi Linh',
      () => link(page, 'Print the letter for Thi Linh Nguyễn').click(),
      (url) => /\/letter\/\d+$/.test(url.pathname),
    )
    assert.match(await page.locator('main').innerText(), /Dear Thi Linh Nguyễn,\s+You are invited to a meeting about the help your family is getting/)
    await page.goBack()
    await go(
      page,
      'the form to change the meeting',
      () => button(page, 'Change the time or place').click(),
      (url) => url.pathname.endsWith('/change'),
    )
    await page.getByLabel('Time it starts').fill('2pm')
    await go(
      page,
      'the meeting page after a change',
      () => button(page, 'Save and send the update').click(),
      (url) => url.searchParams.get('done') === 'changed',
    )
    assert.match(await page.locator('main').innerText(), /Update sent to Priya Patel/)
    const arranged = await page.locator('main').innerText()
    assert.match(arranged, /You can record who came, the minutes and the decisions once the meeting has started/)
    assert.equal(await button(page, 'Record attendance, minutes and decisions').count(), 0, 'a meeting to come cannot be recorded as held')

    // The family's first meeting was held last week, before the CAF was on CAF Hub: it is written up now.
    await visitChecked(page, `/episodes/${episode}`, 'the episode page, with a meeting arranged')
    await go(
      page,
      'the form to write up a meeting already held',
      () => link(page, 'Record a meeting that has already happened').click(),
      (url) => url.pathname.endsWith('/meetings/past'),
    )
    await fillDate(page, 'date', parts(A_WEEK_AGO))
    await page.getByLabel('Time it starts').fill('9:30')
    await page.getByLabel('Place').fill('Minh Anh’s school, the family room')
    await page.getByLabel('Who chaired it').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByLabel('Who took the minutes').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await page.getByRole('group', { name: 'Was the family at the meeting?' }).getByLabel('Yes').check()
    await page.getByLabel('Minutes', { exact: true }).fill('Agreed to try a morning routine chart.')
    await refused(page, 'a write-up without who came', () => button(page, 'Save the record of the meeting').click())
    await page.getByRole('group', { name: 'Priya Patel (Oakfield Primary School)' }).getByLabel('Attended').check()
    await go(
      page,
      'the meeting written up after the event',
      () => button(page, 'Save the record of the meeting').click(),
      (url) => url.searchParams.get('done') === 'recorded-after',
    )
    assert.match(await banner(page), /Meeting recorded\. Nobody was sent an invitation for it/)
    const held = await page.locator('main').innerText()
    assert.match(held, /This meeting was written up after it happened/)
    assert.match(held, /Agreed to try a morning routine chart/)
    await visitChecked(page, `/episodes/${episode}`, 'the episode page, with a meeting held and one to come')
    const episodePage = await page.locator('main').innerText()
    assert.match(episodePage, /Held \(recorded after the event\)/)
    assert.doesNotMatch(episodePage, /The first meeting is (due by|overdue)/)
  })

  step('starts the plan from the assessment, adds an action and opens the family’s copy of the plan', async () => {
    await visitChecked(page, `/episodes/${episode}/plan`, 'the plan, not yet started')
    await go(
      page,
      'the plan, started',
      () => button(page, 'Start the plan from the assessment’s needs').click(),
      (url) => url.searchParams.get('done') === 'started',
    )
    await go(
      page,
      'the form to add an action',
      () =>
        page
          .getByRole('link', { name: /^Add an action/ })
          .first()
          .click(),
      (url) => url.pathname.endsWith('/actions/new'),
    )
    await refused(page, 'an action with nothing filled in', () => button(page, 'Save').click())
    await page.getByLabel('What will be done?').fill('Set up a morning routine chart with Minh Anh')
    await page.getByLabel('Who will do it?').selectOption({ label: 'Priya Patel (Oakfield Primary School)' })
    await fillDate(page, 'due', parts(IN_TWO_WEEKS))
    await go(
      page,
      'the plan with an action',
      () => button(page, 'Save').click(),
      (url) => url.searchParams.get('done') === 'added',
    )
    assert.match(await page.locator('main').innerText(), /Set up a morning routine chart with Minh Anh/)
    await go(
      page,
      'the form to update an action',
      () =>
        page
          .getByRole('link', { name: /^Update/ })
          .first()
          .click(),
      (url) => /\/plan\/actions\/\d+$/.test(url.pathname),
    )
    await page.getByRole('group', { name: 'Progress' }).getByLabel('In progress').check()
    await go(
      page,
      'the plan after an update',
      () => button(page, 'Save').click(),
      (url) => url.searchParams.get('done') === 'saved',
    )
    await go(
      page,
      'the family’s copy of the plan',
      () => link(page, 'The family’s copy of the plan').click(),
      (url) => url.pathname.endsWith('/plan/family'),
    )
    assert.match(await page.locator('main').innerText(), /Your family’s plan/)
  })

  step('records a review of each outcome with scores, and sees distance travelled as a chart and a table', async () => {
    await visitChecked(page, `/episodes/${episode}`, 'the episode page with the plan active')
    assert.match(await page.locator('main').innerText(), /The next review is due by/)
    await go(
      page,
      'the review form',
      () => link(page, 'Record a review').click(),
      (url) => url.pathname.endsWith('/reviews/new'),
    )
    await refused(page, 'a review with no outcome looked at', () => button(page, 'Save the review').click())
    await page.getByRole('group', { name: 'How is it going?' }).first().getByLabel('Progressing').check()
    await page.getByLabel('What shows this? In words').first().fill('On time three days out of five')
    // Only what was scored at the assessment is asked for, with last time's scores, practitioner first.
    const health = page.getByRole('group', { name: 'General health' }).first()
    assert.match(await health.innerText(), /Last scored at the assessment: practitioner 6, family 7/)
    assert.deepEqual(await health.locator('select').evaluateAll((s) => s.map((e) => ((e as HTMLSelectElement).labels?.[0]?.textContent ?? '').trim())), [
      'Your score (practitioner)',
      'The parent’s or young person’s score',
    ])
    assert.equal(await page.locator('select[id^="score-"]:visible').count(), 2, 'two score boxes on the page, not 62')
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    assert.ok(height < 5500, `the review form is ${height} px tall; with every element it was 9,600 px`)
    await health.getByLabel('Your score (practitioner)').selectOption('6')
    await health.getByLabel('The parent’s or young person’s score').selectOption('5')
    await page.getByText('Score another element').click()
    await page.getByRole('group', { name: 'Emotional and social development' }).first().getByLabel('Your score (practitioner)').selectOption('4')
    await page.getByRole('group', { name: 'What did the review decide?' }).getByLabel('Continue with the plan').check()
    await go(
      page,
      'distance travelled',
      () => button(page, 'Save the review').click(),
      (url) => url.pathname.endsWith('/progress'),
    )
    assert.equal((await page.locator('svg.app-chart').count()) > 0, true, 'a chart is drawn')
    assert.match(await page.locator('main').innerText(), /Review 1/)
  })

  // One box ticked is kept as a string ("10"), not a list: the form must not then tick agency 1 as well.
  test('a refused consent form keeps exactly the agencies ticked (one agency: the Early Help Hub)', async (tc) => {
    if (failed) return tc.skip('an earlier step of the journey failed')
    await visit(page, base, `/episodes/${episode}/consent/record`)
    await axe(page, 'the form to record a new consent decision')
    const sharing = page.getByRole('group', { name: 'Which agencies may information be shared with?' })
    for (const box of await sharing.getByRole('checkbox').all()) await box.uncheck()
    await sharing.getByLabel('Demo Borough Early Help Hub', { exact: true }).check()
    await refused(page, 'a new consent decision without a date', () => button(page, 'Save consent').click())
    assert.ok(await sharing.getByLabel('Demo Borough Early Help Hub', { exact: true }).isChecked(), 'the ticked agency is kept')
    assert.equal(await sharing.getByLabel('Oakfield Primary School', { exact: true }).isChecked(), false, 'an agency not ticked must not come back ticked')
  })

  step('a second review with scores marks the action done and closes the episode; distance travelled shows both reviews', async () => {
    await visitChecked(page, `/episodes/${episode}`, 'the episode page before closing')
    await go(
      page,
      'the closure form',
      () => link(page, 'Close the episode').click(),
      (url) => url.pathname.endsWith('/close'),
    )
    await refused(page, 'a closure with no reason', () => button(page, 'Close the episode').click())
    await visitChecked(page, `/episodes/${episode}/reviews/new`, 'the form for the second review')
    await page.getByRole('group', { name: 'How is it going?' }).first().getByLabel('Achieved').check()
    await page.getByLabel('What shows this? In words').first().fill('On time every day for five weeks')
    await page.getByRole('group', { name: 'Set up a morning routine chart with Minh Anh' }).getByLabel('Done', { exact: true }).check()
    const emotional = page.getByRole('group', { name: 'Emotional and social development' }).first()
    assert.match(
      await emotional.innerText(),
      /Last scored at review 1 on .*: practitioner 4, family not scored/,
      'an element first scored at a review is asked for at the next',
    )
    await page.getByRole('group', { name: 'General health' }).first().getByLabel('Your score (practitioner)').selectOption('7')
    await page.getByRole('group', { name: 'General health' }).first().getByLabel('The parent’s or young person’s score').selectOption('8')
    await page.getByRole('group', { name: 'What did the review decide?' }).getByLabel('Close the episode').check()
    await refused(page, 'a review that closes without a reason or summary', () => button(page, 'Save the review').click())
    assert.equal(
      await page.getByRole('group', { name: 'General health' }).first().getByLabel('Your score (practitioner)').inputValue(),
      '7',
      'the scores are kept',
    )
    await page.getByRole('group', { name: 'Why is the episode closing?' }).getByLabel('Needs met').check()
    await page.getByLabel('Closing summary').fill('Mornings are calmer; Minh Anh is on time most days.')
    await go(
      page,
      'the episode closed by the review',
      () => button(page, 'Save the review').click(),
      (url) => url.searchParams.get('done') === 'closed',
    )
    assert.equal(await summaryValue(page, 'Why'), 'Needs met')
    assert.equal(await summaryValue(page, 'Desired outcomes achieved'), '1 of 1')
    assert.match(await page.locator('main').innerText(), /Follow-up calls/)
    await visitChecked(page, `/episodes/${episode}/progress`, 'distance travelled after two reviews')
    const table = page.locator('table').filter({ hasText: 'General health' }).first()
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())))
    assert.deepEqual(
      rows.map((r) => [r[0], r[2], r[3]]),
      [
        ['Assessment', '6', '7'],
        ['Review 1', '6', '5'],
        ['Review 2', '7', '8'],
      ],
    )
    assert.equal(await page.locator('svg.app-chart').first().locator('.app-chart__dot--family').count(), 3, 'three family scores drawn')
  })

  step('records a follow-up call after closing', async () => {
    await t.db
      .updateTable('follow_ups')
      .set({ due_on: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()) })
      .where('episode_id', '=', episode)
      .where('months', '=', 3)
      .execute()
    await visitChecked(page, `/episodes/${episode}`, 'the closed episode with a call due')
    await go(
      page,
      'the follow-up questionnaire',
      () => page.getByRole('link', { name: /^Record the call/ }).click(),
      (url) => /\/follow-ups\/\d+$/.test(url.pathname),
    )
    await page.getByRole('group', { name: 'Have things stayed better since the support ended?' }).getByLabel('Yes').check()
    await page.getByRole('group', { name: 'Would they recommend this kind of help to another family?' }).getByLabel('Yes').check()
    await go(
      page,
      'the episode after the call',
      () => button(page, 'Save the answers').click(),
      (url) => url.searchParams.get('done') === 'follow-up',
    )
    assert.match(await page.locator('main').innerText(), /Called/)
  })
})

test('without JavaScript: a family CAF for the Smiths, every step by plain form posts', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false })
  try {
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    checker.withoutJavaScript(page)
    await signIn(page, base, PRACTITIONER, t.demo.password)
    assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'JavaScript should really be off')
    await axe(page, 'the home page')

    await visitChecked(page, `/people/${ids.john}`, "John's record")
    assert.equal(await h1(page), 'John Smith')
    await go(
      page,
      'the start page',
      () => button(page, 'Start a CAF').click(),
      (url) => url.pathname === `/people/${ids.john}/start-caf`,
    )
    await page.getByLabel('The whole family (a family CAF)').check()
    const members = page.getByRole('group', { name: 'For a family CAF: who else in the household does it cover?' })
    assert.equal(await members.isVisible(), true, 'without JavaScript, the household question is always shown')
    await members.getByLabel('Amelia Smith', { exact: true }).check()
    await members.getByLabel('Sarah Smith', { exact: true }).check()
    await page.getByLabel('Starting the pre-assessment checklist now').check()
    await go(
      page,
      'the pre-assessment checklist',
      () => button(page, 'Continue').click(),
      (url) => /^\/episodes\/\d+\/pre-assessment$/.test(url.pathname),
    )
    const episode = episodeFrom(page)
    assert.equal(await h1(page), 'Pre-assessment checklist')
    assert.equal((await page.locator('.govuk-caption-l').innerText()).trim(), `CAF episode ${episode}: family CAF`)

    await answerChecklist(
      page,
      episode,
      {
        'Are the children healthy?': 'Yes',
        'Are the children safe from harm?': 'Yes',
        'Are the children learning and developing?': 'No',
        'Are the children having a positive impact on others?': 'Not sure',
        'Are the children free from the negative impact of poverty?': 'Yes',
      },
      'Late for school most days; mum is struggling.',
    )
    assert.equal((await page.locator('.app-recommendation h2').innerText()).trim(), 'Recommended: Level 3: multiple or complex needs')
    await page.getByLabel('Why did you decide this?').fill('Several agencies needed')
    await go(
      page,
      'the assessment task list',
      () => button(page, 'Record the decision').click(),
      (url) => url.pathname === `/episodes/${episode}/assessment`,
    )
    assert.equal(await h1(page), 'The assessment')

    await saveTask(page, episode, 'Who was present and what led to the assessment', async () => {
      await fillDate(page, 'date', parts(TODAY))
      await page.getByRole('group', { name: 'Who from the family was present?' }).getByLabel('Sarah Smith', { exact: true }).check()
      await page.getByLabel('What led to this assessment?').fill('School raised concerns about lateness')
    })
    await saveTask(page, episode, 'John Smith’s views', () =>
      page.getByLabel('What does John Smith think and want?').fill('Wants to walk to school with friends'),
    )
    await saveTask(page, episode, 'Amelia Smith’s views', () =>
      page.getByLabel('What does Amelia Smith think and want?').fill('Likes her teacher and wants to go to the breakfast club'),
    )
    await saveTask(page, episode, 'Parents’ or carers’ views', () =>
      page.getByLabel('What do the parents or carers think and want?').fill('Mum wants help with mornings'),
    )
    await saveTask(page, episode, 'Strengths, needs and what should change', async () => {
      await page.locator('#needs-1-need').fill('Gets to school late most days')
      await page.locator('#needs-1-term').selectOption('short')
      await page.locator('#needs-1-outcome').fill('On time every day by half term')
    })

    // Consent, first sent without a date: the error summary comes back by a plain post too.
    await recordConsent(page, episode, 'Sarah Smith', ['Oakfield Primary School', 'Elm Street Medical Practice'], async () => {
      await refused(page, 'the consent form without a date', () => button(page, 'Save consent').click())
      assert.equal(await page.locator('.govuk-error-summary a[href="#given-day"]').count(), 1)
      assert.ok(
        await page.getByRole('group', { name: 'Which agencies may information be shared with?' }).getByLabel('Elm Street Medical Practice').isChecked(),
        'what was ticked is kept',
      )
    })

    await checkAndComplete(page, episode, [/Wants to walk to school with friends/, /Gets to school late most days/])
    await appointSelfLead(page, episode)
    await familyCopy(page, episode, ['John Smith', 'Amelia Smith', 'Sarah Smith', 'On time every day by half term'])
  } finally {
    await context.close()
  }
})
