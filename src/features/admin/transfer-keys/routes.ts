import type { z } from 'zod'
import type { JWK } from 'jose'
import { formSchema, text, type FieldErrors } from '../../../web/forms.ts'
import { formRoutes } from '../../../web/form-routes.ts'
import { invalid, page, redirect, type Outcome } from '../../../web/outcome.ts'
import { withErrors } from '../../../web/render.ts'
import type { RequestContext, Route } from '../../../web/router.ts'
import { auditAs } from '../../audit/audit-log.ts'
import { flash } from '../../episodes/routes/shared.ts'
import { publicKeyOf, trustCouncil } from '../../transfers/signing.ts'

/**
 * The keys transfer files are signed with: this council's public key, to give to councils on other
 * installations, and theirs, added here so that their files can be imported.
 */

const trustBody = formSchema({
  code: text('The council’s code', { max: 16, requiredMessage: 'Enter the council’s code, like E09000001' }),
  name: text('The council’s name', { max: 200, requiredMessage: 'Enter the council’s name' }),
  key: text('Their public key', { max: 5000, multiline: true, requiredMessage: 'Paste the council’s public key' }),
})
const FIELDS = ['code', 'name', 'key']

/** A public signing key as another installation gives it: an EC P-256 JSON Web Key, without its private part. */
function publicKey(textKey: string): JWK | null {
  try {
    const jwk = JSON.parse(textKey) as Record<string, unknown>
    if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || 'd' in jwk) return null
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, alg: 'ES256', use: 'sig', ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) }
  } catch {
    return null
  }
}

async function keysPage(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  const db = ctx.services.db
  const [ours, council, trusted] = await Promise.all([
    publicKeyOf(db, ctx.actor.laId),
    db.selectFrom('local_authorities').select(['code', 'name']).where('id', '=', ctx.actor.laId).executeTakeFirstOrThrow(),
    db.selectFrom('trusted_councils').select(['code', 'name', 'kid', 'added_at as addedAt']).where('la_id', '=', ctx.actor.laId).orderBy('name').execute(),
  ])
  const data = {
    title: 'Transfer keys',
    ours: JSON.stringify(ours, null, 2),
    council,
    trusted,
    values,
    action: ctx.path,
    flash: flash(ctx, { added: 'Key added. Transfer files signed with it can now be imported' }),
  }
  return page('admin/transfer-keys/views/keys.njk', withErrors(data, errors, FIELDS))
}

export const transferKeyRoutes: Route[] = formRoutes({
  url: '/admin/transfer-keys',
  permission: 'admin.organisation',
  body: trustBody,
  render: keysPage,
  submit: async (ctx, input: z.infer<typeof trustBody>) => {
    if (!/^[A-Za-z0-9]{2,16}$/.test(input.code)) return invalid({ code: 'The council’s code must be letters and numbers only, like E09000001' })
    const jwk = publicKey(input.key)
    if (!jwk)
      return invalid({
        key: 'Paste the council’s public key exactly as they gave it to you: a JSON Web Key with "kty": "EC" and "crv": "P-256", and no private part',
      })
    await trustCouncil(ctx.services.db, ctx.actor.laId, ctx.actor.userId, { code: input.code, name: input.name, jwk })
    await auditAs(ctx.services.db, ctx.actor, 'keys.trusted', null, { code: input.code })
    return redirect('/admin/transfer-keys?done=added')
  },
})
