/** A save refused because someone else saved the same record first (its version moved on). */
export class EditConflict extends Error {
  constructor(public readonly current: Record<string, unknown>) {
    super('edit conflict')
  }
}

export const CONFLICT_MESSAGE =
  'Someone else changed this while you were editing it. Their version is shown below the form; your changes are still in the form. Check them and save again'

/** Postgres unique_violation, for a rule the database enforces (such as one name per council). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown }
  return e?.code === '23505' && (!constraint || e.constraint === constraint)
}
