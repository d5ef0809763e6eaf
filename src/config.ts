import path from 'node:path'
import { z } from 'zod'

/** Reads "true"/"false"/"1"/"0" from the environment. */
const flag = z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1')

const positiveInt = z.coerce.number().int().positive()

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: z.url({ message: 'must be a full URL such as https://caf.example.gov.uk' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  REPORTING_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.default(10),
  LOCKOUT_ATTEMPTS: positiveInt.default(5),
  LOCKOUT_MINUTES: positiveInt.default(15),
  SET_PASSWORD_LINK_HOURS: positiveInt.default(72),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('CAF Hub <no-reply@caf-hub.invalid>'),
  DEMO: flag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = ReturnType<typeof buildConfig>

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`CAF Hub cannot start because its configuration is wrong:\n  - ${problems.join('\n  - ')}`)
  }
}

/** Validates the environment once, at start-up. Safe defaults for the embedded demo; hard failures in production. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(stripEmpty(env))
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`))
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  const problems: string[] = []
  if (production && !e.SESSION_SECRET) problems.push('SESSION_SECRET is required in production (32 or more random characters)')
  if (production && !e.DATABASE_URL) problems.push('DATABASE_URL is required in production (the embedded database is for demos and development)')
  if (e.REPORTING_DATABASE_URL && !e.DATABASE_URL)
    problems.push('REPORTING_DATABASE_URL is a read replica of the DATABASE_URL server: set DATABASE_URL too (the embedded database has no replica)')
  if (problems.length) throw new ConfigError(problems)
  return buildConfig(e, production)
}

function buildConfig(e: z.infer<typeof EnvSchema>, production: boolean) {
  const dataDir = path.resolve(e.DATA_DIR)
  return {
    production,
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    reportingDatabaseUrl: e.REPORTING_DATABASE_URL,
    /** In development a fixed secret is fine: sessions are in the database and the demo data is fake. */
    sessionSecret: e.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    lockoutAttempts: e.LOCKOUT_ATTEMPTS,
    lockoutMinutes: e.LOCKOUT_MINUTES,
    setPasswordLinkHours: e.SET_PASSWORD_LINK_HOURS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    outboxDir: path.join(dataDir, 'outbox'),
    demo: e.DEMO ?? !production,
    logLevel: e.LOG_LEVEL,
  }
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''))
}
