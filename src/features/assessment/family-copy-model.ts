/**
 * A document for the family (their copy of the assessment, their plan), as plain data: the printable
 * page and the PDF are both drawn from this, so they say the same thing in the same words.
 */
export interface FamilyCopy {
  /** e.g. "Your family's early help assessment" */
  title: string
  councilName: string
  /** The children the assessment is about, e.g. ["John Smith, born 4 March 2015"]. */
  children: string[]
  /** Adults taking part, e.g. ["Sarah Smith (mother)"]. */
  adults: string[]
  /** The date the document was agreed (the assessment completed, the plan agreed), as words: "2 November 2026". */
  completedOn: string
  /** The words beside that date; "Agreed on" unless given. */
  dateLabel?: string
  /** The lead professional, in words: "Priya Patel, Oakfield Primary School, 01234 567890". Null if none yet. */
  leadProfessional: string | null
  /** Short explanation paragraphs at the top (what this is, what happens next). */
  introduction: string[]
  /** The body of the copy, in order. */
  sections: FamilyCopySection[]
  /** The needs agreed and the change the family wants for each (a table), if the document has them. */
  needs?: { need: string; when: string; outcome: string }[]
  /** Words used in the copy that may be unfamiliar, with a plain explanation. */
  glossary: { term: string; meaning: string }[]
}

export interface FamilyCopySection {
  heading: string
  /** Optional paragraph under the heading. */
  lead?: string
  /** Question-and-answer pairs; an answer may have several paragraphs (separated by blank lines). */
  items: { label: string; value: string }[]
}
