import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Actor } from '../../web/actor.ts'
import { Forbidden } from '../../web/outcome.ts'
import { isHub } from '../../policies/hub.ts'
import { requireTransfer } from '../../policies/transfer.ts'
import { audit, auditAs } from '../audit/audit-log.ts'
import { isUniqueViolation } from '../../db/conflict.ts'
import { arriveFromDocument } from './arrival.ts'
import type { TransferDocument } from './document.ts'
import { signDocument, TransferFileRefused, verifyDocument } from './signing.ts'
import { TransferRefused } from './transfers.ts'

/**
 * Transfers between installations: the sending side downloads the package it exported as a signed
 * file; the receiving hub imports a file, which is refused with a clear message unless it is signed
 * by a council whose key it added, unchanged since, and of the published shape.
 */

/** The signed file of a transfer exported to another installation; null for a transfer within this one, which has none. */
export async function exportedFile(db: Kysely<DB>, actor: Actor, id: number): Promise<{ name: string; text: string } | null> {
  await requireTransfer(db, actor, id, 'read')
  const t = await db.selectFrom('transfers').select(['status', 'package', 'episode_id']).where('id', '=', id).executeTakeFirstOrThrow()
  if (t.status !== 'exported') return null
  const text = await signDocument(db, actor.laId, t.package as unknown as TransferDocument)
  await auditAs(db, actor, 'transfer.exported', { type: 'episode', id: t.episode_id }, { transfer: id })
  return { name: `caf-transfer-${id}.jws.json`, text }
}

/** The receiving hub imports a file and allocates a lead professional; returns the new episode. */
export async function importFile(db: Kysely<DB>, hub: Actor, text: string, leadUserId: number): Promise<number> {
  if (!isHub(hub)) throw new Forbidden()
  let checked
  try {
    checked = await verifyDocument(db, hub.laId, text)
  } catch (error) {
    if (error instanceof TransferFileRefused)
      await audit(db, { laId: hub.laId, actorUserId: hub.userId, action: 'transfer.import-refused', detail: { bytes: text.length } })
    throw error
  }
  const { document, from } = checked
  const already = await db
    .selectFrom('transfer_imports')
    .select('new_episode_id')
    .where('la_id', '=', hub.laId)
    .where('from_code', '=', from.code)
    .where('package_id', '=', document.id)
    .executeTakeFirst()
  if (already) throw new TransferRefused({ file: `This package has already been imported (episode ${already.new_episode_id})` })
  const episodeId = await arriveFromDocument(db, hub, document, leadUserId)
  try {
    await db.transaction().execute(async (tx) => {
      const { id } = await tx
        .insertInto('transfer_imports')
        .values({
          la_id: hub.laId,
          from_code: from.code,
          from_name: from.name,
          package_id: document.id,
          document: JSON.stringify(document),
          imported_by: hub.userId,
          new_episode_id: episodeId,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await auditAs(tx, hub, 'transfer.imported', { type: 'episode', id: episodeId }, { import: id, from: from.code })
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw new TransferRefused({ file: 'This package has just been imported by someone else' })
    throw error
  }
  return episodeId
}
