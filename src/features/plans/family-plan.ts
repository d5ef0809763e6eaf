import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import { dateWords } from '../../web/dates.ts'
import { GLOSSARY } from '../assessment/family-copy.ts'
import type { FamilyCopy } from '../assessment/family-copy-model.ts'
import { currentTeam, type Episode } from '../episodes/repository.ts'
import { planOf } from './use-cases.ts'

/** The plan as the family reads it: for each change they want, who is doing what, and by when. */
export async function familyPlan(db: Kysely<DB>, laId: number, episode: Episode): Promise<FamilyCopy> {
  const [plan, team, council] = await Promise.all([
    planOf(db, laId, episode.id),
    currentTeam(db, episode.id),
    db.selectFrom('local_authorities').select('name').where('id', '=', laId).executeTakeFirstOrThrow(),
  ])
  const first = plan.flatMap((o) => o.actions).reduce<Date | null>((at, a) => (!at || a.created_at < at ? a.created_at : at), null)
  return {
    title: 'Your family’s plan',
    councilName: council.name,
    children: episode.children.map((c) => c.name),
    adults: episode.adults.map((a) => a.name),
    completedOn: first ? dateWords(first) : 'Not yet agreed',
    dateLabel: 'Started on',
    leadProfessional: episode.lead ? [episode.lead.name, episode.lead.agencyName, episode.lead.phone ?? episode.lead.email].join(', ') : null,
    introduction: [
      'This is the plan you agreed with the services helping your family. For each thing you want to change, it says who will do what, and by when.',
      'Your lead professional will go through it with you at each review, to see what has changed. If anything in it is wrong, tell them.',
    ],
    sections: [
      ...plan.map((o) => ({
        heading: o.outcome,
        lead: `Why: ${o.need}`,
        items: o.actions.length
          ? o.actions.map((a) => ({
              label: a.description,
              value: [
                `Who: ${a.familyOwner ?? a.owner}`,
                `By: ${dateWords(a.due_on)}`,
                `Progress: ${a.statusText}${a.not_done_reason ? ` (${a.not_done_reason})` : ''}`,
                a.service_name ? `Service: ${a.service_name}` : null,
              ]
                .filter(Boolean)
                .join('\n'),
            }))
          : [{ label: 'Actions', value: 'None agreed yet' }],
      })),
      {
        heading: 'Your Team Around the Family',
        lead: 'The people working together with you on this plan.',
        items: [
          ...episode.people.filter((p) => p.inTeam).map((p) => ({ label: p.name, value: 'Family' })),
          ...team.map((m) => ({ label: m.name, value: m.agencyName })),
        ],
      },
    ],
    glossary: GLOSSARY.filter((g) => !g.term.startsWith('Score')),
  }
}
