import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/schema.ts'
import type { Actor } from '../../../web/actor.ts'
import { NotFound } from '../../../web/outcome.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { STEP_UP_REASON } from '../../closure/use-cases.ts'
import { ConfigRuleBroken, differences } from '../caf-config/use-cases.ts'
import { EditConflict, isUniqueViolation } from '../../../db/conflict.ts'

/**
 * The council's reasons for closing an episode. Each keeps its code for ever, so reports count closures
 * the same way after a reason is renamed; a reason no longer wanted is hidden, not deleted, because
 * closed episodes still give it.
 */
export interface ClosureReason {
  code: string
  label: string
  hidden: boolean
  version: number
  /** Episodes closed for this reason, ever. */
  closures: number
}

const DUPLICATE = 'There is already a closure reason with this name'
const OTHER = 'other'

export function listClosureReasons(db: Kysely<DB>, actor: Actor): Promise<ClosureReason[]> {
  return db
    .selectFrom('closure_reasons as r')
    .select(['r.code', 'r.label', 'r.hidden', 'r.version'])
    .select((eb) =>
      eb
        .selectFrom('episodes as e')
        .whereRef('e.la_id', '=', 'r.la_id')
        .whereRef('e.closed_reason', '=', 'r.code')
        .select(sql<number>`count(*)::int`.as('n'))
        .as('closures'),
    )
    .where('r.la_id', '=', actor.laId)
    .orderBy('r.sort_order')
    .$castTo<ClosureReason>()
    .execute()
}

export async function getClosureReason(db: Kysely<DB>, actor: Actor, code: string): Promise<ClosureReason> {
  const reason = (await listClosureReasons(db, actor)).find((r) => r.code === code)
  if (!reason) throw new NotFound()
  return reason
}

/** A code from the name: lower case words joined by dashes, made unique among the council's codes. */
function codeFor(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'reason'
  let code = base
  for (let n = 2; taken.has(code); n++) code = `${base}-${n}`
  return code
}

/** The council's reasons, locked, so two administrators' changes are checked one after the other. */
function lockReasons(tx: Kysely<DB>, actor: Actor) {
  return tx.selectFrom('closure_reasons').select(['code', 'label', 'hidden', 'version', 'sort_order']).where('la_id', '=', actor.laId).forUpdate().execute()
}

function sameLabel(reasons: { code: string; label: string }[], label: string, except?: string) {
  return reasons.some((r) => r.code !== except && r.label.toLowerCase() === label.toLowerCase())
}

/** Adds a reason, offered from now on. It goes before "Other", which stays last. Returns its code. */
export async function addClosureReason(db: Kysely<DB>, actor: Actor, input: { label: string }): Promise<string> {
  try {
    return await db.transaction().execute(async (tx) => {
      const reasons = await lockReasons(tx, actor)
      if (sameLabel(reasons, input.label)) throw new ConfigRuleBroken('label', DUPLICATE)
      const code = codeFor(input.label, new Set(reasons.map((r) => r.code)))
      const other = reasons.find((r) => r.code === OTHER)
      const last = Math.max(0, ...reasons.filter((r) => r.code !== OTHER).map((r) => r.sort_order))
      await tx
        .insertInto('closure_reasons')
        .values({ la_id: actor.laId, code, label: input.label, sort_order: last + 1 })
        .execute()
      if (other && other.sort_order <= last + 1) {
        await tx
          .updateTable('closure_reasons')
          .set({ sort_order: last + 2 })
          .where('la_id', '=', actor.laId)
          .where('code', '=', OTHER)
          .execute()
      }
      await auditAs(tx, actor, 'closure-reason.added', { type: 'closure-reason', id: code }, { label: input.label })
      return code
    })
  } catch (error) {
    // Two administrators adding the same name at once: the database's index refuses the second.
    if (isUniqueViolation(error, 'closure_reasons_label_unique')) throw new ConfigRuleBroken('label', DUPLICATE)
    throw error
  }
}

export interface ClosureReasonChange {
  label: string
  hidden: boolean
  version: number
}

/**
 * Renames a reason or hides it. The step-up reason cannot be hidden (a review's step up records it), and
 * practitioners must always have at least one other reason to choose.
 */
export async function updateClosureReason(db: Kysely<DB>, actor: Actor, code: string, input: ClosureReasonChange): Promise<void> {
  try {
    await db.transaction().execute(async (tx) => {
      const reasons = await lockReasons(tx, actor)
      const before = reasons.find((r) => r.code === code)
      if (!before) throw new NotFound()
      if (before.version !== input.version) throw new EditConflict({ ...before })
      if (sameLabel(reasons, input.label, code)) throw new ConfigRuleBroken('label', DUPLICATE)
      if (input.hidden && !before.hidden) {
        if (code === STEP_UP_REASON) {
          throw new ConfigRuleBroken('visible', 'You cannot hide this reason. An episode closes with it when children’s social care accepts a step up')
        }
        if (!reasons.some((r) => r.code !== code && r.code !== STEP_UP_REASON && !r.hidden)) {
          throw new ConfigRuleBroken(
            'visible',
            'You cannot hide this reason. Practitioners need at least one reason, other than a step up, to close an episode with',
          )
        }
      }
      const { changed, detail } = differences(before, input, ['label', 'hidden'])
      if (!changed.length) return
      await tx
        .updateTable('closure_reasons')
        .set({ label: input.label, hidden: input.hidden, version: sql<number>`version + 1` })
        .where('la_id', '=', actor.laId)
        .where('code', '=', code)
        .execute()
      await auditAs(tx, actor, 'closure-reason.updated', { type: 'closure-reason', id: code }, detail)
    })
  } catch (error) {
    if (isUniqueViolation(error, 'closure_reasons_label_unique')) throw new ConfigRuleBroken('label', DUPLICATE)
    throw error
  }
}
