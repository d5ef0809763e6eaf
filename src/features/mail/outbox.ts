import type { Kysely } from 'kysely'
import type { DB, MailAttachment } from '../../db/schema.ts'

export interface OutgoingMail {
  laId: number | null
  to: string
  subject: string
  text: string
  attachments?: MailAttachment[]
}

/**
 * Writes a message to the outbox. Call it with the same transaction as the change that causes the
 * message, so that either both happen or neither does; the worker sends it afterwards.
 */
export async function queueMail(db: Kysely<DB>, mail: OutgoingMail): Promise<number> {
  const row = await db
    .insertInto('mail_outbox')
    .values({
      la_id: mail.laId,
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      attachments: JSON.stringify(mail.attachments ?? []),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}
