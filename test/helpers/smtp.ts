import net from 'node:net'
import { SMTPServer } from 'smtp-server'

export interface Received {
  from: string
  to: string[]
  raw: string
}

/** A port nothing listens on: taken from the system, then let go. */
export async function freePort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve, reject) => probe.close((err) => (err ? reject(err) : resolve())))
  return port
}

/** A real SMTP server on loopback that keeps every message it is given. */
export async function startSmtpServer(port: number) {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return { received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The decoded body of the first MIME part of a message with this content type (e.g. text/calendar). */
export function mimePart(raw: string, contentType: string): string | null {
  const boundaries = [...raw.matchAll(/boundary="?([^"\r\n;]+)"?/gi)].map((m) => m[1]!)
  for (const boundary of boundaries) {
    for (const part of raw.split(`--${boundary}`)) {
      const split = part.indexOf('\r\n\r\n')
      if (split === -1) continue
      const headers = part.slice(0, split)
      if (!new RegExp(`content-type:\\s*${contentType.replace('/', '\\/')}`, 'i').test(headers)) continue
      const body = part.slice(split + 4).trim()
      if (/content-transfer-encoding:\s*base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
        return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      }
      return body
    }
  }
  return null
}

export interface IcsLine {
  name: string
  params: Record<string, string>
  value: string
}

/** Reads an iCalendar text back into its lines (unfolded), as a calendar program would. */
export function parseIcs(text: string): IcsLine[] {
  const unfolded = text.replace(/\r?\n[ \t]/g, '')
  return unfolded
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/)
      const [name, ...params] = line.slice(0, colon).split(';')
      return {
        name: name!.toUpperCase(),
        params: Object.fromEntries(params.map((p) => p.split('=')).map(([k, v]) => [k!.toUpperCase(), (v ?? '').replace(/^"|"$/g, '')])),
        value: line.slice(colon + 1),
      }
    })
}

/** Headers (unfolded) and the decoded text body of a single-part message. */
export function parseMessage(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/)
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ')
  const headers: Record<string, string> = {}
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = raw.slice(split).replace(/^\r?\n\r?\n/, '')
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase()
  if (encoding === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8')
  } else if (encoding === 'base64') {
    body = Buffer.from(body, 'base64').toString('utf8')
  }
  return { headers, body: body.replace(/\r\n/g, '\n') }
}
