// Comparing a secret someone sent (a bearer token, Telegram's webhook secret)
// with the ones we hold: as SHA-256 digests with timingSafeEqual, so the time
// taken says nothing about the secret, whatever the length of what was sent.
import { createHash, timingSafeEqual } from 'node:crypto'

export const tokenDigest = (s: string): Buffer => createHash('sha256').update(s).digest()

/** Whether `given` is one of the secrets whose digests are `expected`; every one is compared. */
export function tokenMatches (given: string, expected: Buffer[]): boolean {
  const d = tokenDigest(given)
  let ok = false
  for (const e of expected) ok = timingSafeEqual(d, e) || ok
  return ok
}
