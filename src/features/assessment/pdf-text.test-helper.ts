/**
 * Test helper: reads back the text of a PDF made by pdfmake (pdfkit), page by page, so tests can check what a
 * reader would see in the real, compressed output.
 *
 * pdfkit compresses page content (FlateDecode) and draws text in embedded fonts as hex glyph ids (Identity-H).
 * Each embedded font carries a ToUnicode CMap, used here to turn glyph ids back into characters, and a /W array
 * of glyph widths, used to tell a word that carries on along a line from separate text beside it (the next table
 * cell). Only pdfkit's own output is understood: a plain xref table, objects not inside object streams, no
 * encryption. Text in a standard PDF font (literal strings, which cannot hold most non-Latin-1 names) is an error.
 */
import { inflateSync } from 'node:zlib'

export interface PdfText {
  /** Each page's text, in page order: one line of type per line; pieces side by side on a line separated by a space. */
  pages: string[]
  /** All the pages' text with every run of white space (including line ends) made one space, for `includes` checks. */
  text: string
  /** The document title from its metadata (the Info dictionary), if any. */
  title: string | undefined
}

interface PdfObject {
  dict: string
  stream: Buffer | undefined
}

/** An embedded font: characters and widths (thousandths of the font size) by glyph id. */
interface Font {
  unicode: Map<number, string>
  widths: Map<number, number>
}

export function pdfText(pdf: Buffer): PdfText {
  const source = pdf.toString('latin1') // one character per byte, so string offsets are byte offsets
  const objects = readObjects(pdf, source)
  const pages = pageObjects(objects).map((page) => pageText(page, objects))
  const info = /\/Info (\d+) 0 R/.exec(source.slice(source.lastIndexOf('trailer')))?.[1]
  return { pages, text: pages.join('\n').replace(/\s+/g, ' ').trim(), title: info ? infoString(objects, Number(info), 'Title') : undefined }
}

/** Finds every object through the xref table; each runs from its offset to the next object's (or the xref). */
function readObjects(pdf: Buffer, source: string): Map<number, PdfObject> {
  const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(source)?.[1] ?? NaN)
  const table = /^xref\s+0 (\d+)\s+/.exec(source.slice(xrefAt))
  if (!table) throw new Error('pdfText: no plain xref table found')
  const lines = source
    .slice(xrefAt + table[0].length)
    .split(/\r?\n/)
    .slice(0, Number(table[1])) // line N is object N
  const offsets = lines.flatMap((line, id) => {
    const inUse = /^(\d{10}) \d{5} n/.exec(line)
    return inUse ? [{ id, at: Number(inUse[1]) }] : []
  })
  offsets.sort((a, b) => a.at - b.at)
  const objects = new Map<number, PdfObject>()
  offsets.forEach(({ id, at }, i) => objects.set(id, parseObject(pdf, at, offsets[i + 1]?.at ?? xrefAt)))
  return objects
}

function parseObject(pdf: Buffer, start: number, end: number): PdfObject {
  const body = pdf.subarray(start, end).toString('latin1').trimEnd()
  if (!body.endsWith('endstream\nendobj')) return { dict: body, stream: undefined }
  const length = Number(/\/Length (\d+)/.exec(body)?.[1])
  const dataEnd = start + body.lastIndexOf('endstream') - 1 // pdfkit puts a new line before "endstream"
  const dict = pdf.subarray(start, dataEnd - length).toString('latin1')
  const data = pdf.subarray(dataEnd - length, dataEnd)
  return { dict, stream: /\/Filter \/FlateDecode/.test(dict) ? inflateSync(data) : data }
}

function refs(text: string): number[] {
  return [...text.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]))
}

function object(objects: Map<number, PdfObject>, id: number | undefined): PdfObject {
  const found = id === undefined ? undefined : objects.get(id)
  if (!found) throw new Error(`pdfText: object ${id} not found`)
  return found
}

/** The page objects in reading order, from the page tree's /Kids (pdfkit's tree is one level deep). */
function pageObjects(objects: Map<number, PdfObject>): PdfObject[] {
  const tree = [...objects.values()].find((o) => /\/Type \/Pages\b/.test(o.dict))
  const kids = /\/Kids \[([^\]]*)\]/.exec(tree?.dict ?? '')?.[1] ?? ''
  return refs(kids).map((id) => object(objects, id))
}

function pageText(page: PdfObject, objects: Map<number, PdfObject>): string {
  const resources = object(objects, Number(/\/Resources (\d+) 0 R/.exec(page.dict)?.[1]))
  const fontRefs = /\/Font <<([^>]*)>>/.exec(resources.dict)?.[1] ?? ''
  const fonts = new Map([...fontRefs.matchAll(/\/(\S+) (\d+) 0 R/g)].map((m) => [m[1] ?? '', readFont(objects, Number(m[2]))]))
  const contents = /\/Contents (\d+) 0 R/.exec(page.dict)?.[1]
  return drawnText(object(objects, Number(contents)).stream?.toString('latin1') ?? '', fonts)
}

function readFont(objects: Map<number, PdfObject>, id: number): Font {
  const font = object(objects, id)
  const toUnicodeRef = /\/ToUnicode (\d+) 0 R/.exec(font.dict)?.[1]
  if (!toUnicodeRef) throw new Error(`pdfText: font object ${id} has no ToUnicode map (a standard PDF font?), so its text cannot be read`)
  const toUnicode = object(objects, Number(toUnicodeRef)).stream?.toString('latin1') ?? ''
  const descendant = object(objects, refs(/\/DescendantFonts \[([^\]]*)\]/.exec(font.dict)?.[1] ?? '')[0])
  return { unicode: cmap(toUnicode), widths: glyphWidths(/\/W \[0 \[([^\]]*)\]\]/.exec(descendant.dict)?.[1] ?? '') }
}

/** pdfkit's ToUnicode CMap: lines of `<first> <last> [<utf16> <utf16> ...]`, one entry per glyph id from first. */
function cmap(text: string): Map<number, string> {
  const unicode = new Map<number, string>()
  for (const [, first, entries] of text.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
    let gid = parseInt(first ?? '', 16)
    for (const [, units] of (entries ?? '').matchAll(/<([0-9a-f ]*)>/gi)) {
      unicode.set(gid++, String.fromCharCode(...(units ?? '').split(' ').map((hex) => parseInt(hex, 16))))
    }
  }
  return unicode
}

function glyphWidths(list: string): Map<number, number> {
  return new Map(
    list
      .trim()
      .split(/\s+/)
      .map((w, gid) => [gid, Number(w)]),
  )
}

/**
 * Walks the content stream's operators: `Tm` places text, `Tf` picks a font, `TJ`/`Tj` draw glyphs. A change of
 * baseline starts a new line; a jump along the same baseline (beyond where the last text ended) adds a space.
 */
function drawnText(content: string, fonts: Map<string, Font>): string {
  const token = /<([0-9a-f\s]*)>|\/([^\s/[\]()<>]+)|([+-]?(?:\d+\.?\d*|\.\d+))|([a-z'"*]+)|(\()/gi
  let out = ''
  let operands: (string | number)[] = []
  let font: Font | undefined
  let size = 0
  let at = { x: 0, y: NaN }
  let end = { x: 0, y: NaN }
  for (const [, hex, name, num, operator, paren] of content.matchAll(token)) {
    if (paren) throw new Error('pdfText: text in a standard (not embedded) font, which this helper does not read')
    if (hex !== undefined) operands.push(hex.replace(/\s/g, ''))
    else if (name !== undefined) operands.push(`/${name}`)
    else if (num !== undefined) operands.push(Number(num))
    else if (operator === 'Tm') at = { x: Number(operands[4]), y: Number(operands[5]) }
    else if (operator === 'Tf') [font, size] = [fontNamed(fonts, String(operands[0])), Number(operands[1])]
    else if (font && (operator === 'TJ' || operator === 'Tj')) {
      if (out !== '') out += Math.abs(at.y - end.y) > 0.5 ? '\n' : Math.abs(at.x - end.x) > size * 0.1 ? ' ' : ''
      const drawn = glyphs(operands, font, size)
      out += drawn.text
      end = { x: at.x + drawn.width, y: at.y }
      at = { ...end }
    }
    if (operator !== undefined) operands = []
  }
  return out
}

function fontNamed(fonts: Map<string, Font>, name: string): Font {
  const font = fonts.get(name.slice(1))
  if (!font) throw new Error(`pdfText: font ${name} is not in the page's resources`)
  return font
}

/** The characters of a TJ array (or Tj string) and how far it moves along the line, in points. */
function glyphs(operands: (string | number)[], font: Font, size: number): { text: string; width: number } {
  let text = ''
  let width = 0
  for (const operand of operands) {
    if (typeof operand === 'number') width -= (operand * size) / 1000
    else if (!operand.startsWith('/')) {
      for (const code of operand.match(/.{4}/g) ?? []) {
        const gid = parseInt(code, 16)
        text += font.unicode.get(gid) ?? '\ufffd'
        width += ((font.widths.get(gid) ?? 0) * size) / 1000
      }
    }
  }
  return { text, width }
}

/** A string in the Info dictionary, e.g. /Title, held there or in an object of its own: escapes undone, UTF-16BE if it has a BOM. */
function infoString(objects: Map<number, PdfObject>, id: number, key: string): string | undefined {
  const dict = object(objects, id).dict
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]
  const at = dict.indexOf(`/${key} (`)
  const source = ref ? object(objects, Number(ref)).dict : at >= 0 ? dict.slice(at) : ''
  const raw = /\(((?:\\[\s\S]|[^\\)])*)\)/.exec(source)?.[1]
  if (raw === undefined) return undefined
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }
  const bytes = Buffer.from(
    raw.replace(/\\([\s\S])/g, (_, c: string) => escapes[c] ?? c),
    'latin1',
  )
  if (bytes[0] !== 0xfe || bytes[1] !== 0xff) return bytes.toString('latin1')
  return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
}
