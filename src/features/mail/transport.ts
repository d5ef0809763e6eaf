import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer from 'nodemailer'
import type { MailAttachment } from '../../db/schema.ts'

export interface MailMessage {
  id: number
  from: string
  to: string
  subject: string
  text: string
  attachments: MailAttachment[]
}

/** Delivers one message; resolves to a short description of where it went, rejects if it did not. */
export interface MailTransport {
  deliver(message: MailMessage): Promise<string>
  close(): void
}

function toNodemailer(message: MailMessage) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    messageId: `<outbox-${message.id}@caf-hub>`,
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content, 'base64'),
    })),
  }
}

export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url)
  return {
    async deliver(message) {
      const info = await transporter.sendMail(toNodemailer(message))
      return `smtp:${info.response.slice(0, 200)}`
    },
    close: () => transporter.close(),
  }
}

/** With no mail server configured, each message becomes an .eml file that any mail program opens. */
export function fileTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    async deliver(message) {
      const info = await transporter.sendMail(toNodemailer(message))
      await fs.mkdir(dir, { recursive: true })
      const file = path.join(dir, `${String(message.id).padStart(6, '0')}.eml`)
      await fs.writeFile(file, info.message as Buffer)
      return `file:${path.basename(file)}`
    },
    close: () => transporter.close(),
  }
}
