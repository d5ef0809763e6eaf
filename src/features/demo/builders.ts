import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { today } from '../../web/dates.ts'
import { completeAssessment, saveSection } from '../assessment/use-cases.ts'
import { recordConsent } from '../episodes/consent.ts'
import { decide, saveChecklist } from '../episodes/pre-assessment.ts'
import { startEpisode } from '../episodes/start.ts'

/**
 * Episodes taken through their first stages by the same use cases as the pages: for the demo seed and
 * for the tests' factories (test/helpers/factories.ts), so that both build data the way users do.
 */

/** A decision at the pre-assessment to start a CAF at level 3. */
export async function preAssessed(db: Kysely<DB>, actor: Actor, episodeId: number) {
  const yes = { answer: 'yes' as const, note: null }
  await saveChecklist(db, actor, episodeId, {
    answers: { healthy: yes, safe: yes, learning: { answer: 'no', note: 'Falling behind' }, impact: yes, poverty: { answer: 'not-sure', note: null } },
    concern: 'Late for school most days; the family is under strain.',
    agenciesInvolved: null,
  })
  await decide(db, actor, episodeId, { level: '3', nextStep: 'assessment', reason: 'Several agencies can help.' })
}

/** A family CAF taken through a completed, consented assessment, done with the family `f.on` (today unless told). */
export async function assessed(
  db: Kysely<DB>,
  actor: Actor,
  f: { child: number; others: number[]; children: number[]; adult: number; agencies: number[]; on?: string },
): Promise<number> {
  const started = await startEpisode(db, actor, {
    childId: f.child,
    kind: 'family',
    memberIds: f.others,
    start: 'pre-assessment',
    intentionReason: null,
    plannedOn: null,
    relationship: null,
  })
  if (started.type !== 'started') throw new Error('a demo episode could not start')
  const id = started.id
  await preAssessed(db, actor, id)
  const on = f.on ?? today()
  const [y, m, d] = on.split('-')
  const save = (task: string, body: Record<string, unknown>) => saveSection(db, actor, id, task, body, { version: 0, amendReason: null })
  await save('present', {
    'date-day': String(Number(d)),
    'date-month': String(Number(m)),
    'date-year': y,
    present: [String(f.adult), ...f.children.map(String)],
    'led-to': 'School raised concerns about lateness and tiredness.',
  })
  for (const c of f.children) await save(`child-views-${c}`, { views: 'Wants mornings to be less rushed.' })
  for (const c of f.children)
    await save(`domain-child-${c}`, {
      'general-health-narrative': 'Often tired in the mornings.',
      'general-health-family': '3',
      'general-health-practitioner': '4',
    })
  await save('parent-views', { views: 'Mum wants help with mornings and money worries.' })
  await save('conclusions', {
    strengths: 'A close, loving family.',
    'needs-1-need': 'Late for school most days',
    'needs-1-term': 'short',
    'needs-1-outcome': 'On time every day by the end of term',
  })
  await recordConsent(db, actor, id, {
    decision: 'given',
    givenBy: f.adult,
    giverRole: 'parent-with-pr',
    method: 'written',
    givenOn: on,
    agencyIds: f.agencies,
  })
  await completeAssessment(db, actor, id)
  return id
}
