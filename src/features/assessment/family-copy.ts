import { dateWords } from '../../web/dates.ts'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Episode } from '../episodes/repository.ts'
import { answerText, elementAnswer, type Need, type SectionData } from './fields.ts'
import type { FamilyCopy, FamilyCopySection } from './family-copy-model.ts'
import { termWords } from './routes/answers.ts'
import { loadAssessment } from './use-cases.ts'

/** Words on the copy a family may not know, explained. Only those the copy uses are included. */
export const GLOSSARY = [
  {
    term: 'CAF (Common Assessment Framework)',
    meaning: 'The way all the services in your area look at what is going well and what is hard for a family, with the family, so everyone works to one plan.',
  },
  { term: 'Lead professional', meaning: 'The one worker who is your main contact and keeps everyone working together.' },
  {
    term: 'Team Around the Family',
    meaning: 'The workers from different services who help your family, and the family members who take part, meeting to agree and check the plan.',
  },
  { term: 'Desired outcome', meaning: 'What you want to be different for your family: a change in your lives, not a service.' },
  { term: 'Score', meaning: 'A number you and your worker each give for how things are, so you can both see later how much has changed.' },
  { term: 'Consent', meaning: 'Your agreement to this help and to the services named sharing information. You can change your mind at any time.' },
]

/** The family's copy of a completed assessment, in plain words, from what was recorded. */
export async function buildFamilyCopy(db: Kysely<DB>, laId: number, episode: Episode): Promise<FamilyCopy> {
  const [a, council] = await Promise.all([
    loadAssessment(db, laId, episode.id),
    db.selectFrom('local_authorities').select('name').where('id', '=', laId).executeTakeFirstOrThrow(),
  ])
  const data = (key: string): SectionData => a.saved.get(key)?.data ?? {}
  const text = (key: string, name: string): string | null => {
    const v = data(key)[name]
    return typeof v === 'string' && v ? v : null
  }
  const scale = a.config.scale
  const sections: FamilyCopySection[] = []
  const add = (heading: string, items: { label: string; value: string | null }[], lead?: string) => {
    const kept = items.filter((i): i is { label: string; value: string } => Boolean(i.value))
    if (kept.length) sections.push({ heading, ...(lead ? { lead } : {}), items: kept })
  }

  const presentTask = a.tasks.find((t) => t.key === 'present')!
  const presentField = presentTask.fields.find((f) => f.kind === 'checkboxes')!
  add('About the assessment', [
    { label: 'When it was done', value: text('present', 'date') ? dateWords(text('present', 'date')!) : null },
    { label: 'Who took part', value: [answerText(presentField, data('present')), text('present', 'others-present')].filter(Boolean).join(', ') || null },
    { label: 'Why it was done', value: text('present', 'led-to') },
  ])
  add('What is going well', [{ label: 'Your family’s strengths', value: text('conclusions', 'strengths') }])
  for (const task of a.tasks.filter((t) => t.section.startsWith('domain-'))) {
    add(
      task.title,
      task.fields.flatMap((f) => {
        if (f.kind !== 'element') return []
        const e = elementAnswer(f.name, data(task.key))
        if (e.notApplicable || (!e.narrative && e.family === null && e.practitioner === null)) return []
        const scores = [
          e.family !== null ? `Your score: ${e.family} out of ${scale.max}.` : null,
          e.practitioner !== null ? `Your worker’s score: ${e.practitioner} out of ${scale.max}.` : null,
        ]
        return [{ label: f.label, value: [e.narrative, scores.filter(Boolean).join(' ')].filter(Boolean).join('\n\n') }]
      }),
      `Scores go from ${scale.min} (${scale.lowLabel.toLowerCase()}) to ${scale.max} (${scale.highLabel.toLowerCase()}).`,
    )
  }
  add('What you told us', [
    ...episode.children.map((c) => ({
      label: `${c.name}’s views`,
      value: text(`child-views-${c.id}`, 'views') ?? text(`child-views-${c.id}`, 'not-recorded'),
    })),
    { label: 'Parents’ and carers’ views', value: text('parent-views', 'views') ?? text('parent-views', 'not-recorded') },
    { label: 'Where we see things differently', value: text('parent-views', 'differences') },
  ])
  add('Worries', [
    { label: 'Risks', value: text('conclusions', 'risks') },
    { label: 'What might happen if nothing changes', value: text('conclusions', 'if-nothing-changes') },
  ])

  const needs = ((data('conclusions').needs as Need[] | undefined) ?? []).map((n) => ({
    need: n.need,
    when: termWords(n.term),
    outcome: n.outcome ?? 'Not yet agreed',
  }))
  const completedOn = episode.assessment_completed_at ? dateWords(episode.assessment_completed_at) : 'Not yet completed'
  const lead = episode.lead ? [episode.lead.name, episode.lead.agencyName, episode.lead.phone ?? episode.lead.email].join(', ') : null
  const agencies = a.consent.current.map((c) => c.agencyName).join(', ')
  return {
    title: 'Your family’s early help assessment',
    councilName: council.name,
    children: episode.children.map((c) => `${c.name}${c.dateOfBirth ? `, born ${dateWords(c.dateOfBirth)}` : ''}`),
    adults: episode.adults.map((p) => p.name),
    completedOn,
    leadProfessional: lead,
    introduction: [
      'This is your copy of the assessment you did with us. It says what is going well for your family, what is hard, and what you want to change. If anything in it is wrong, tell your lead professional.',
      agencies
        ? `You agreed that these services may see it: ${agencies}. You can change your mind at any time.`
        : 'You can change your mind about who may see it at any time.',
      'What happens next: your lead professional will arrange a meeting with you and the services helping you (the Team Around the Family) to agree a plan.',
    ],
    sections,
    needs,
    glossary: GLOSSARY,
  }
}
