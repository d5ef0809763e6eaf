#!/usr/bin/env node
// Runs CAF Hub's test suites. `npm test` runs every suite that can run on this machine and says
// plainly which were skipped and why. CI sets REQUIRE_POSTGRES=1 and REQUIRE_BROWSER=1, which turn
// a skip into a failure.
//
//   npm test                 all suites
//   npm run test:unit        use-case and route tests on embedded PGlite
//   npm run test:postgres    the same database suite on PostgreSQL (needs TEST_DATABASE_URL)
//   npm run test:browser     Chromium journeys with axe (needs Chromium; CHROMIUM_PATH or /usr/bin/chromium)
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const only = process.argv[2] ?? 'all'
const want = (suite) => only === 'all' || only === suite

function files(dir, test) {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => test(f))
    .sort()
}

const databaseFiles = [...files('src', (f) => f.endsWith('.test.ts')), ...files('test/integration', (f) => f.endsWith('.test.ts'))]
const browserFiles = files('test/browser', (f) => f.endsWith('.test.ts'))
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const results = []
let passed = 0
let failed = 0

function run(name, testFiles, env) {
  process.stdout.write(`\n=== ${name}: ${testFiles.length} test files ===\n`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', '--test-reporter=spec', ...testFiles], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  })
  process.stdout.write(r.stdout ?? '')
  const p = Number(/^ℹ pass (\d+)/m.exec(r.stdout ?? '')?.[1] ?? 0)
  const f = Number(/^ℹ fail (\d+)/m.exec(r.stdout ?? '')?.[1] ?? 0)
  passed += p
  failed += f
  const ok = r.status === 0 && p > 0
  results.push(`${name}: ${ok ? 'passed' : 'FAILED'} (${p} passed, ${f} failed)`)
  if (!ok && f === 0) failed++ // a runner that crashed or ran nothing counts as a failure
}

function prepare(engine, env = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/template.ts', engine], { env: { ...process.env, ...env }, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`could not prepare the ${engine} template database`)
}

function skip(name, why, required) {
  if (required) {
    results.push(`${name}: FAILED: required but cannot run: ${why}`)
    failed++
  } else {
    results.push(`${name}: SKIPPED: ${why}`)
  }
}

if (want('unit')) {
  prepare('pglite')
  run('database suite on PGlite (embedded)', databaseFiles, { TEST_ENGINE: 'pglite' })
}
if (want('postgres') || only === 'all') {
  if (process.env.TEST_DATABASE_URL) {
    prepare('postgres')
    run('database suite on PostgreSQL', databaseFiles, { TEST_ENGINE: 'postgres' })
  } else {
    skip(
      'database suite on PostgreSQL',
      'TEST_DATABASE_URL is not set (set it to a PostgreSQL server the tests may create databases on)',
      process.env.REQUIRE_POSTGRES === '1',
    )
  }
}
if (want('browser')) {
  if (fs.existsSync(chromium)) {
    if (!want('unit')) prepare('pglite')
    run('browser suite in Chromium with axe', browserFiles, { TEST_ENGINE: 'pglite', CHROMIUM_PATH: chromium })
  } else {
    skip(
      'browser suite in Chromium with axe',
      `no Chromium at ${chromium} (install Debian's chromium package, or set CHROMIUM_PATH)`,
      process.env.REQUIRE_BROWSER === '1',
    )
  }
}

process.stdout.write(`\n=== Summary ===\n${results.map((r) => `  ${r}`).join('\n')}\n\n${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 ? 1 : 0)
