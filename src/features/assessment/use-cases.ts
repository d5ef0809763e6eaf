import { sql, type Expression, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import type { FieldErrors } from '../../web/forms.ts'
import { NotFound, WrongStage } from '../../web/outcome.ts'
import { EditConflict } from '../../db/conflict.ts'
import { auditAs } from '../audit/audit-log.ts'
import { requireEpisode } from '../../policies/episode.ts'
import { cafConfig, type CafConfig } from '../episodes/config.ts'
import { consentOf } from '../episodes/consent.ts'
import { episodePeople, saveCopyGiven, type EpisodePerson } from '../episodes/repository.ts'
import { changeStage, lockEpisode, requireStage, stageAllows } from '../episodes/stages.ts'
import { readSection, type SectionData } from './fields.ts'
import { assessmentTasks, taskStatus, type Task, type TaskStatus } from './tasks.ts'

export interface SavedSection {
  data: SectionData
  version: number
  updatedAt: Date
  updatedBy: string
}

/** An episode's assessment: its tasks, what is saved for each and their statuses. */
export async function loadAssessment(db: Kysely<DB>, laId: number, episodeId: number) {
  const [people, config, rows, consent] = await Promise.all([
    episodePeople(db, episodeId),
    cafConfig(db, laId),
    db
      .selectFrom('assessment_sections as s')
      .innerJoin('users as u', 'u.id', 's.updated_by')
      .select(['s.section', 's.subject_id', 's.data', 's.version', 's.updated_at', 'u.full_name'])
      .where('s.episode_id', '=', episodeId)
      .where('s.la_id', '=', laId)
      .execute(),
    consentOf(db, laId, episodeId),
  ])
  const tasks = assessmentTasks(people, config)
  const saved = new Map<string, SavedSection>()
  for (const r of rows) {
    const task = taskOf(tasks, r)
    if (task) saved.set(task.key, { data: r.data, version: r.version, updatedAt: r.updated_at, updatedBy: r.full_name })
  }
  const statuses = statusesOf(tasks, saved)
  const consentStatus = consentTaskStatus(consent.latest, consent.inForce)
  const missing = missingForCompletion(tasks, statuses, consent.inForce)
  return {
    people,
    config,
    tasks,
    saved,
    statuses,
    consent,
    consentStatus,
    progress: countProgress(statuses, consentStatus),
    missing,
    checkStatus: (missing.length ? 'cannot-start' : 'not-started') as TaskStatus,
  }
}
export type Assessment = Awaited<ReturnType<typeof loadAssessment>>

const taskOf = (tasks: readonly Task[], row: { section: string; subject_id: number }) =>
  tasks.find((t) => t.section === row.section && t.subjectId === row.subject_id)

function statusesOf(tasks: readonly Task[], saved: Map<string, { data: SectionData }>) {
  return new Map<string, TaskStatus>(tasks.map((t) => [t.key, taskStatus(t, saved.get(t.key)?.data)]))
}

/** What each of an episode's saved sections holds: a query for a read model that counts progress. */
export function sectionsOf(db: Kysely<DB>, episodeId: Expression<number>) {
  return db.selectFrom('assessment_sections').select(['section', 'subject_id', 'data']).where('episode_id', '=', episodeId)
}

/** The consent task's status: not started until a decision is recorded, completed once consent is in force. */
function consentTaskStatus(latest: unknown, inForce: boolean): TaskStatus {
  return latest ? (inForce ? 'completed' : 'in-progress') : 'not-started'
}

/** The one count of the assessment's progress, which every page shows: its sections and consent. */
function countProgress(statuses: Map<string, TaskStatus>, consentStatus: TaskStatus) {
  const done = [...statuses.values()].filter((s) => s === 'completed').length + (consentStatus === 'completed' ? 1 : 0)
  return { done, total: statuses.size + 1 }
}

/** `progress` as `loadAssessment` gives it, from the rows of `sectionsOf` and the consent summary: for a read model. */
export function assessmentProgress(
  people: readonly EpisodePerson[],
  config: CafConfig,
  rows: readonly { section: string; subject_id: number; data: SectionData }[],
  consent: { latest: unknown; inForce: boolean },
) {
  const tasks = assessmentTasks(people, config)
  const saved = new Map<string, { data: SectionData }>()
  for (const r of rows) {
    const task = taskOf(tasks, r)
    if (task) saved.set(task.key, { data: r.data })
  }
  return countProgress(statusesOf(tasks, saved), consentTaskStatus(consent.latest, consent.inForce))
}

/** What still stops the assessment being completed, in words, each with the task that fixes it. */
export function missingForCompletion(tasks: readonly Task[], statuses: Map<string, TaskStatus>, consentInForce: boolean) {
  const missing: { key: string; text: string }[] = []
  for (const t of tasks) {
    if (t.required && statuses.get(t.key) !== 'completed') missing.push({ key: t.key, text: `Complete “${t.title}”` })
  }
  if (!consentInForce) missing.push({ key: 'consent', text: 'Record the family’s consent, naming at least one agency information may be shared with' })
  return missing
}

export type SaveResult = { type: 'saved'; amended: boolean } | { type: 'invalid'; errors: FieldErrors }

/**
 * Saves one task's answers ("Save and continue"). The version the user started from must still be the
 * saved one, or their save is refused (someone else saved in between). On a completed assessment a
 * change is an amendment: it needs a reason, and what it said before is kept.
 */
export async function saveSection(
  db: Kysely<DB>,
  actor: Actor,
  episodeId: number,
  taskKey: string,
  body: Record<string, unknown>,
  opts: { version: number; amendReason: string | null },
): Promise<SaveResult> {
  await requireEpisode(db, actor, episodeId, 'work')
  const [people, config] = await Promise.all([episodePeople(db, episodeId), cafConfig(db, actor.laId)])
  const task = assessmentTasks(people, config).find((t) => t.key === taskKey)
  if (!task) throw new NotFound()
  const read = readSection(task.fields, body, config.scale)
  if ('errors' in read) return { type: 'invalid', errors: read.errors }
  return db.transaction().execute(async (tx) => {
    const stage = await lockEpisode(tx, actor.laId, episodeId)
    const locked = stageAllows(stage, 'amend')
    if (!locked && !stageAllows(stage, 'assess')) throw new WrongStage()
    if (locked && !opts.amendReason) return { type: 'invalid', errors: { amendReason: 'Enter why you are changing the completed assessment' } }
    const existing = await tx
      .selectFrom('assessment_sections')
      .select(['data', 'version'])
      .where('episode_id', '=', episodeId)
      .where('section', '=', task.section)
      .where('subject_id', '=', task.subjectId)
      .forUpdate()
      .executeTakeFirst()
    if ((existing?.version ?? 0) !== opts.version) throw new EditConflict(existing?.data ?? {})
    const changed = JSON.stringify(existing?.data ?? null) !== JSON.stringify(read.data)
    if (!changed) return { type: 'saved', amended: false }
    if (existing) {
      await tx
        .updateTable('assessment_sections')
        .set({ data: JSON.stringify(read.data), version: sql<number>`version + 1`, updated_by: actor.userId, updated_at: sql<Date>`now()` })
        .where('episode_id', '=', episodeId)
        .where('section', '=', task.section)
        .where('subject_id', '=', task.subjectId)
        .execute()
    } else {
      await tx
        .insertInto('assessment_sections')
        .values({
          la_id: actor.laId,
          episode_id: episodeId,
          section: task.section,
          subject_id: task.subjectId,
          data: JSON.stringify(read.data),
          updated_by: actor.userId,
        })
        .execute()
    }
    if (locked) {
      await tx
        .insertInto('assessment_amendments')
        .values({
          la_id: actor.laId,
          episode_id: episodeId,
          section: task.section,
          subject_id: task.subjectId,
          before: JSON.stringify(existing?.data ?? {}),
          after: JSON.stringify(read.data),
          reason: opts.amendReason!,
          amended_by: actor.userId,
        })
        .execute()
    }
    const detail = { section: task.section, subjectId: task.subjectId, status: task.isComplete(read.data) ? 'completed' : 'in-progress' }
    await auditAs(tx, actor, locked ? 'assessment.amended' : 'assessment.section-saved', { type: 'episode', id: episodeId }, detail)
    return { type: 'saved', amended: locked }
  })
}

export class NotReady extends Error {
  constructor(public readonly missing: { key: string; text: string }[]) {
    super('The assessment is not ready to complete')
  }
}

/** Completes and locks the assessment, once everything completion needs is there. */
export async function completeAssessment(db: Kysely<DB>, actor: Actor, episodeId: number): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    await requireStage(tx, actor.laId, episodeId, 'assess')
    const { missing } = await loadAssessment(tx, actor.laId, episodeId)
    if (missing.length) throw new NotReady(missing)
    await changeStage(tx, actor, episodeId, 'assess', 'assessment-complete', {
      assessment_completed_at: sql<Date>`now()`,
      assessment_completed_by: actor.userId,
    })
    await auditAs(tx, actor, 'assessment.completed', { type: 'episode', id: episodeId })
  })
}

/** Corrections made after completion, newest first. */
export function amendments(db: Kysely<DB>, laId: number, episodeId: number) {
  return db
    .selectFrom('assessment_amendments as a')
    .innerJoin('users as u', 'u.id', 'a.amended_by')
    .select(['a.id', 'a.section', 'a.subject_id as subjectId', 'a.before', 'a.after', 'a.reason', 'a.amended_at as amendedAt', 'u.full_name as amendedBy'])
    .where('a.episode_id', '=', episodeId)
    .where('a.la_id', '=', laId)
    .orderBy('a.amended_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute()
}

/** Records the date the family was given their copy. */
export async function recordCopyGiven(db: Kysely<DB>, actor: Actor, episodeId: number, givenOn: string): Promise<void> {
  await requireEpisode(db, actor, episodeId, 'work')
  await db.transaction().execute(async (tx) => {
    if (!(await saveCopyGiven(tx, actor.laId, episodeId, givenOn, actor.userId))) throw new WrongStage()
    await auditAs(tx, actor, 'assessment.copy-given', { type: 'episode', id: episodeId })
  })
}
