import path from 'node:path'

/**
 * Where the test run's template database is. Kept apart from template.ts, which prepares it when run:
 * importing that file would prepare it again in every test file.
 */
export const TEMPLATE_DUMP = path.resolve('.test-data', 'pglite-template.tar.gz')
export const PG_TEMPLATE = 'caf_test_template'

export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
