import { closureReasons, consentTypes, flow, needLevels, rate, stepsByMonth } from './episodes-report.ts'
import type { Figure } from './figure.ts'

/** A report: a page of figures with one set of filters, downloadable table by table or whole. */
export interface Report {
  key: string
  title: string
  /** What it answers, on the list of reports. */
  description: string
  // The figures' row types differ; each figure's query and tables agree with each other.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  figures: Figure<any>[]
}

export const REPORTS: Report[] = [
  {
    key: 'episodes',
    title: 'Episodes started, open and closed',
    description:
      'How many CAF episodes started, were open and closed, by locality and agency; assessments started per 10,000 children against the target; levels of need, consent, closure reasons, and step ups and step downs by month.',
    figures: [flow, rate, needLevels, consentTypes, closureReasons, stepsByMonth],
  },
]

export function reportByKey(key: string): Report | undefined {
  return REPORTS.find((r) => r.key === key)
}
