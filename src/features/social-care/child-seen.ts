import type { RequestContext } from '../../web/router.ts'
import { today } from '../../web/dates.ts'
import { personAccess } from '../../policies/person.ts'
import { displayName, isChild } from '../people/repository.ts'
import { personToStart } from '../people/use-cases.ts'

/**
 * The child in the address of a social care form, as the actor may see them: their name and date of
 * birth when the actor has a right to the record; null when they have none (found in a search), so
 * that the form names no one and walking ids tells them nothing.
 */
export async function childSeenBy(ctx: RequestContext) {
  const access = await personAccess(ctx.services.db, ctx.actor, ctx.id)
  if (!access?.view) return null
  const { person } = await personToStart(ctx.services.db, ctx.actor, ctx.id)
  return {
    child: { id: ctx.id, name: displayName(person.row), dateOfBirth: person.row.date_of_birth },
    isChild: isChild(person.row, today()),
    fullView: access.view === 'full',
  }
}
