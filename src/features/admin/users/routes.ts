import { checkboxes, email, formSchema, integer, optionalText, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { idParam } from '../../../web/params.ts'
import { ROLE_LABELS, ROLES } from '../../../web/permissions.ts'
import { withErrors } from '../../../web/render.ts'
import type { PostRoute, RequestContext, Route } from '../../../web/router.ts'
import { EditConflict } from '../../../db/conflict.ts'
import { CONFLICT_MESSAGE } from '../../../web/forms.ts'
import * as users from './use-cases.ts'

const FIELDS = ['fullName', 'email', 'jobTitle', 'phone', 'agencyId', 'roles', 'managesLocalityId'] as const
const fields = {
  fullName: text('Full name', { max: 150 }),
  email: email('Email address'),
  jobTitle: optionalText('Job title', { max: 150 }),
  phone: optionalText('Phone number', { max: 30 }).refine((v) => v === null || /^[0-9 +()-]{6,30}$/.test(v), 'Enter a phone number, like 01632 960 001'),
  agencyId: integer('Agency', { min: 1, max: 999_999_999, requiredMessage: 'Select the agency the user works for' }),
  roles: checkboxes('Roles', ROLES, { min: 1, message: 'Select at least one role' }),
  managesLocalityId: optionalText('Locality they manage', { max: 10 })
    .refine((v) => v === null || /^\d{1,9}$/.test(v), 'Select a locality from the list, or None')
    .transform((v) => (v === null ? null : Number(v))),
}
const newBody = formSchema(fields)
const editBody = formSchema({ ...fields, version: integer('Version', { min: 1, max: 1_000_000_000 }) })

const roleItems = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] }))

function linkOptions(ctx: RequestContext): users.LinkOptions {
  return { baseUrl: ctx.services.config.baseUrl, hours: ctx.services.config.setPasswordLinkHours }
}

async function render(
  ctx: RequestContext,
  values: Record<string, unknown>,
  errors?: FieldErrors,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<Outcome> {
  const [agencies, localities] = await Promise.all([
    ctx.services.db.selectFrom('agencies').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).where('active', '=', true).orderBy('name').execute(),
    ctx.services.db.selectFrom('localities').select(['id', 'name']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
  ])
  const roles = Array.isArray(values.roles) ? values.roles : typeof values.roles === 'string' ? [values.roles] : []
  return page(
    'admin/users/views/form.njk',
    withErrors(
      {
        title: ctx.params.id ? 'Change user' : 'Add a user',
        values,
        agencies,
        localities,
        roleItems: roleItems.map((i) => ({ ...i, checked: roles.includes(i.value) })),
        action: ctx.path,
        ...extra,
      },
      errors,
      FIELDS,
    ),
    { status },
  )
}

/** Maps what the user use cases refuse to the field the user must change. */
function refused(error: unknown) {
  if (error instanceof users.EmailInUse) return invalid({ email: 'There is already an account with this email address' })
  if (error instanceof users.UnknownAgency) return invalid({ agencyId: 'Select an active agency from the list' })
  if (error instanceof users.UnknownLocality) return invalid({ managesLocalityId: 'Select a locality from the list, or None' })
  if (error instanceof users.LocalityNeedsManager)
    return invalid({ managesLocalityId: 'Only a manager can manage a locality: select Manager as a role, or None' })
  if (error instanceof users.CannotChangeOwnRoles) return invalid({ roles: 'You cannot change your own roles. Ask another administrator' })
  throw error
}

/** A button on the user's page that does one thing (disable, unlock...). */
function action(url: string, run: (ctx: RequestContext, id: number) => Promise<void>, message: string): PostRoute {
  return {
    method: 'POST',
    url: `/admin/users/:id/${url}`,
    permission: 'admin.users',
    body: formSchema({}),
    handler: async (ctx) => {
      const id = idParam(ctx.params.id)
      try {
        await run(ctx, id)
      } catch (error) {
        if (error instanceof users.CannotChangeSelf)
          return page('admin/users/views/cannot-change-self.njk', { title: 'You cannot do this to your own account' }, { status: 400 })
        throw error
      }
      return redirect(`/admin/users/${id}?done=${encodeURIComponent(message)}`)
    },
  }
}

const DONE_MESSAGES = new Set(['disabled', 'enabled', 'unlocked', 'link-sent', 'saved', 'created'])
const DONE_TEXT: Record<string, string> = {
  disabled: 'The account has been disabled and its sessions ended',
  enabled: 'The account has been enabled',
  unlocked: 'The account has been unlocked',
  'link-sent': 'A new link to set a password has been sent',
  saved: 'The account has been saved',
  created: 'The account has been created and a link to set a password has been sent',
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    url: '/admin/users',
    permission: 'admin.users',
    audit: { action: 'user.list-viewed', recordType: 'user-list' },
    handler: async (ctx) =>
      page('admin/users/views/list.njk', { title: 'Users', users: await users.listUsers(ctx.services.db, ctx.actor), roleLabels: ROLE_LABELS }),
  },
  ...formRoutes({
    url: '/admin/users/new',
    permission: 'admin.users',
    body: newBody,
    render: (ctx, values, errors) => render(ctx, values, errors),
    submit: async (ctx, input) => {
      try {
        const id = await users.createUser(ctx.services.db, ctx.actor, input, linkOptions(ctx))
        ctx.services.mailer?.kick()
        return redirect(`/admin/users/${id}?done=created`)
      } catch (error) {
        return refused(error)
      }
    },
  }),
  {
    method: 'GET',
    url: '/admin/users/:id',
    permission: 'admin.users',
    audit: { action: 'user.viewed', recordType: 'user' },
    handler: async (ctx) => {
      const user = await users.getUser(ctx.services.db, ctx.actor, idParam(ctx.params.id))
      const done = typeof ctx.query.done === 'string' && DONE_MESSAGES.has(ctx.query.done) ? DONE_TEXT[ctx.query.done] : null
      return page(
        'admin/users/views/show.njk',
        { title: user.fullName, user, roleLabels: ROLE_LABELS, flash: done, isSelf: user.id === ctx.actor.userId },
        { record: { type: 'user', id: user.id } },
      )
    },
  },
  ...formRoutes({
    url: '/admin/users/:id/edit',
    permission: 'admin.users',
    audit: { action: 'user.viewed', recordType: 'user' },
    body: editBody,
    render: (ctx, values, errors) => render(ctx, values, errors),
    initial: async (ctx) => users.getUser(ctx.services.db, ctx.actor, idParam(ctx.params.id)),
    submit: async (ctx, input) => {
      const id = idParam(ctx.params.id)
      try {
        await users.updateUser(ctx.services.db, ctx.actor, id, input, ctx.services.config.baseUrl)
        return redirect(`/admin/users/${id}?done=saved`)
      } catch (error) {
        if (!(error instanceof EditConflict)) return refused(error)
        const theirs = await users.getUser(ctx.services.db, ctx.actor, id)
        return render(ctx, { ...input, version: theirs.version }, { form: CONFLICT_MESSAGE }, { theirs }, 409)
      }
    },
  }),
  action('disable', (ctx, id) => users.disableUser(ctx.services.db, ctx.actor, id), 'disabled'),
  action('enable', (ctx, id) => users.enableUser(ctx.services.db, ctx.actor, id), 'enabled'),
  action('unlock', (ctx, id) => users.unlockUser(ctx.services.db, ctx.actor, id), 'unlocked'),
  action(
    'send-link',
    async (ctx, id) => {
      await users.sendPasswordLink(ctx.services.db, ctx.actor, id, linkOptions(ctx))
      ctx.services.mailer?.kick()
    },
    'link-sent',
  ),
]
