import { randomUUID } from 'node:crypto'
import { dateWords } from '../../web/dates.ts'
import type { FamilyCopy } from '../assessment/family-copy-model.ts'
import { familyCopyPdf } from '../assessment/family-copy-pdf.ts'
import type { EpisodePackage } from '../social-care/package.ts'

/**
 * The transfer document: the episode's package with what the move adds (to whom, why, the family's
 * consent to it, who asked) and the same information as a PDF for people to read. Its shape is
 * published as schemas/transfer-package.schema.json; signing.ts signs and checks it.
 */
export interface TransferDocument {
  format: 'caf-hub-transfer/1'
  id: string
  from: { code: string; name: string }
  to: { code: string | null; name: string }
  reason: string
  movedOn: string
  /** `person` is the consent giver's place in package.people. */
  consent: { person: number; role: 'parent-with-pr' | 'young-person'; method: 'written' | 'verbal'; givenOn: string }
  requestedBy: { name: string; agency: string; email: string }
  package: EpisodePackage
  /** The PDF, base64. */
  pdf: string
}

export type TransferDetails = Omit<TransferDocument, 'format' | 'id' | 'pdf' | 'from'>

/** The package as a document people read (the same model as the family's copies, so the same PDF). */
export function packageCopy(d: Omit<TransferDocument, 'pdf' | 'format' | 'id'>): FamilyCopy {
  const p = d.package
  return {
    title: `Early help transfer to ${d.to.name}`,
    councilName: d.from.name,
    children: p.people.filter((x) => x.role === 'child').map((x) => (x.dateOfBirth ? `${x.name}, born ${dateWords(x.dateOfBirth)}` : x.name)),
    adults: p.people.filter((x) => x.role === 'adult').map((x) => x.name),
    completedOn: dateWords(new Date(p.sentAt)),
    dateLabel: 'Sent on',
    leadProfessional: p.lead ? [p.lead.name, p.lead.agency, p.lead.phone].filter(Boolean).join(', ') : null,
    introduction: [
      `The family has moved, or is moving, to ${d.to.name} (${dateWords(d.movedOn)}). ${d.reason}`,
      `Sent by ${d.requestedBy.name} (${d.requestedBy.agency}, ${d.requestedBy.email}), with the family’s consent given on ${dateWords(d.consent.givenOn)}.`,
    ],
    sections: [
      ...p.sections.map((s) => ({ heading: s.heading, items: s.items })),
      { heading: 'Chronology', items: p.chronology.map((c) => ({ label: dateWords(c.on), value: c.what })) },
    ],
    glossary: [
      { term: 'CAF', meaning: 'The Common Assessment Framework: one early help assessment of a family’s needs, agreed with them.' },
      { term: 'Team Around the Family', meaning: 'The practitioners from different agencies who work with the family, with the family.' },
    ],
  }
}

/** The whole document, with its PDF, ready to sign or to keep. */
export async function transferDocument(from: { code: string; name: string }, details: TransferDetails): Promise<TransferDocument> {
  const pdf = await familyCopyPdf(packageCopy({ ...details, from }))
  return { format: 'caf-hub-transfer/1', id: randomUUID(), from, ...details, pdf: pdf.toString('base64') }
}
