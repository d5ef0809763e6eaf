import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import type { FamilyCopy } from './family-copy-model.ts'
import { familyCopyPdf } from './family-copy-pdf.ts'
import { pdfText, type PdfText } from './pdf-text.test-helper.ts'

function familyCopy(overrides: Partial<FamilyCopy> = {}): FamilyCopy {
  return {
    title: "Your family's early help assessment",
    councilName: 'Northshire Council',
    children: ['Nguyễn Thị Lan, born 4 March 2015', 'Nguyễn Văn Minh, born 12 June 2018'],
    adults: ["Siân O'Neill (mother)", 'Nguyễn Văn Hùng (father)'],
    completedOn: '2 November 2026',
    leadProfessional: null,
    introduction: ['This is your copy of the assessment we did together.', 'Your lead professional will contact you about a first meeting.'],
    sections: [
      {
        heading: 'About your family',
        lead: 'This is what you told us.',
        items: [
          { label: 'What is going well', value: 'Lan loves drawing and her well-being has improved.\n\nMinh has made friends at nursery.' },
          { label: 'What is worrying you', value: 'Mornings are a rush.' },
        ],
      },
    ],
    needs: [
      { need: 'Lan is often late for school', when: 'By the end of the autumn term', outcome: 'Lan gets to school on time every day' },
      { need: 'Minh needs a dentist', when: 'By January', outcome: 'Minh is registered with a dentist' },
    ],
    glossary: [{ term: 'Lead professional', meaning: 'The person who keeps in touch with you and makes sure the plan happens.' }],
    ...overrides,
  }
}

const flat = (text: string): string => text.replace(/\s+/g, ' ').trim()

describe('family copy PDF', () => {
  const copy = familyCopy()
  let pdf: Buffer
  let read: PdfText

  before(async () => {
    pdf = await familyCopyPdf(copy)
    read = pdfText(pdf)
  })

  test('is a PDF whose text cannot be found by searching the raw bytes', () => {
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
    assert.equal(pdf.includes('Lan is often late for school'), false) // so the checks below rely on really decoding the text
  })

  test('has the title in its metadata', () => {
    assert.equal(read.title, copy.title)
  })

  test('prints names with their accents and apostrophes', () => {
    for (const name of ['Nguyễn Thị Lan, born 4 March 2015', 'Nguyễn Văn Minh', "Siân O'Neill (mother)", 'Nguyễn Văn Hùng']) {
      assert.ok(read.text.includes(name), `missing: ${name}`)
    }
  })

  test('prints the council, date and "Not yet appointed" when there is no lead professional', () => {
    for (const text of [copy.title, 'Northshire Council', '2 November 2026', 'Lead professional Not yet appointed']) {
      assert.ok(read.text.includes(text), `missing: ${text}`)
    }
  })

  test('prints every need, its date and the change wanted, under the table headings', () => {
    assert.ok(read.text.includes('What needs to change By when What we want to be different'))
    for (const { need, when, outcome } of copy.needs!) {
      for (const text of [need, when, outcome]) assert.ok(read.text.includes(text), `missing: ${text}`)
    }
  })

  test('prints the introduction, sections and glossary in order, paragraphs intact', () => {
    const order = [
      'This is your copy of the assessment we did together.',
      'Your lead professional will contact you about a first meeting.',
      'About your family',
      'This is what you told us.',
      'What is going well',
      'Lan loves drawing and her well-being has improved.',
      'Minh has made friends at nursery.',
      'What is worrying you',
      'Mornings are a rush.',
      'What needs to change',
      'Words we use',
      'Lead professional The person who keeps in touch with you and makes sure the plan happens.',
    ]
    const positions = order.map((text) => read.text.indexOf(text))
    assert.deepEqual(
      order.filter((_, i) => positions[i] === -1),
      [],
    )
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    )
  })

  test('numbers its pages', () => {
    read.pages.forEach((page, i) => assert.ok(page.includes(`Page ${i + 1} of ${read.pages.length}`)))
  })

  test('names the lead professional when there is one', async () => {
    const { text } = pdfText(await familyCopyPdf(familyCopy({ leadProfessional: 'Priya Patel, Oakfield Primary School, 01234 567890' })))
    assert.ok(text.includes('Lead professional Priya Patel, Oakfield Primary School, 01234 567890'))
    assert.equal(text.includes('Not yet appointed'), false)
  })

  test('keeps a 20,000 character answer whole, over several pages', async () => {
    const sentences = Array.from({ length: 400 }, (_, i) => `Sentence ${i + 1} of what Lan's family said.`)
    const narrative = `${sentences.join(' ')}\n\n${'More detail follows here. '.repeat(300)}FINALMARKERWORD`
    assert.ok(narrative.length > 20_000)
    const long = familyCopy({ sections: [{ heading: 'Your story', items: [{ label: 'In your words', value: narrative }] }] })
    const { text, pages } = pdfText(await familyCopyPdf(long))
    assert.ok(pages.length > 1, `expected more than one page, got ${pages.length}`)
    assert.ok(text.includes('FINALMARKERWORD'))
    const withoutFooters = flat(pages.map((page) => page.replace(/^Page \d+ of \d+$/gm, '')).join('\n'))
    assert.ok(withoutFooters.includes(flat(narrative)), 'the narrative is not all there, or not in order')
    assert.ok(text.indexOf('FINALMARKERWORD') < text.indexOf('What needs to change'))
  })
})
