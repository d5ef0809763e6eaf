import { headlineText } from '../headlines.ts'
import { answerText, elementAnswer, NEED_TERMS, type Need, type SectionData } from '../fields.ts'
import type { Task } from '../tasks.ts'

export interface AnswerRow {
  label: string
  value: string
  /** Set when comparing: the other version's answer, and whether they differ. */
  previous?: string
  changed?: boolean
}

const NOT_ANSWERED = 'Not answered'

/** A task's answers as label and words, for "check your answers", conflicts and amendment history. */
export function answerRows(task: Task, data: SectionData, compareTo?: SectionData): AnswerRow[] {
  const rows: AnswerRow[] = []
  const push = (label: string, value: (d: SectionData) => string) => {
    const v = value(data)
    if (!compareTo) return void rows.push({ label, value: v })
    const previous = value(compareTo)
    rows.push({ label, value: v, previous, changed: v !== previous })
  }
  for (const field of task.fields) {
    switch (field.kind) {
      case 'person':
        break
      case 'element':
        push(field.label, (d) => elementWords(field.name, d))
        break
      case 'needs':
        push('Needs and desired outcomes', (d) => needsWords((d[field.name] as Need[] | undefined) ?? []))
        break
      default:
        push(field.label, (d) => answerText(field, d) ?? NOT_ANSWERED)
    }
  }
  return compareTo ? rows.filter((r) => r.changed) : rows
}

export function elementWords(name: string, data: SectionData): string {
  const e = elementAnswer(name, data)
  if (e.notApplicable) return 'Not applicable'
  const scores = [e.practitioner !== null ? `Practitioner’s score: ${e.practitioner}` : null, e.family !== null ? `Family’s score: ${e.family}` : null].filter(
    Boolean,
  )
  return [e.narrative ?? NOT_ANSWERED, scores.join('. ')].filter(Boolean).join('\n\n')
}

export function termWords(term: string | null): string {
  return NEED_TERMS.find((t) => t.value === term)?.text ?? 'When: not decided'
}

function needsWords(needs: readonly Need[]): string {
  if (!needs.length) return NOT_ANSWERED
  return needs
    .map((n, i) => {
      const headline = headlineText(n.headline)
      return `${i + 1}. ${n.need} (${termWords(n.term)}). Desired outcome: ${n.outcome ?? 'not yet agreed'}${headline ? `. Supporting Families headline: ${headline}` : ''}`
    })
    .join('\n\n')
}
