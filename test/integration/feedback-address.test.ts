import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildCouncil, buildUser } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText } from '../helpers/html.ts'
import { formFields, inputValue } from '../helpers/people.ts'

/**
 * Issue 15 item 9: the beta banner said "Tell the CAF team what you think of it" with nowhere to tell
 * them. The administrator now sets where feedback goes (an email address or a web page), and every
 * page of that council links to it; until one is set, the banner asks for nothing it cannot take.
 */

let t: TestApp
let admin: Client

before(async () => {
  t = await testApp()
  admin = await t.staff.signIn(t.app, 'admin')
})
after(() => t?.close())

/** The phase banner's HTML. */
function banner(html: string): string {
  return /<div class="govuk-phase-banner[^"]*">[\s\S]*?<\/p>/.exec(html)?.[0] ?? ''
}

async function saveFeedback(address: string) {
  const form = await admin.get('/admin/caf-settings')
  return admin.post('/admin/caf-settings', { ...formFields(form.body, '/admin/caf-settings'), feedbackAddress: address })
}

test('with no feedback address set, the banner does not ask for feedback it has nowhere to send', async () => {
  const other = await buildCouncil(t.db, 'Eastmere Council')
  const user = await buildUser(t.db, { laId: other.la.id, agencyId: other.agency.id })
  const client = new Client(t.app)
  await client.signIn(user.email, user.password)
  const home = await client.get('/')
  assert.match(textOf(banner(home.body)), /This is a new service\./)
  assert.doesNotMatch(textOf(banner(home.body)), /Tell the CAF team/)
})

test('the administrator sets an email address and every page of the council links to it', async () => {
  const res = await saveFeedback('caf-feedback@council.example.gov.uk')
  assert.equal(res.statusCode, 303)
  const form = await admin.get('/admin/caf-settings')
  assert.equal(inputValue(form.body, 'feedbackAddress'), 'caf-feedback@council.example.gov.uk')

  const practitioner = await t.staff.signIn(t.app, 'practitioner')
  for (const path of ['/', '/people', '/account']) {
    const page = await practitioner.get(path)
    assert.match(
      banner(page.body),
      /<a class="govuk-link" href="mailto:caf-feedback@council\.example\.gov\.uk\?subject=CAF%20Hub%20feedback">Tell the CAF team what you think of it<\/a>/,
      `${path} links to the feedback address`,
    )
  }
  const signedOut = await new Client(t.app).get('/sign-in')
  assert.doesNotMatch(banner(signedOut.body), /mailto:/, 'before signing in, the council is not known')
})

test('a web page for feedback is linked as a page', async () => {
  assert.equal((await saveFeedback('https://forms.council.example.gov.uk/caf-hub')).statusCode, 303)
  const page = await admin.get('/')
  assert.match(banner(page.body), /href="https:\/\/forms\.council\.example\.gov\.uk\/caf-hub">Tell the CAF team what you think of it<\/a>/)
})

test('an address that is neither an email address nor a secure web address is refused and changes nothing', async () => {
  assert.equal((await saveFeedback('caf-feedback@council.example.gov.uk')).statusCode, 303)
  for (const bad of ['the CAF team', 'http://forms.example/caf', 'javascript:alert(1)', 'a@b']) {
    const res = await saveFeedback(bad)
    assert.equal(res.statusCode, 400, bad)
    assert.deepEqual(errorSummaryHrefs(res.body), ['#feedbackAddress'])
    assert.match(errorSummaryText(res.body), /Feedback address must be an email address, like caf-team@council\.gov\.uk, or a web address starting https:\/\//)
    assert.equal(inputValue(res.body, 'feedbackAddress'), bad.replace('&', '&amp;'))
  }
  const row = await t.db.selectFrom('caf_settings').select('feedback_address').where('la_id', '=', t.staff.la.id).executeTakeFirstOrThrow()
  assert.equal(row.feedback_address, 'caf-feedback@council.example.gov.uk')
})
