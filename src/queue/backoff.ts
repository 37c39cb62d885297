// Exponential backoff with "equal jitter": half the delay is fixed, half is
// random, so retries after an outage do not arrive in lockstep.
export interface BackoffOptions { baseMs: number, factor: number, maxMs: number }

export function backoffDelay (attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(o.maxMs, o.baseMs * o.factor ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + random() * exp / 2)
}

/**
 * The delay before a retry of one message: its own backoff when it was sent
 * with one (stored as "e:<ms>" or "f:<ms>", see message.ts), exact as BullMQ
 * does it — fixed: the delay every time; exponential: delay × factor^(n−1),
 * capped at maxMs — else the configured backoff above.
 */
export function messageBackoffDelay (attempt: number, stored: string, o: BackoffOptions, random: () => number = Math.random): number {
  const own = /^([ef]):(\d+)$/.exec(stored)
  if (own === null) return backoffDelay(attempt, o, random)
  const delay = Number(own[2])
  return own[1] === 'f' ? delay : Math.min(o.maxMs, delay * o.factor ** Math.max(0, attempt - 1))
}
