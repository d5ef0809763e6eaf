/**
 * The family's copy of an assessment as an A4 PDF, drawn on the server with pdfmake from the same FamilyCopy
 * as the printable page. Text is set in Roboto, embedded from the pdfmake package (it covers accented and
 * Vietnamese letters, so names such as "Nguyễn Thị Lan" or "Siân" print as written). Nothing is shortened:
 * long answers flow on to as many pages as they need.
 */
import { createRequire } from 'node:module'
import pdfmake from 'pdfmake'
import type { Content, CustomTableLayout, Node, NodeQueries, TableCell, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js'
import type { FamilyCopy, FamilyCopySection } from './family-copy-model.ts'

const require = createRequire(import.meta.url)

/** Absolute paths of pdfmake's Roboto files, found through the package so they do not depend on the working directory. */
const ROBOTO = {
  normal: require.resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf'),
  bold: require.resolve('pdfmake/fonts/Roboto/Roboto-Medium.ttf'),
  italics: require.resolve('pdfmake/fonts/Roboto/Roboto-Italic.ttf'),
  bolditalics: require.resolve('pdfmake/fonts/Roboto/Roboto-MediumItalic.ttf'),
}
const FONT_FILES = new Set<string>(Object.values(ROBOTO))

const NEEDS_HEADINGS = ['What needs to change', 'By when', 'What we want to be different']

const STYLES: TDocumentDefinitions['styles'] = {
  title: { fontSize: 20, bold: true, margin: [0, 0, 0, 4] },
  council: { fontSize: 13, margin: [0, 0, 0, 14] },
  heading: { fontSize: 15, bold: true, margin: [0, 18, 0, 6] },
  label: { bold: true, margin: [0, 8, 0, 2] },
  paragraph: { margin: [0, 0, 0, 6] },
  tableHeader: { bold: true, fillColor: '#f3f2f1' },
  footer: { fontSize: 9, color: '#505a5f', alignment: 'center' },
}

/** Thin grey rules round every cell, with room to breathe. */
const TABLE_LAYOUT: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#b1b4b6',
  vLineColor: () => '#b1b4b6',
  paddingLeft: () => 6,
  paddingRight: () => 6,
  paddingTop: () => 4,
  paddingBottom: () => 4,
}

/** Renders the family's copy as a PDF and returns its bytes. */
export async function familyCopyPdf(copy: FamilyCopy): Promise<Buffer> {
  // pdfmake is a process-wide singleton. Its settings are read synchronously by createPdf, so setting them
  // immediately before each call keeps this document's fonts and file access rules its own.
  pdfmake.setFonts(fonts())
  pdfmake.setUrlAccessPolicy(() => false) // the document fetches nothing from the network
  pdfmake.setLocalAccessPolicy((path) => FONT_FILES.has(path)) // and reads only the font files
  return pdfmake.createPdf(documentDefinition(copy)).getBuffer()
}

function fonts(): TFontDictionary {
  return { Roboto: { ...ROBOTO } } // a fresh copy: pdfmake rewrites the dictionary it is given
}

function documentDefinition(copy: FamilyCopy): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 64],
    language: 'en-GB',
    info: { title: copy.title, author: copy.councilName, subject: `${copy.title}, ${(copy.dateLabel ?? 'Agreed on').toLowerCase()} ${copy.completedOn}` },
    defaultStyle: { font: 'Roboto', fontSize: 11, lineHeight: 1.25 },
    styles: STYLES,
    footer: (currentPage, pageCount) => ({ text: `Page ${currentPage} of ${pageCount}`, style: 'footer', margin: [56, 24, 56, 0] }),
    pageBreakBefore: keepWithNext,
    content: [
      ...opening(copy),
      ...paragraphs(copy.introduction.join('\n\n')),
      ...copy.sections.map(section),
      ...(copy.needs ? needsTable(copy.needs) : []),
      ...glossary(copy.glossary),
    ],
  }
}

/**
 * Moves a heading or label to the next page rather than leaving it at the foot of one with nothing but
 * other headings or labels (and the footer) after it: a heading and its first label move together.
 */
function keepWithNext(node: Node, nodes: NodeQueries): boolean {
  return node.headlineLevel !== undefined && nodes.getFollowingNodesOnPage().every((f) => f.style === 'footer' || f.headlineLevel !== undefined)
}

function opening(copy: FamilyCopy): Content[] {
  const details: [string, string[]][] = [
    [copy.children.length === 1 ? 'Child' : 'Children', copy.children],
    ['Adults taking part', copy.adults],
    [copy.dateLabel ?? 'Agreed on', [copy.completedOn]],
    ['Lead professional', [copy.leadProfessional ?? 'Not yet appointed']],
  ]
  return [
    { text: copy.title, style: 'title' },
    { text: copy.councilName, style: 'council' },
    {
      table: { widths: [130, '*'], body: details.map(([label, lines]) => [{ text: label, bold: true }, lines.join('\n')]) },
      layout: 'noBorders',
      margin: [0, 0, 0, 12],
    },
  ]
}

function section(s: FamilyCopySection): Content {
  return [heading(s.heading), ...(s.lead ? paragraphs(s.lead) : []), ...s.items.flatMap((item) => labelled(item.label, item.value))]
}

function needsTable(needs: NonNullable<FamilyCopy['needs']>): Content[] {
  if (needs.length === 0) return [heading('What needs to change'), { text: 'No changes have been agreed yet.', style: 'paragraph' }]
  const header: TableCell[] = NEEDS_HEADINGS.map((text) => ({ text, style: 'tableHeader' }))
  const rows: TableCell[][] = needs.map((n) => [n.need, n.when, n.outcome])
  return [heading('What needs to change'), { table: { headerRows: 1, widths: ['*', 90, '*'], body: [header, ...rows] }, layout: TABLE_LAYOUT }]
}

function glossary(words: FamilyCopy['glossary']): Content[] {
  if (words.length === 0) return []
  return [heading('Words we use'), ...words.flatMap((w) => labelled(w.term, w.meaning))]
}

function heading(text: string): Content {
  return { text, style: 'heading', headlineLevel: 1 }
}

function labelled(label: string, value: string): Content[] {
  return [{ text: label, style: 'label', headlineLevel: 2 }, ...paragraphs(value)]
}

/** One paragraph per blank-line-separated block; single line breaks inside a block are kept. */
function paragraphs(text: string): Content[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .map((block) => ({ text: block, style: 'paragraph' }))
}
