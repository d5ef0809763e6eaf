import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Fastify, { type FastifyInstance } from 'fastify'
import { createApp } from '../../src/app.ts'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { formSchema } from '../../src/web/forms.ts'
import { json } from '../../src/web/outcome.ts'
import type { Permission } from '../../src/web/permissions.ts'
import { registerRoutes, type Route } from '../../src/web/router.ts'
import { testApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
const opened: FastifyInstance[] = []
before(async () => {
  t = await testApp()
})
after(async () => {
  for (const app of opened) await app.close()
  await t.close()
})

function bare(): FastifyInstance {
  const app = Fastify({ logger: false })
  opened.push(app)
  return app
}

const ok = async () => json({ ok: true })

describe('registerRoutes refuses a route that does not say who may use it', () => {
  test('a route with no permission', () => {
    const route = { method: 'GET', url: '/no-permission', handler: ok } as unknown as Route
    assert.throws(() => registerRoutes(bare(), t.services, [route]), /GET \/no-permission declares no known permission/)
  })

  test('a route with a permission that does not exist', () => {
    const route: Route = { method: 'GET', url: '/made-up', permission: 'everyone' as Permission, handler: ok }
    assert.throws(() => registerRoutes(bare(), t.services, [route]), /GET \/made-up declares no known permission \("everyone"\)/)
  })

  test('a POST route without a body schema', () => {
    const route = { method: 'POST', url: '/no-schema', permission: 'signed-in', handler: ok } as unknown as Route
    assert.throws(() => registerRoutes(bare(), t.services, [route]), /POST \/no-schema has no body schema/)
  })

  test('a bad route anywhere in the list stops registration', () => {
    const app = bare()
    const routes = [
      { method: 'GET', url: '/fine', permission: 'public', handler: ok },
      { method: 'GET', url: '/bad', permission: 'admin', handler: ok },
    ] as Route[]
    assert.throws(() => registerRoutes(app, t.services, routes), /\/bad/)
  })

  test('a well-declared route registers and answers', async () => {
    const app = bare()
    registerRoutes(app, t.services, [
      { method: 'GET', url: '/fine', permission: 'public', handler: ok },
      { method: 'POST', url: '/fine', permission: 'public', body: formSchema({}), handler: ok },
    ])
    const res = await app.inject({ method: 'GET', url: '/fine' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { ok: true })
  })
})

describe('createApp refuses a route registered around the router', () => {
  test('app.get without a permission throws at once', async () => {
    const app = await createApp(t.services, { logger: false })
    opened.push(app)
    assert.throws(() => app.get('/sneaky', async () => 'no checks here'), /Route GET \/sneaky was registered without a declared permission/)
    assert.throws(() => app.post('/sneaky-post', async () => 'no checks here'), /POST \/sneaky-post was registered without a declared permission/)
  })

  test('a plugin that adds such a route makes start-up fail', async () => {
    const app = await createApp(t.services, { logger: false })
    opened.push(app)
    app.register(async (instance) => {
      instance.get('/plugin-route', async () => 'no checks here')
    })
    await assert.rejects(async () => app.ready(), /GET \/plugin-route was registered without a declared permission/)
  })

  test('the real app starts, and a route that declares a permission is allowed', async () => {
    const app = await createApp(t.services, { logger: false })
    opened.push(app)
    app.get('/declared', { config: { permission: 'public' } }, async () => 'declared')
    await app.ready()
    assert.equal((await app.inject({ method: 'GET', url: '/declared' })).body, 'declared')
  })
})

describe('loadConfig', () => {
  test('in production, refuses to start without SESSION_SECRET and DATABASE_URL, naming both', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', SESSION_SECRET: '', DATABASE_URL: '' }]) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError)
          assert.equal(error.problems.length, 2)
          assert.match(error.problems.join('\n'), /SESSION_SECRET is required in production/)
          assert.match(error.problems.join('\n'), /DATABASE_URL is required in production/)
          assert.match(error.message, /cannot start because its configuration is wrong[\s\S]*SESSION_SECRET[\s\S]*DATABASE_URL/)
          return true
        },
      )
    }
  })

  test('in production, names only what is missing', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32) }),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && /DATABASE_URL/.test(error.problems[0]!),
    )
  })

  test('in production, starts with both set', () => {
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(32), DATABASE_URL: 'postgres://caf@db.internal/caf' })
    assert.equal(config.production, true)
    assert.equal(config.sessionSecret, 's'.repeat(32))
    assert.equal(config.demo, false, 'the demo is off in production unless asked for')
  })

  test('rejects a bad PORT, saying which setting is wrong', () => {
    for (const port of ['abc', '70000', '-1', '3000.5']) {
      assert.throws(
        () => loadConfig({ PORT: port }),
        (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('PORT ')),
        `PORT=${port}`,
      )
    }
    assert.equal(loadConfig({ PORT: '8080' }).port, 8080)
  })

  test('rejects other bad values with the setting named', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SESSION_SECRET: 'too-short' }, /^SESSION_SECRET must be at least 32 characters/],
      [{ DATABASE_URL: 'mysql://db/caf' }, /^DATABASE_URL must start with postgres/],
      [{ SMTP_URL: 'http://mail' }, /^SMTP_URL must start with smtp/],
      [{ DEMO: 'perhaps' }, /^DEMO must be true or false/],
    ]
    for (const [env, problem] of cases) {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && error.problems.some((p) => problem.test(p)),
        JSON.stringify(env),
      )
    }
  })
})

describe('/health', () => {
  test('reports the service and its database as ok', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /application\/json/)
    const body = res.json() as Record<string, unknown>
    assert.equal(body.status, 'ok')
    assert.equal(body.database, 'ok')
    assert.equal(body.engine, t.database.kind)
  })
})
