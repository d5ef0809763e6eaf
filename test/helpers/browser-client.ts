import type { FastifyInstance } from 'fastify'

/**
 * A minimal browser over app.inject: keeps cookies, reads the CSRF token from the last page, posts
 * forms the way a browser does (application/x-www-form-urlencoded). For route tests.
 */
export class Client {
  private cookies = new Map<string, string>()
  last = ''

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep(setCookie: string | string[] | undefined) {
    for (const c of [setCookie ?? []].flat()) {
      const [pair] = c.split(';')
      const [name, ...rest] = pair!.split('=')
      const value = rest.join('=')
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!.trim())
      else this.cookies.set(name!.trim(), value)
    }
  }

  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } })
    this.keep(res.headers['set-cookie'])
    this.last = res.body
    return res
  }

  csrf(html = this.last): string {
    const m = html.match(/name="_csrf" value="([^"]+)"/)
    if (!m) throw new Error('no CSRF token on the last page')
    return m[1]!
  }

  /** Posts a form. The CSRF token from the last page is added unless the caller gives one (or null). */
  async post(url: string, form: Record<string, string | string[]>, opts: { csrf?: string | null } = {}) {
    const body = new URLSearchParams()
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf
    if (token !== null) body.append('_csrf', token)
    for (const [k, v] of Object.entries(form)) for (const item of [v].flat()) body.append(k, item)
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    })
    this.keep(res.headers['set-cookie'])
    this.last = res.body
    return res
  }

  /** Posts a form with a file, as a browser does (multipart/form-data), with the CSRF token from the last page. */
  async postFile(url: string, fields: Record<string, string>, file: { name: string; field: string; content: string | Buffer; type?: string } | null) {
    const boundary = `----caf${Date.now().toString(16)}`
    const parts: Buffer[] = []
    const add = (headers: string, content: string | Buffer) =>
      parts.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n'))
    for (const [k, v] of Object.entries({ _csrf: this.csrf(), ...fields })) add(`Content-Disposition: form-data; name="${k}"`, v)
    if (file)
      add(
        `Content-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}`,
        file.content,
      )
    parts.push(Buffer.from(`--${boundary}--\r\n`))
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    })
    this.keep(res.headers['set-cookie'])
    this.last = res.body
    return res
  }

  async signIn(email: string, password: string) {
    await this.get('/sign-in')
    const res = await this.post('/sign-in', { email, password, returnTo: '/' })
    if (res.statusCode !== 303) throw new Error(`sign-in failed with ${res.statusCode}`)
    return res
  }
}

/** The page's visible text, roughly: tags stripped, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}
