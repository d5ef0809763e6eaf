import { readFileSync } from 'node:fs'
import { sql, type Kysely } from 'kysely'
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, flattenedVerify, FlattenedSign, generateKeyPair, importJWK, type JWK } from 'jose'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { DB } from '../../db/schema.ts'
import type { TransferDocument } from './document.ts'

/**
 * Transfer packages between installations: a JWS (JSON serialization, ES256) whose payload is the
 * transfer document, signed with the sending council's key. The receiving installation verifies it
 * with the sending council's public key, which its administrator added, and checks its shape against
 * the published schema (schemas/transfer-package.schema.json). Each council's key pair is made the
 * first time it signs and kept in its database.
 */

const SCHEMA = JSON.parse(readFileSync(new URL('../../../schemas/transfer-package.schema.json', import.meta.url), 'utf8')) as object
// The schema's formats are notes for readers; its patterns are what is checked.
const validate = new Ajv2020({ allErrors: false, validateFormats: false }).compile<TransferDocument>(SCHEMA)
const TYP = 'caf-hub-transfer+jws'

/** A file that cannot be imported, with the words the hub reads. */
export class TransferFileRefused extends Error {}

/** The council's signing key, made the first time it is needed. */
export async function councilKey(db: Kysely<DB>, laId: number): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const existing = await db.selectFrom('council_keys').select(['kid', 'public_jwk', 'private_jwk']).where('la_id', '=', laId).executeTakeFirst()
  if (existing) return { kid: existing.kid, publicJwk: existing.public_jwk as JWK, privateJwk: existing.private_jwk as JWK }
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig' }
  const kid = await calculateJwkThumbprint(publicJwk)
  const privateJwk = { ...(await exportJWK(privateKey)), alg: 'ES256' }
  await db
    .insertInto('council_keys')
    .values({ la_id: laId, kid, public_jwk: JSON.stringify({ ...publicJwk, kid }), private_jwk: JSON.stringify(privateJwk) })
    .onConflict((c) => c.column('la_id').doNothing())
    .execute()
  return councilKey(db, laId)
}

/** The council's public key, to give to councils on other installations. */
export async function publicKeyOf(db: Kysely<DB>, laId: number): Promise<JWK> {
  return (await councilKey(db, laId)).publicJwk
}

/** The document, signed with the council's key: the text of the file. */
export async function signDocument(db: Kysely<DB>, laId: number, document: TransferDocument): Promise<string> {
  const { kid, privateJwk } = await councilKey(db, laId)
  const key = await importJWK(privateJwk, 'ES256')
  const jws = await new FlattenedSign(new TextEncoder().encode(JSON.stringify(document)))
    .setProtectedHeader({ alg: 'ES256', kid, typ: TYP, iss: document.from.code })
    .sign(key)
  return JSON.stringify(jws, null, 2)
}

function parsed(text: string): { protected: string; payload: string; signature: string } {
  try {
    const jws = JSON.parse(text) as Record<string, unknown>
    if (typeof jws.protected === 'string' && typeof jws.payload === 'string' && typeof jws.signature === 'string') {
      return { protected: jws.protected, payload: jws.payload, signature: jws.signature }
    }
  } catch {
    // Not JSON: said below.
  }
  throw new TransferFileRefused('This file is not a signed CAF Hub transfer package. Ask the council that sent it for the file CAF Hub made, unchanged')
}

/**
 * Checks a file: signed by a council whose key this council trusts, unchanged since, and a transfer
 * package of the published shape. Returns the document and who sent it, or throws TransferFileRefused.
 */
export async function verifyDocument(
  db: Kysely<DB>,
  laId: number,
  text: string,
): Promise<{ document: TransferDocument; from: { code: string; name: string } }> {
  const jws = parsed(text)
  let header
  try {
    header = decodeProtectedHeader(jws)
  } catch {
    throw new TransferFileRefused('This file is not a signed CAF Hub transfer package. Ask the council that sent it for the file CAF Hub made, unchanged')
  }
  const code = typeof header.iss === 'string' ? header.iss : ''
  const trusted = await db
    .selectFrom('trusted_councils')
    .select(['code', 'name', 'public_jwk'])
    .where('la_id', '=', laId)
    .where('code', '=', code)
    .where('kid', '=', String(header.kid ?? ''))
    .executeTakeFirst()
  if (!trusted || header.alg !== 'ES256' || header.typ !== TYP)
    throw new TransferFileRefused(
      `This file was signed with a key this council has not added${code ? ` (it says it is from council ${code.slice(0, 12)})` : ''}. Ask your administrator to add that council’s public key, then import the file again`,
    )
  let payload: Uint8Array
  try {
    payload = (await flattenedVerify(jws, await importJWK(trusted.public_jwk as JWK, 'ES256'))).payload
  } catch {
    throw new TransferFileRefused(
      `The signature does not match: the file has been changed since ${trusted.name} signed it, or they did not sign it. Do not use it: ask them to send it again`,
    )
  }
  let document: unknown
  try {
    document = JSON.parse(new TextDecoder().decode(payload))
  } catch {
    throw new TransferFileRefused('The file is signed, but what it holds is not a transfer package this version of CAF Hub can read')
  }
  if (!validate(document)) {
    const first = validate.errors?.[0]
    throw new TransferFileRefused(
      `The file is signed, but it is not a transfer package this version of CAF Hub can read (${first ? `${first.instancePath || 'the package'} ${first.message}` : 'its shape is wrong'})`,
    )
  }
  if (document.from.code !== trusted.code)
    throw new TransferFileRefused(`The file says it is from ${document.from.name}, but it was signed by ${trusted.name}. Do not use it`)
  const ours = await db.selectFrom('local_authorities').select('code').where('id', '=', laId).executeTakeFirstOrThrow()
  if (document.to.code !== ours.code)
    throw new TransferFileRefused(
      `This file was sent to ${document.to.name}${document.to.code ? ` (${document.to.code})` : ''}, not to this council. Do not use it: tell ${trusted.name}`,
    )
  return { document, from: { code: trusted.code, name: trusted.name } }
}

/** Adds (or replaces) the public key of a council on another installation whose packages this council accepts. */
export async function trustCouncil(db: Kysely<DB>, laId: number, userId: number, input: { code: string; name: string; jwk: JWK }): Promise<void> {
  const kid = input.jwk.kid ?? (await calculateJwkThumbprint(input.jwk))
  await db
    .insertInto('trusted_councils')
    .values({ la_id: laId, code: input.code, name: input.name, kid, public_jwk: JSON.stringify(input.jwk), added_by: userId })
    .onConflict((c) => c.columns(['la_id', 'code', 'kid']).doUpdateSet({ name: input.name, public_jwk: JSON.stringify(input.jwk), added_at: sql<Date>`now()` }))
    .execute()
}
