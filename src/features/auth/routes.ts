import { formSchema, email, optionalText, type FieldErrors } from '../../web/forms.ts'
import { invalid, page, redirect, NotFound } from '../../web/outcome.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { withErrors } from '../../web/render.ts'
import { rolesAllow } from '../../web/permissions.ts'
import { clearSessionCookie, setSessionCookie } from '../../web/session.ts'
import { auditAs } from '../audit/audit-log.ts'
import { changePassword, setPasswordWithToken } from './account.ts'
import { checkSetPasswordToken, newPasswordFields, passwordsDiffer } from './passwords.ts'
import { endSession } from './session-store.ts'
import { signIn } from './sign-in.ts'
import { z } from 'zod'

/** Only a path on this site: never another host (an open redirect). */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length < 500 ? value : '/'
}

const signInBody = formSchema({
  email: email('Email address'),
  password: z.preprocess(
    (v) => (v === undefined ? '' : v),
    z
      .string({ error: 'Enter your password' })
      .max(256, 'Enter your password')
      .refine((v) => v !== '', 'Enter your password'),
  ),
  returnTo: optionalText('Return address', { max: 500 }),
})

async function signInPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors) {
  const demoAccounts = ctx.services.config.demo ? await ctx.services.db.selectFrom('demo_accounts').selectAll().orderBy('role').execute() : []
  const lockout = { attempts: ctx.services.config.lockoutAttempts, minutes: ctx.services.config.lockoutMinutes }
  return page('auth/views/sign-in.njk', withErrors({ title: 'Sign in to CAF Hub', values, demoAccounts, lockout }, errors, ['email', 'password']))
}

const passwordBody = formSchema({
  currentPassword: z.preprocess(
    (v) => (v === undefined ? '' : v),
    z
      .string({ error: 'Enter your current password' })
      .max(256)
      .refine((v) => v !== '', 'Enter your current password'),
  ),
  ...newPasswordFields(),
})
const setPasswordBody = formSchema(newPasswordFields())

export const authRoutes: Route[] = [
  {
    method: 'GET',
    url: '/sign-in',
    permission: 'public',
    handler: async (ctx) => (ctx.maybeActor ? redirect('/') : signInPage(ctx, { returnTo: safeReturnTo(ctx.query.returnTo) })),
  },
  {
    method: 'POST',
    url: '/sign-in',
    permission: 'public',
    body: signInBody,
    secretFields: ['password'],
    invalid: (ctx, errors, values) => signInPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof signInBody>) => {
      const { lockoutAttempts, lockoutMinutes } = ctx.services.config
      const result = await signIn(
        ctx.services.db,
        { email: input.email, password: input.password, ip: ctx.req.ip },
        { attempts: lockoutAttempts, minutes: lockoutMinutes },
      )
      if (result.type === 'wrong') return invalid({ email: 'Enter a correct email address and password' })
      setSessionCookie(ctx.reply, ctx.services, result.token)
      return redirect(safeReturnTo(input.returnTo))
    },
  },
  {
    method: 'POST',
    url: '/sign-out',
    permission: 'signed-in',
    body: formSchema({}),
    handler: async (ctx) => {
      await endSession(ctx.services.db, ctx.actor.sessionId, 'signed-out')
      await auditAs(ctx.services.db, ctx.actor, 'sign-out')
      clearSessionCookie(ctx.reply, ctx.services)
      return redirect('/signed-out')
    },
  },
  { method: 'GET', url: '/signed-out', permission: 'public', handler: async () => page('auth/views/signed-out.njk', { title: 'You have signed out' }) },
  {
    method: 'GET',
    url: '/account',
    permission: 'signed-in',
    handler: async (ctx) =>
      page('auth/views/account.njk', {
        title: 'Your account',
        flash: ctx.query.changed === '1' ? 'Your password has been changed' : null,
        hasReminders: rolesAllow(ctx.actor.roles, 'queues.view'),
      }),
  },
  {
    method: 'GET',
    url: '/account/password',
    permission: 'signed-in',
    handler: async () => page('auth/views/change-password.njk', { title: 'Change your password', values: {} }),
  },
  {
    method: 'POST',
    url: '/account/password',
    permission: 'signed-in',
    body: passwordBody,
    secretFields: ['currentPassword', 'newPassword', 'confirmPassword'],
    invalid: async (_ctx, errors, values) =>
      page(
        'auth/views/change-password.njk',
        withErrors({ title: 'Change your password', values }, errors, ['currentPassword', 'newPassword', 'confirmPassword']),
      ),
    handler: async (ctx, input: z.infer<typeof passwordBody>) => {
      const mismatch = passwordsDiffer(input)
      if (mismatch) return invalid(mismatch)
      const result = await changePassword(ctx.services.db, ctx.actor, input)
      if (!result.ok) return invalid({ [result.field]: result.message })
      return redirect('/account?changed=1')
    },
  },
  {
    method: 'GET',
    url: '/set-password/:token',
    permission: 'public',
    handler: async (ctx) => {
      const check = await checkSetPasswordToken(ctx.services.db, ctx.params.token ?? '')
      if (!check.ok) return page('auth/views/link-expired.njk', { title: 'This link has expired or has already been used' }, { status: 404 })
      return page('auth/views/set-password.njk', { title: 'Set your password', values: {}, token: ctx.params.token })
    },
  },
  {
    method: 'POST',
    url: '/set-password/:token',
    permission: 'public',
    body: setPasswordBody,
    secretFields: ['newPassword', 'confirmPassword'],
    invalid: async (ctx, errors, values) =>
      page(
        'auth/views/set-password.njk',
        withErrors({ title: 'Set your password', values, token: ctx.params.token }, errors, ['newPassword', 'confirmPassword']),
      ),
    handler: async (ctx, input: z.infer<typeof setPasswordBody>) => {
      const mismatch = passwordsDiffer(input)
      if (mismatch) return invalid(mismatch)
      const done = await setPasswordWithToken(ctx.services.db, ctx.params.token ?? '', input.newPassword, ctx.req.ip)
      if (!done) throw new NotFound()
      return page('auth/views/password-set.njk', { title: 'Your password has been set' })
    },
  },
]
