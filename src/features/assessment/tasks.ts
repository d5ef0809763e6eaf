import type { CafConfig } from '../episodes/config.ts'
import type { EpisodePerson } from '../episodes/repository.ts'
import { elementAnswer, type Field, type Need, type SectionData } from './fields.ts'

/** A task of the GOV.UK task list: one section of the assessment, perhaps about one child. */
export interface Task {
  /** In the address: /episodes/:id/assessment/:key */
  key: string
  section: string
  /** The child a per-child task is about; 0 for the whole family. */
  subjectId: number
  group: string
  title: string
  /** Words at the top of the form. */
  intro?: string
  fields: Field[]
  isComplete(data: SectionData): boolean
  /** Completing the assessment needs this task done (who was present, views, needs and outcomes). */
  required: boolean
}

export type TaskStatus = 'not-started' | 'in-progress' | 'completed' | 'cannot-start'

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  completed: 'Completed',
  'cannot-start': 'Cannot start yet',
}

const YES_NO = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
]
const INTERPRETER = [
  { value: 'not-needed', text: 'Not needed' },
  { value: 'arranged', text: 'Needed and arranged' },
  { value: 'not-arranged', text: 'Needed but not yet arranged' },
]

const filled = (v: unknown) => typeof v === 'string' && v !== ''

/** As many needs as a family has: the form shows the needs written so far and three empty rows (at least six), up to this. */
export const NEEDS_MAX = 40

export const GROUPS = ['About the assessment', 'Strengths and needs', 'Views', 'Conclusions'] as const

/** The tasks of an episode's assessment: the same for every council, with its configured domains. */
export function assessmentTasks(people: readonly EpisodePerson[], config: CafConfig): Task[] {
  const children = people.filter((p) => p.role === 'child')
  const adults = people.filter((p) => p.role === 'adult')
  const family = children.length > 1 || adults.length > 0
  return [
    detailsTask(children, adults),
    {
      key: 'present',
      section: 'present',
      subjectId: 0,
      group: GROUPS[0],
      title: 'Who was present and what led to the assessment',
      fields: [
        { kind: 'date', name: 'date', label: 'Date of the assessment', hint: 'For example, 27 3 2026' },
        { kind: 'checkboxes', name: 'present', label: 'Who from the family was present?', options: people.map((p) => ({ value: String(p.id), text: p.name })) },
        { kind: 'text', name: 'others-present', label: 'Anyone else present', hint: 'Names and roles, for example "Ms Patel, class teacher"' },
        { kind: 'textarea', name: 'led-to', label: 'What led to this assessment?' },
      ],
      isComplete: (d) => filled(d.date) && (((d.present as string[] | undefined) ?? []).length > 0 || filled(d['others-present'])) && filled(d['led-to']),
      required: true,
    },
    {
      key: 'services',
      section: 'services',
      subjectId: 0,
      group: GROUPS[0],
      title: 'Services already involved',
      fields: [
        {
          kind: 'textarea',
          name: 'universal',
          label: 'Universal services',
          hint: 'Services every child or family uses, such as school, nursery, GP and health visitor',
        },
        { kind: 'textarea', name: 'other', label: 'Other services', hint: 'For example, speech and language therapy, housing support, a youth worker' },
      ],
      isComplete: (d) => filled(d.universal) || filled(d.other),
      required: false,
    },
    ...config.domains.flatMap((domain) => {
      const fields: Field[] = domain.elements.map((e) => ({ kind: 'element', name: e.code, label: e.label }))
      const complete = (d: SectionData) => domain.elements.every((e) => elementAnswer(e.code, d).notApplicable || elementAnswer(e.code, d).narrative !== null)
      const base = { section: `domain-${domain.code}`, group: GROUPS[1], fields, isComplete: complete, required: false }
      return domain.perChild
        ? children.map((c) => ({ ...base, key: `domain-${domain.code}-${c.id}`, subjectId: c.id, title: family ? `${domain.label}: ${c.name}` : domain.label }))
        : [{ ...base, key: `domain-${domain.code}`, subjectId: 0, title: domain.label }]
    }),
    ...children.map((c) => ({
      key: `child-views-${c.id}`,
      section: 'child-views',
      subjectId: c.id,
      group: GROUPS[2],
      title: `${c.name}’s views`,
      fields: [
        { kind: 'textarea', name: 'views', label: `What does ${c.name} think and want?`, hint: 'In their own words where you can' },
        { kind: 'textarea', name: 'not-recorded', label: 'If you could not record their views, say why', hint: 'For example, a baby too young to say' },
      ] as Field[],
      isComplete: (d: SectionData) => filled(d.views) || filled(d['not-recorded']),
      required: true,
    })),
    {
      key: 'parent-views',
      section: 'parent-views',
      subjectId: 0,
      group: GROUPS[2],
      title: 'Parents’ or carers’ views',
      fields: [
        { kind: 'textarea', name: 'views', label: 'What do the parents or carers think and want?', hint: 'In their own words where you can' },
        { kind: 'textarea', name: 'differences', label: 'Where do the family and the professionals see things differently?' },
        { kind: 'textarea', name: 'not-recorded', label: 'If you could not record their views, say why' },
      ],
      isComplete: (d) => filled(d.views) || filled(d['not-recorded']),
      required: true,
    },
    {
      key: 'conclusions',
      section: 'conclusions',
      subjectId: 0,
      group: GROUPS[3],
      title: 'Strengths, needs and what should change',
      intro:
        'A desired outcome is a change for the family, such as "Lan gets to school on time every day", not a service such as "attends a parenting course".',
      fields: [
        { kind: 'textarea', name: 'strengths', label: 'Strengths and resources', hint: 'What is going well, and who and what the family can rely on' },
        { kind: 'needs', name: 'needs', rows: NEEDS_MAX },
        { kind: 'textarea', name: 'risks', label: 'Risks' },
        { kind: 'textarea', name: 'if-nothing-changes', label: 'What will happen if nothing changes?' },
      ],
      isComplete: (d) => {
        const needs = (d.needs as Need[] | undefined) ?? []
        return needs.length > 0 && needs.every((n) => n.outcome !== null)
      },
      required: true,
    },
  ]
}

function detailsTask(children: readonly EpisodePerson[], adults: readonly EpisodePerson[]): Task {
  const fields: Field[] = [
    ...children.flatMap((c): Field[] => [
      { kind: 'person', personId: c.id, label: c.name },
      { kind: 'text', name: `p${c.id}-health-contact`, label: `${c.name}: health visitor or school nurse` },
      { kind: 'radios', name: `p${c.id}-interpreter`, label: `${c.name}: is an interpreter or signer needed?`, options: INTERPRETER },
    ]),
    ...adults.flatMap((a): Field[] => [
      { kind: 'person', personId: a.id, label: a.name },
      { kind: 'text', name: `p${a.id}-relationship`, label: `${a.name}: relationship to the children`, hint: 'For example, mother, stepfather, grandmother' },
      { kind: 'radios', name: `p${a.id}-pr`, label: `${a.name}: do they have parental responsibility?`, options: YES_NO },
      { kind: 'text', name: `p${a.id}-contact`, label: `${a.name}: phone number or email address` },
    ]),
    {
      kind: 'textarea',
      name: 'other-adults',
      label: 'Other significant adults',
      hint: 'People outside the household who matter to the children, and how to contact them',
    },
  ]
  return {
    key: 'details',
    section: 'details',
    subjectId: 0,
    group: GROUPS[0],
    title: 'Family members’ details',
    intro: 'Details already on the register are shown, not asked again. If any are wrong, change them on the register.',
    fields,
    isComplete: (d) =>
      children.every((c) => filled(d[`p${c.id}-interpreter`])) && adults.every((a) => filled(d[`p${a.id}-relationship`]) && filled(d[`p${a.id}-pr`])),
    required: false,
  }
}

/** A task's status, from what is saved. */
export function taskStatus(task: Task, saved: SectionData | undefined): TaskStatus {
  if (!saved) return 'not-started'
  return task.isComplete(saved) ? 'completed' : 'in-progress'
}
