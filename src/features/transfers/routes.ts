import { z } from 'zod'
import { choice, dateFields, formSchema, integer, optionalText, text, type FieldErrors } from '../../web/forms.ts'
import { formRoutes } from '../../web/form-routes.ts'
import { addDays, readDate, today } from '../../web/dates.ts'
import { invalid, page, redirect, type Invalid, type Outcome } from '../../web/outcome.ts'
import { withErrors } from '../../web/render.ts'
import type { RequestContext, Route } from '../../web/router.ts'
import { transferAllows } from '../../policies/transfer.ts'
import { GIVER_ROLES, METHODS } from '../episodes/consent.ts'
import { caseworkers } from '../episodes/repository.ts'
import { EPISODE_VIEWED, episodeHeader, flash, withEpisode } from '../episodes/routes/shared.ts'
import { stageAllows } from '../episodes/stages.ts'
import { ArrivalRefused } from './arrival.ts'
import { exportedFile, importFile } from './files.ts'
import { arrivalOf, transferLists, transferView } from './queries.ts'
import { TransferFileRefused } from './signing.ts'
import { decideTransfer, otherCouncils, requestTransfer, TransferRefused } from './transfers.ts'

/** A transfer asked for from an episode; its page, where the receiving hub decides; the hub's list and import; what arrived. */

const ELSEWHERE = 'elsewhere'
const requestBody = formSchema({
  to: text('Which council', { max: 12, requiredMessage: 'Select the council the family is moving to' }),
  toName: optionalText('The council’s name', { max: 200 }),
  toCode: optionalText('The council’s code', { max: 16 }),
  reason: text('Why', { max: 5000, multiline: true, requiredMessage: 'Enter why the family is moving and what the new council needs to know first' }),
  ...dateFields('moved', 'The date the family moves'),
  giverId: integer('Who gave consent', { min: 1, max: 1_000_000_000_000, requiredMessage: 'Select who gave consent to the transfer' }),
  giverRole: choice('Who they are', ['parent-with-pr', 'young-person'] as const, 'Select who gave consent: a parent or carer, or the young person'),
  method: choice('How they gave it', ['written', 'verbal'] as const, 'Select how consent was given'),
  ...dateFields('given', 'The date they gave consent'),
})
const REQUEST_FIELDS = ['form', 'to', 'toName', 'toCode', 'toLaId', 'reason', 'moved-day', 'giverId', 'giverRole', 'method', 'given-day']
const decisionBody = formSchema({
  decision: choice('Decision', ['accept', 'decline'] as const, 'Select whether the hub takes the family on'),
  lead: optionalText('Lead professional', { max: 12 }),
  declineReason: optionalText('Why not', { max: 2000, multiline: true }),
})
const importBody = formSchema({
  file: z.instanceof(Buffer, { error: 'Choose the transfer file to import' }).refine((b) => b.length > 0, 'Choose the transfer file to import'),
  lead: integer('Lead professional', { min: 1, max: 1_000_000_000, requiredMessage: 'Select a lead professional for the family' }),
})

function answered(error: unknown): Invalid {
  if (error instanceof TransferRefused || error instanceof ArrivalRefused) return invalid(error.errors)
  if (error instanceof TransferFileRefused) return invalid({ file: error.message })
  throw error
}

function requestForm(ctx: RequestContext, values: Record<string, unknown>, errors?: FieldErrors): Promise<Outcome> {
  return withEpisode(ctx, async (episode) => {
    if (!stageAllows(episode.status, 'transfer')) return redirect(`/episodes/${episode.id}`)
    const councils = await otherCouncils(ctx.services.db, ctx.actor.laId)
    const data = {
      title: 'Transfer to another council',
      ...episodeHeader(episode),
      councils,
      elsewhere: ELSEWHERE,
      giverRoles: GIVER_ROLES,
      methods: METHODS,
      values,
      action: ctx.path,
    }
    return page('transfers/views/request.njk', withErrors(data, errors, REQUEST_FIELDS))
  })
}

async function transferPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const transfer = await transferView(ctx.services.db, ctx.id)
  const access = ctx.transferAccess
  const mayDecide = transfer.status === 'waiting' && transferAllows(access, 'decide')
  const data = {
    title: `Transfer ${transfer.id}`,
    transfer,
    sending: access.basis === 'sending',
    mayDecide,
    leads: mayDecide ? await caseworkers(ctx.services.db, ctx.actor.laId) : [],
    values,
    action: `/transfers/${ctx.id}/decision`,
    flash: flash(ctx, {
      requested: 'Transfer asked for. The receiving council’s hub will accept or decline it; the episode stays open until then',
      exported: 'The episode is closed as transferred. Download the signed file and send it to the receiving council securely',
      accepted: 'The family is taken on. The lead professional you chose has been asked to accept',
      declined: 'Transfer declined. The sending council has been told',
    }),
  }
  const record = access.basis === 'sending' ? { type: 'episode', id: transfer.episode_id } : { type: 'transfer', id: ctx.id }
  return page('transfers/views/transfer.njk', withErrors(data, errors, ['form', 'decision', 'lead', 'declineReason']), {
    record,
    auditDetail: { transfer: ctx.id },
  })
}

async function listPage(ctx: RequestContext, values: Record<string, unknown> = {}, errors?: FieldErrors): Promise<Outcome> {
  const [lists, leads] = await Promise.all([transferLists(ctx.services.db, ctx.actor.laId), caseworkers(ctx.services.db, ctx.actor.laId)])
  return page(
    'transfers/views/list.njk',
    withErrors({ title: 'Transfers to and from other councils', ...lists, leads, values }, errors, ['form', 'file', 'lead']),
    {
      auditDetail: { shown: [...lists.incoming, ...lists.outgoing].map((t) => t.id) },
    },
  )
}

const VIEWED = { action: 'transfer.viewed', recordType: 'transfer' } as const

export const transferRoutes: Route[] = [
  ...formRoutes({
    url: '/episodes/:id/transfer',
    permission: 'episode.work',
    record: { episode: 'lead' },
    audit: EPISODE_VIEWED,
    body: requestBody,
    render: requestForm,
    submit: async (ctx, input) => {
      const moved = readDate(input, 'moved', 'The date the family moves', { notBefore: addDays(today(), -366), notAfter: addDays(today(), 366) })
      if ('error' in moved) return invalid({ 'moved-day': moved.error })
      const given = readDate(input, 'given', 'The date they gave consent', { notAfter: today(), notBefore: addDays(today(), -366) })
      if ('error' in given) return invalid({ 'given-day': given.error })
      const toLaId = input.to === ELSEWHERE ? null : /^\d{1,9}$/.test(input.to) ? Number(input.to) : -1
      try {
        const id = await requestTransfer(
          ctx.services.db,
          ctx.actor,
          ctx.id,
          { ...input, toLaId, toName: input.toName, toCode: input.toCode, movedOn: moved.iso!, givenOn: given.iso! },
          ctx.services.config.baseUrl,
        )
        return redirect(`/transfers/${id}?done=${toLaId === null ? 'exported' : 'requested'}`)
      } catch (error) {
        const refused = answered(error)
        return 'toLaId' in refused.errors ? invalid({ to: refused.errors.toLaId! }) : refused
      }
    },
  }),
  { method: 'GET', url: '/transfers/:id', permission: 'episode.view', record: { transfer: 'read' }, audit: VIEWED, handler: (ctx) => transferPage(ctx) },
  {
    method: 'POST',
    url: '/transfers/:id/decision',
    permission: 'episode.follow-up',
    record: { transfer: 'decide' },
    audit: VIEWED,
    body: decisionBody,
    invalid: (ctx, errors, values) => transferPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof decisionBody>) => {
      let decision
      if (input.decision === 'accept') {
        if (!input.lead || !/^\d{1,9}$/.test(input.lead)) return invalid({ lead: 'Select a lead professional for the family' })
        decision = { accept: true as const, leadUserId: Number(input.lead) }
      } else {
        if (!input.declineReason) return invalid({ declineReason: 'Enter why the hub does not take the family on' })
        decision = { accept: false as const, reason: input.declineReason }
      }
      try {
        await decideTransfer(ctx.services.db, ctx.actor, ctx.id, decision, ctx.services.config.baseUrl)
      } catch (error) {
        return answered(error)
      }
      return redirect(`/transfers/${ctx.id}?done=${decision.accept ? 'accepted' : 'declined'}`)
    },
  },
  {
    method: 'GET',
    url: '/transfers/:id/file',
    permission: 'episode.view',
    record: { transfer: 'read' },
    handler: async (ctx) => {
      const file = await exportedFile(ctx.services.db, ctx.actor, ctx.id)
      if (!file) return redirect(`/transfers/${ctx.id}`)
      return { type: 'download', filename: file.name, contentType: 'application/jose+json', body: file.text }
    },
  },
  {
    method: 'GET',
    url: '/transfers',
    permission: 'episode.follow-up',
    audit: { action: 'transfer.listed', recordType: 'transfer-list' },
    handler: (ctx) => listPage(ctx),
  },
  {
    method: 'POST',
    url: '/transfers/import',
    permission: 'episode.follow-up',
    body: importBody,
    invalid: (ctx, errors, values) => listPage(ctx, values, errors),
    handler: async (ctx, input: z.infer<typeof importBody>) => {
      try {
        const episodeId = await importFile(ctx.services.db, ctx.actor, input.file.toString('utf8'), input.lead)
        return redirect(`/episodes/${episodeId}?done=arrived`)
      } catch (error) {
        return answered(error)
      }
    },
  },
  {
    method: 'GET',
    url: '/episodes/:id/arrival',
    permission: 'episode.view',
    record: { episode: 'read' },
    audit: EPISODE_VIEWED,
    handler: (ctx) =>
      withEpisode(ctx, async (episode) => {
        const arrival = await arrivalOf(ctx.services.db, ctx.actor.laId, episode.id)
        if (!arrival) return redirect(`/episodes/${episode.id}`)
        return page('transfers/views/arrival.njk', { title: `Arrived from ${arrival.fromName}`, ...episodeHeader(episode), arrival })
      }),
  },
]
