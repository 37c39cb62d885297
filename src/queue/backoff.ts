// Exponential backoff with "equal jitter": half the delay is fixed, half is
// random, so retries after an outage do not arrive in lockstep.
export interface BackoffOptions { baseMs: number, factor: number, maxMs: number }

export function backoffDelay (attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(o.maxMs, o.baseMs * o.factor ** Math.max(0, attempt - 1))
  return Math.round(exp / 2 + random() * exp / 2)
}
