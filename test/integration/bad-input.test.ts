import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { testApp, type TestApp } from '../helpers/app.ts'
import { Client, textOf } from '../helpers/browser-client.ts'
import { buildCouncil } from '../helpers/factories.ts'
import { errorSummaryHrefs, errorSummaryText, setCookieValue } from '../helpers/html.ts'

let t: TestApp
let admin: Client
let sessionCookie: string
/** The council's early help hub, where the users added here work. */
let hubAgencyId: number
let otherCouncil: Awaited<ReturnType<typeof buildCouncil>>

before(async () => {
  t = await testApp()
  admin = new Client(t.app)
  sessionCookie = setCookieValue(await admin.signIn(t.staff.users.admin.email, t.staff.password), 'caf_session')!
  hubAgencyId = t.staff.agencies.hub.id
  otherCouncil = await buildCouncil(t.db)
})
after(() => t.close())

/** Every row a form on these pages could change. */
async function snapshot() {
  const [localities, agencies, users, population, outbox, tokens] = await Promise.all([
    t.db.selectFrom('localities').selectAll().orderBy('id').execute(),
    t.db.selectFrom('agencies').selectAll().orderBy('id').execute(),
    t.db.selectFrom('users').selectAll().orderBy('id').execute(),
    t.db.selectFrom('child_population').selectAll().orderBy('la_id').orderBy('year').execute(),
    t.db.selectFrom('mail_outbox').select('id').orderBy('id').execute(),
    t.db.selectFrom('password_tokens').selectAll().orderBy('token_hash').execute(),
  ])
  return JSON.stringify({ localities, agencies, users, population, outbox, tokens })
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The text box `field` shows `value` again. */
function assertKept(html: string, field: string, value: string) {
  assert.match(html, new RegExp(`<input[^>]*id="${field}"[^>]*value="${escapeRegExp(escapeHtml(value))}"`), `the form shows what was typed into ${field}`)
}

/** A page the user can read and act on: GOV.UK layout, never the 500 page. */
function assertFriendly(res: LightMyRequestResponse) {
  assert.match(String(res.headers['content-type']), /^text\/html/)
  assert.match(res.body, /class="govuk-header|govuk-template__header/)
  assert.doesNotMatch(textOf(res.body), /Sorry, there is a problem with the service/)
}

type Form = Record<string, string | string[]>

interface FormPage {
  url: string
  /** A submission that is accepted (checked at the end of the file). */
  valid: () => Form
  /** The fields that must be filled in, in page order. */
  required: string[]
  /** A free-text field for the long, control-character and repeated-field cases. */
  textField: string
  /** Password forms never show what was typed. */
  secret?: boolean
  /** Wrong answers the form must refuse: [what, fields to send, the field the error links to]. */
  wrong: [string, () => Form, string][]
}

const PASSWORD = 'a perfectly good passphrase'

const pages: FormPage[] = [
  {
    url: '/admin/localities/new',
    valid: () => ({ name: 'Harbourside' }),
    required: ['name'],
    textField: 'name',
    wrong: [['only spaces', () => ({ name: '    ' }), 'name']],
  },
  {
    url: '/admin/agencies/new',
    valid: () => ({ name: 'Harbourside Youth Club', agencyType: 'voluntary', localityId: '', email: '', phone: '', active: 'yes' }),
    required: ['name', 'agencyType', 'active'],
    textField: 'name',
    wrong: [
      [
        'an agency type not on the list',
        () => ({ name: 'Odd Agency', agencyType: 'spaceship', localityId: '', email: '', phone: '', active: 'yes' }),
        'agencyType',
      ],
      [
        'letters for the locality',
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: 'north', email: '', phone: '', active: 'yes' }),
        'localityId',
      ],
      [
        "another council's locality",
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: String(otherCouncil.locality.id), email: '', phone: '', active: 'yes' }),
        'localityId',
      ],
      [
        'a locality that does not exist',
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: '999999', email: '', phone: '', active: 'yes' }),
        'localityId',
      ],
      [
        'an email address without an @',
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: '', email: 'nobody.example.com', phone: '', active: 'yes' }),
        'email',
      ],
      [
        'letters for the phone number',
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: '', email: '', phone: 'call me maybe', active: 'yes' }),
        'phone',
      ],
      [
        'an answer that is not yes or no',
        () => ({ name: 'Odd Agency', agencyType: 'police', localityId: '', email: '', phone: '', active: 'maybe' }),
        'active',
      ],
    ],
  },
  {
    url: '/admin/users/new',
    valid: () => ({
      fullName: 'Valid Person',
      email: 'valid.person@example.gov.uk',
      jobTitle: '',
      phone: '',
      agencyId: String(hubAgencyId),
      roles: 'practitioner',
    }),
    required: ['fullName', 'email', 'agencyId', 'roles'],
    textField: 'fullName',
    wrong: [
      [
        'a role that does not exist',
        () => ({ fullName: 'Odd Person', email: 'odd@example.gov.uk', agencyId: String(hubAgencyId), roles: 'superuser' }),
        'roles',
      ],
      [
        'a real role and a made-up one',
        () => ({ fullName: 'Odd Person', email: 'odd@example.gov.uk', agencyId: String(hubAgencyId), roles: ['practitioner', 'root'] }),
        'roles',
      ],
      ['letters for the agency', () => ({ fullName: 'Odd Person', email: 'odd@example.gov.uk', agencyId: 'hub', roles: 'practitioner' }), 'agencyId'],
      [
        "another council's agency",
        () => ({ fullName: 'Odd Person', email: 'odd@example.gov.uk', agencyId: String(otherCouncil.agency.id), roles: 'practitioner' }),
        'agencyId',
      ],
      ['an agency that does not exist', () => ({ fullName: 'Odd Person', email: 'odd@example.gov.uk', agencyId: '999999', roles: 'practitioner' }), 'agencyId'],
      ['a malformed email address', () => ({ fullName: 'Odd Person', email: 'odd@@example', agencyId: String(hubAgencyId), roles: 'practitioner' }), 'email'],
    ],
  },
  {
    url: '/admin/population',
    valid: () => ({ year: '2031', population: '48,000' }),
    required: ['year', 'population'],
    textField: 'population',
    wrong: [
      ['letters for the year', () => ({ year: 'twenty', population: '1000' }), 'year'],
      ['letters for the number of children', () => ({ year: '2030', population: 'lots' }), 'population'],
      ['a decimal number', () => ({ year: '2030', population: '1000.5' }), 'population'],
      ['a year out of range', () => ({ year: '1066', population: '1000' }), 'year'],
      ['a negative number of children', () => ({ year: '2030', population: '-5' }), 'population'],
      ['a number too large to store', () => ({ year: '2030', population: '99999999999999999999' }), 'population'],
    ],
  },
  {
    url: '/account/password',
    valid: () => ({ currentPassword: '', newPassword: PASSWORD, confirmPassword: PASSWORD }),
    required: ['currentPassword', 'newPassword'],
    textField: 'newPassword',
    secret: true,
    wrong: [
      ['a wrong current password', () => ({ currentPassword: 'not-my-password', newPassword: PASSWORD, confirmPassword: PASSWORD }), 'currentPassword'],
      ['a short new password', () => ({ currentPassword: t.staff.password, newPassword: 'short', confirmPassword: 'short' }), 'newPassword'],
      [
        'a confirmation that does not match',
        () => ({ currentPassword: t.staff.password, newPassword: PASSWORD, confirmPassword: `${PASSWORD}!` }),
        'confirmPassword',
      ],
    ],
  },
]

/** The valid form, with the password form's current password filled in (known only once the app is built). */
function validFor(page: FormPage): Form {
  const form = page.valid()
  if (page.url === '/account/password') form.currentPassword = t.staff.password
  return form
}

async function submit(page: FormPage, form: Form) {
  await admin.get(page.url)
  const before = await snapshot()
  const res = await admin.post(page.url, form)
  assert.equal(res.statusCode, 400, `${page.url}: ${res.statusCode}`)
  assert.match(res.body, /class="govuk-error-summary"/)
  assertFriendly(res)
  assert.equal(await snapshot(), before, 'nothing changed in the database')
  if (page.secret) {
    for (const input of res.body.match(/<input[^>]*type="password"[^>]*>/g) ?? []) assert.doesNotMatch(input, /value=/, 'a password is never shown again')
  }
  return res
}

for (const page of pages) {
  describe(`refused answers on ${page.url}`, () => {
    test('an empty submission: every required field is listed, linking to its box', async () => {
      const res = await submit(page, {})
      const hrefs = errorSummaryHrefs(res.body)
      for (const field of page.required) assert.ok(hrefs.includes(`#${field}`), `${field} is in the summary: ${hrefs.join(' ')}`)
      for (const href of hrefs) assert.ok(res.body.includes(`id="${href.slice(1)}"`), `${href} points at a field on the page`)
    })

    test('a 10,000-character answer', async () => {
      const long = 'L'.repeat(10_000)
      const form = { ...validFor(page), [page.textField]: long }
      if (page.secret) form.confirmPassword = long
      const res = await submit(page, form)
      assert.deepEqual(errorSummaryHrefs(res.body), [`#${page.textField}`])
      assert.match(errorSummaryText(res.body), /characters or fewer/)
      if (!page.secret) assertKept(res.body, page.textField, long)
    })

    for (const control of ['\u0000', '\u0007']) {
      test(`an answer containing the control character U+${control.charCodeAt(0).toString(16).padStart(4, '0')}`, async () => {
        const value = page.textField === 'population' ? `12${control}34` : `Bad${control}answer text`
        const form = { ...validFor(page), [page.textField]: value }
        if (page.secret) form.confirmPassword = value
        const res = await submit(page, form)
        assert.deepEqual(errorSummaryHrefs(res.body), [`#${page.textField}`])
        assert.match(errorSummaryText(res.body), /special characters/)
        if (!page.secret) assertKept(res.body, page.textField, value)
      })
    }

    test('a field sent twice', async () => {
      const valid = validFor(page)
      const first = String(valid[page.textField])
      const res = await submit(page, { ...valid, [page.textField]: [first, first] })
      assert.deepEqual(errorSummaryHrefs(res.body), [`#${page.textField}`])
      if (!page.secret) assert.ok(res.body.includes(first), 'what was typed is shown again')
    })

    test('a field the form does not have', async () => {
      const valid = validFor(page)
      const res = await submit(page, { ...valid, isAdmin: 'yes', roles_extra: 'administrator' })
      assert.match(errorSummaryText(res.body), /information in it that we did not expect/)
      assert.deepEqual(errorSummaryHrefs(res.body), ['#main-content'])
      if (!page.secret) assertKept(res.body, page.textField, String(valid[page.textField]))
    })

    for (const [what, form, field] of page.wrong) {
      test(`${what}`, async () => {
        const sent = form()
        const res = await submit(page, sent)
        assert.ok(errorSummaryHrefs(res.body).includes(`#${field}`), `the summary links to #${field}: ${errorSummaryHrefs(res.body).join(' ')}`)
        assert.match(res.body, new RegExp(`id="${field}-error"`), 'the message is shown beside the field')
        const text = Object.entries(sent).find(([k, v]) => k !== field && typeof v === 'string' && v !== '' && !page.secret && /^[A-Z]/.test(v))
        if (text) assertKept(res.body, text[0], String(text[1]))
      })
    }
  })
}

describe('requests that are not forms', () => {
  function raw(contentType: string, payload: string | Buffer, url = '/admin/localities/new') {
    return t.app.inject({ method: 'POST', url, headers: { cookie: `caf_session=${sessionCookie}`, 'content-type': contentType }, payload })
  }
  async function token() {
    await admin.get('/admin/localities/new')
    return admin.csrf()
  }

  test('a JSON body, even with a good token, is refused with a 4xx page and saves nothing', async () => {
    const before = await snapshot()
    const res = await raw('application/json', JSON.stringify({ _csrf: await token(), name: 'Json Locality' }))
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode))
    assertFriendly(res)
    const broken = await raw('application/json', '{"_csrf": "x", "name": ')
    assert.ok(broken.statusCode >= 400 && broken.statusCode < 500, String(broken.statusCode))
    assertFriendly(broken)
    assert.equal(await snapshot(), before)
  })

  test('other content types are refused with a 4xx page', async () => {
    const before = await snapshot()
    const csrf = await token()
    for (const type of ['text/plain', 'multipart/form-data; boundary=xyz', 'application/xml', 'application/octet-stream']) {
      const res = await raw(type, `_csrf=${csrf}&name=Typed+Locality`)
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${type}: ${res.statusCode}`)
      assertFriendly(res)
    }
    assert.equal(await snapshot(), before)
  })

  test('a body over 1 MB is refused with a 4xx page', async () => {
    const before = await snapshot()
    const res = await raw('application/x-www-form-urlencoded', `_csrf=${await token()}&name=${'x'.repeat(1024 * 1024 + 10)}`)
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, String(res.statusCode))
    assertFriendly(res)
    assert.match(textOf(res.body), /We could not read what was sent/)
    assert.equal(await snapshot(), before)
  })

  test('malformed form bodies are refused with a 4xx page', async () => {
    const before = await snapshot()
    const csrf = await token()
    for (const payload of [
      `_csrf=${csrf}&%`,
      `_csrf=${csrf}&=Orphan`,
      `_csrf=${csrf}&name=A&name`,
      `_csrf=${csrf}&&&==&name=B%`,
      `_csrf=${csrf}&name[]=A&name[x]=B`,
      '%%%%',
      '',
    ]) {
      const res = await raw('application/x-www-form-urlencoded', payload)
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(payload)}: ${res.statusCode}`)
      assertFriendly(res)
    }
    assert.equal(await snapshot(), before)
  })

  test('ids that are not ids give 404, never 500', async () => {
    for (const url of [
      '/admin/users/abc',
      '/admin/users/99999999999',
      '/admin/users/999999999',
      '/admin/users/-1',
      '/admin/users/1e3',
      '/admin/users/abc/edit',
      '/admin/agencies/abc/edit',
      '/admin/localities/0x1/edit',
    ]) {
      const res = await admin.get(url)
      assert.equal(res.statusCode, 404, url)
      assert.match(textOf(res.body), /Page not found/, url)
    }
    const before = await snapshot()
    await admin.get('/admin/users')
    const csrf = admin.csrf()
    for (const url of ['/admin/users/abc/disable', '/admin/users/99999999999/send-link', '/admin/localities/abc/edit']) {
      const res = await admin.post(url, url.endsWith('/edit') ? { name: 'X', version: '1' } : {}, { csrf })
      assert.equal(res.statusCode, 404, url)
    }
    assert.equal(await snapshot(), before)
  })
})

describe('the same forms filled in correctly', () => {
  test('are accepted, so the refusals above were for the reasons given', async () => {
    for (const page of pages) {
      await admin.get(page.url)
      const res = await admin.post(page.url, validFor(page))
      assert.equal(res.statusCode, 303, `${page.url}: ${errorSummaryText(res.body)}`)
    }
    assert.equal((await t.db.selectFrom('localities').select('id').where('name', '=', 'Harbourside').execute()).length, 1)
    assert.equal((await t.db.selectFrom('agencies').select('id').where('name', '=', 'Harbourside Youth Club').execute()).length, 1)
    assert.equal((await t.db.selectFrom('users').select('id').where('email', '=', 'valid.person@example.gov.uk').execute()).length, 1)
    assert.equal((await t.db.selectFrom('child_population').select('population').where('year', '=', 2031).executeTakeFirstOrThrow()).population, 48_000)
  })
})
