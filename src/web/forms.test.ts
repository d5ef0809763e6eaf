import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkboxes, email, errorSummary, formSchema, integer, keptValues, optionalText, text, validate } from './forms.ts'

const schema = formSchema({
  name: text('Name', { max: 10 }),
  note: optionalText('Note', { max: 20, multiline: true }),
  email: email('Email address'),
  count: integer('Count', { min: 1, max: 100 }),
  roles: checkboxes('Roles', ['a', 'b'] as const, { min: 1, message: 'Select at least one role' }),
})
const good = { name: 'Siân', note: 'line one\nline two', email: 'A.Person@Example.gov.uk', count: '1,0', roles: ['a', 'b'] }

describe('form validation', () => {
  test('accepts good input, trimming text, lower-casing email and reading numbers with commas', () => {
    const r = validate(schema, { ...good, name: '  Siân  ' })
    assert.ok(r.ok)
    assert.deepEqual(r.data, { name: 'Siân', note: 'line one\nline two', email: 'a.person@example.gov.uk', count: 10, roles: ['a', 'b'] })
  })

  test('names in any script, with apostrophes, hyphens and accents, are kept as typed', () => {
    const names = formSchema({ name: text('Name') })
    for (const name of ["O'Neill", 'Siân', 'Nguyễn Văn An', 'Zoë Smith-Jones', 'Madonna', 'محمد', '李小龍']) {
      const r = validate(names, { name })
      assert.ok(r.ok, name)
      assert.equal(r.data.name, name)
    }
  })

  test('optional text left empty is null; one checkbox value becomes a list', () => {
    const r = validate(schema, { ...good, note: '   ', roles: 'b' })
    assert.ok(r.ok)
    assert.equal(r.data.note, null)
    assert.deepEqual(r.data.roles, ['b'])
  })

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing required text', { name: '' }, 'name', /^Enter name$/],
    ['whitespace only', { name: '    ' }, 'name', /^Enter name$/],
    ['too long', { name: 'x'.repeat(11) }, 'name', /10 characters or fewer/],
    ['control character', { name: 'ab\u0007c' }, 'name', /special characters/],
    ['newline in a one-line field', { name: 'a\nb' }, 'name', /special characters/],
    ['NUL in a multi-line field', { note: 'a\u0000b' }, 'note', /special characters/],
    ['a repeated field', { name: ['a', 'b'] }, 'name', /single answer/],
    ['an object', { name: { x: 1 } }, 'name', /single answer/],
    ['bad email', { email: 'not-an-email' }, 'email', /correct format/],
    ['letters for a number', { count: 'ten' }, 'count', /whole number/],
    ['number too big', { count: '101' }, 'count', /100 or less/],
    ['number too small', { count: '0' }, 'count', /1 or more/],
    ['decimal', { count: '1.5' }, 'count', /whole number/],
    ['no checkbox', { roles: undefined }, 'roles', /Select at least one role/],
    ['unknown checkbox value', { roles: ['a', 'z'] }, 'roles', /select from the options shown/],
    ['unknown field', { extra: 'x' }, 'form', /did not expect/],
  ]
  for (const [name, change, field, message] of cases) {
    test(`refuses ${name} with a message on the field`, () => {
      const r = validate(schema, { ...good, ...change })
      assert.equal(r.ok, false)
      if (!r.ok) assert.match(r.errors[field] ?? '', message)
    })
  }

  test('the error summary follows the order of the fields and links to each', () => {
    const items = errorSummary({ count: 'c', name: 'n', form: 'f' }, ['name', 'count'])
    assert.deepEqual(items, [
      { text: 'f', href: '#main-content' },
      { text: 'n', href: '#name' },
      { text: 'c', href: '#count' },
    ])
  })

  test('kept values never include the CSRF token or secret fields', () => {
    assert.deepEqual(keptValues({ _csrf: 't', password: 'p', name: 'n', roles: ['a'] }, ['password']), { name: 'n', roles: ['a'] })
  })
})
