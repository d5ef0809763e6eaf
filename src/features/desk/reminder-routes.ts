import type { Kysely } from 'kysely'
import type { DB, ReminderFrequency } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { choice, formSchema } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { page, redirect } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { Route } from '../../web/router.ts'
import { auditAs } from '../audit/audit-log.ts'
import { REMINDER_FREQUENCIES, WEEKDAYS } from './reminders.ts'

/** How often the user wants their reminder email: their own choice, audited. */
async function setReminders(db: Kysely<DB>, actor: Actor, frequency: ReminderFrequency): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ reminders: frequency }).where('id', '=', actor.userId).where('la_id', '=', actor.laId).execute()
    await auditAs(tx, actor, 'account.reminders-changed', { type: 'user', id: actor.userId }, { frequency })
  })
}

async function current(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('users as u')
    .innerJoin('caf_settings as s', 's.la_id', 'u.la_id')
    .select(['u.reminders', 's.reminder_weekday'])
    .where('u.id', '=', actor.userId)
    .executeTakeFirstOrThrow()
}

const body = formSchema({ reminders: choice('How often', REMINDER_FREQUENCIES, 'Select how often you want the email') })

export const reminderRoutes: Route[] = formRoutes({
  url: '/account/reminders',
  permission: 'queues.view',
  body,
  initial: async (ctx) => ({ reminders: (await current(ctx.services.db, ctx.actor)).reminders }),
  render: async (ctx, values, errors) => {
    const { reminder_weekday } = await current(ctx.services.db, ctx.actor)
    const items = [
      { value: 'weekly', text: `Once a week, on ${WEEKDAYS[reminder_weekday - 1]}s`, hint: { text: 'The day your council chose' } },
      { value: 'daily', text: 'Every working day, Monday to Friday' },
      { value: 'none', text: 'No reminder emails', hint: { text: 'You can still see your work queues in CAF Hub' } },
    ].map((i) => ({ ...i, checked: values.reminders === i.value }))
    return page(
      'desk/views/reminders.njk',
      withErrors({ title: 'Reminder emails', items, flash: ctx.query.saved ? 'Your choice has been saved' : null }, errors, ['reminders']),
    )
  },
  submit: async (ctx, input) => {
    await setReminders(ctx.services.db, ctx.actor, input.reminders)
    return redirect('/account/reminders?saved=1')
  },
})
