import { demographics, needsIdentified } from './children-report.ts'
import { closureReasons, consentTypes, flow, needLevels, rate, stepsByMonth } from './episodes-report.ts'
import { distanceByCohort, distanceByElement, distanceByService, followUps, outcomesAchieved } from './outcomes-report.ts'
import { timeliness } from './timeliness-report.ts'
import { trainedVersusInitiating } from './training-report.ts'
import { costsAvoided, episodeCosts } from './costs-report.ts'
import type { AuditDeclaration } from '../../web/router.ts'
import type { Figure } from './figure.ts'
import { supportingFamilies } from './supporting-families-report.ts'

/** A report: a page of figures with one set of filters, downloadable table by table or whole. */
export interface Report {
  key: string
  title: string
  /** What it answers, on the list of reports. */
  description: string
  // The figures' row types differ; each figure's query and tables agree with each other.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  figures: Figure<any>[]
  /** For a report that lists families: every view and download of it is audited. */
  audit?: AuditDeclaration
}

export const REPORTS: Report[] = [
  {
    key: 'episodes',
    title: 'Episodes started, open and closed',
    description:
      'How many CAF episodes started, were open and closed, by locality and agency; assessments started per 10,000 children against the target; levels of need, consent, closure reasons, and step ups and step downs by month.',
    figures: [flow, rate, needLevels, consentTypes, closureReasons, stepsByMonth],
  },
  {
    key: 'children',
    title: 'The children and their needs',
    description:
      'The children of the assessments started: their ages, sex, ethnicity and disability; and the needs most often identified, by part of the assessment and by domain.',
    figures: [demographics, needsIdentified],
  },
  {
    key: 'timeliness',
    title: 'Timeliness',
    description:
      'How long each step takes, from the stage changes recorded: intention to assessment, assessment started to completed, completion to the first Team Around the Family meeting, reviews on time, and how long episodes last.',
    figures: [timeliness],
  },
  {
    key: 'outcomes',
    title: 'Outcomes and distance travelled',
    description:
      'Desired outcomes achieved against those set; how the family’s and the practitioner’s scores changed between the assessment and the latest review, by part of the assessment, by cohort and by the services used; and whether the change lasted at the calls 3, 6 and 12 months after closing.',
    figures: [outcomesAchieved, distanceByElement, distanceByCohort, distanceByService, followUps],
  },
  {
    key: 'training',
    title: 'Trained and initiating',
    description:
      'For each agency: practitioners trained in the CAF, trained practitioners who have started a CAF, and CAFs started by practitioners with no training recorded.',
    figures: [trainedVersusInitiating],
  },
  {
    key: 'costs',
    title: 'Cost of an episode',
    description:
      'An estimate of what an episode costs (the time of everyone at its meetings, and the services it used) beside what the outcomes early help aims to prevent would cost, with the assumptions shown.',
    figures: [episodeCosts, costsAvoided],
  },
  {
    key: 'supporting-families',
    title: 'Supporting Families',
    description:
      'The families that meet the programme’s whole-family criteria (needs under three or more headlines, a lead professional, a whole-family assessment and plan), and those whose outcomes were sustained at the six-month call, ready for the council’s claim.',
    figures: [supportingFamilies],
    audit: { action: 'reports.families-listed', recordType: 'supporting-families' },
  },
]

export function reportByKey(key: string): Report | undefined {
  return REPORTS.find((r) => r.key === key)
}
