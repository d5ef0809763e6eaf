import { sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely'

/** A save refused because someone else saved the same record first (its version moved on). */
export class EditConflict extends Error {
  constructor(public readonly current: Record<string, unknown>) {
    super('edit conflict')
  }
}

/** Postgres unique_violation, for a rule the database enforces (such as one name per council). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown }
  return e?.code === '23505' && (!constraint || e.constraint === constraint)
}

/**
 * Saves a change to a versioned row only if nobody has saved it since the version the user saw: the
 * update raises the row's version, and when no row is updated the save is refused with an EditConflict
 * carrying what is there now (to show beside the user's version). The one place the rule is written.
 */
export async function saveIfUnchanged(
  // any: the helper serves every versioned table; the caller's query is typed where it is built.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  update: UpdateQueryBuilder<any, any, any, UpdateResult>,
  version: number,
  current: () => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<void> {
  const result = await update
    .set({ version: sql<number>`version + 1` })
    .where(sql<boolean>`version = ${version}`)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw new EditConflict(await current())
}
