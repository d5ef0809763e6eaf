import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Episode } from '../episodes/repository.ts'
import type { SectionData } from './fields.ts'

/**
 * What is already known when an assessment task is opened for the first time, so that nothing is asked
 * twice: the pre-assessment's concern and the agencies it named; from the register, the adults'
 * relationships to the children and phone numbers, and whether a child needs an interpreter or signer.
 * The practitioner sees it in the form and may change it; once the task is saved, what was saved is shown.
 */
export async function carriedForward(db: Kysely<DB>, laId: number, episode: Episode, taskKey: string): Promise<SectionData> {
  if (taskKey === 'present' || taskKey === 'services') {
    const pre = await db
      .selectFrom('pre_assessments')
      .select(['concern', 'agencies_involved'])
      .where('la_id', '=', laId)
      .where('episode_id', '=', episode.id)
      .executeTakeFirst()
    if (!pre) return {}
    return taskKey === 'present' ? { 'led-to': pre.concern } : pre.agencies_involved ? { other: pre.agencies_involved } : {}
  }
  if (taskKey !== 'details') return {}
  const ids = episode.people.map((p) => p.id)
  const [people, relationships] = await Promise.all([
    db.selectFrom('people').select(['id', 'phone', 'interpreter_needed']).where('la_id', '=', laId).where('id', 'in', ids).execute(),
    episode.children.length
      ? db
          .selectFrom('relationships')
          .select(['person_id', 'relationship', 'parental_responsibility'])
          .where('la_id', '=', laId)
          .where(
            'child_id',
            'in',
            episode.children.map((c) => c.id),
          )
          .execute()
      : [],
  ])
  const data: SectionData = {}
  for (const r of relationships) {
    data[`p${r.person_id}-relationship`] ??= r.relationship
    data[`p${r.person_id}-pr`] ??= r.parental_responsibility ? 'yes' : 'no'
  }
  for (const p of people) {
    const role = episode.people.find((e) => e.id === p.id)!.role
    if (role === 'adult' && p.phone) data[`p${p.id}-contact`] = p.phone
    // The register says whether one is needed; whether it has been arranged is the assessment's question.
    if (role === 'child' && p.interpreter_needed !== null) data[`p${p.id}-interpreter`] = p.interpreter_needed ? 'not-arranged' : 'not-needed'
  }
  return data
}
