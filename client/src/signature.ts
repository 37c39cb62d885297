// tg-relay signs what it POSTs to you (booking button events, delivery
// events): `X-TG-Relay-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
// keyed with the shared secret. Check it on the bytes received, before
// parsing; the comparison takes the same time whatever matches.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-tg-relay-signature'

/** true when `header` is the signature of `rawBody` under `secret`. */
export function verifySignature (rawBody: string | Uint8Array, header: string | string[] | null | undefined, secret: string): boolean {
  const given = Array.isArray(header) ? header[0] : header
  if (typeof given !== 'string' || secret === '') return false
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`)
  const actual = Buffer.from(given.trim())
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
