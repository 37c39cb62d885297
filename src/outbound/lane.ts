// The outbound lane: the queue for calls to our users' own systems (booking events, forwarded
// updates), apart from Telegram's. It is the same queue — same message hashes, scripts, DLQ,
// stats and idempotency keys — with lists, in-flight, delayed and waiting sets of its own,
// claimed by a worker of its own with no rate limits and a breaker that never opens. So a slow
// or failing receiver holds no Telegram send slot, spends none of Telegram's 30/s, waits no
// per-chat second, and an open Bot API breaker does not hold it up; per-"chat" order (one key
// per booking, per Telegram chat) still holds.
import type { Breaker } from '../telegram/breaker.ts'
import { TransportError } from '../transport.ts'
import { PRIORITIES, type QueueKeys } from '../queue/keys.ts'

export function outboundKeys (keys: QueueKeys): QueueKeys {
  const lane = `${keys.base}out:`
  return {
    ...keys,
    queues: PRIORITIES.map(p => `${lane}${p}`),
    active: `${lane}active`,
    delayed: `${lane}delayed`,
    waiting: `${lane}waiting`,
    rate: `${lane}rate`,
    paidRate: `${lane}paid-rate`,
    // broadcasts are Telegram's lane only: claim.lua makes their recipients into
    // messages of the lane that claims, so this lane's list of due ones stays empty
    broadcastsDue: `${lane}bcq`,
    pause: `${lane}pause`,
    paused: `${lane}paused`,
    wake: `${lane}wake`,
    workers: `${lane}workers`
  }
}

/**
 * The outbound worker's stand-in for Telegram's breaker: always closed. A call whose method
 * has no transport on this worker (the API process has a *_URL setting the worker lacks) is
 * retried with backoff rather than sent to the Bot API, until a worker that has it takes it.
 */
export function closedBreaker (): Breaker {
  return {
    async call (method) {
      throw new TransportError(method, 503, `no transport for ${method} on this worker (configure it like the API processes)`)
    },
    state: () => 'closed',
    whenClosed: async () => {},
    onOpen: () => {},
    windowMs: 10_000,
    shutdown: () => {}
  }
}
