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

/**
 * The keys the lane shares with Telegram's: the records themselves (messages, chats' order,
 * idempotency, uploads, broadcasts' records, operations), the DLQ, and what is counted or
 * watched deployment-wide. Every other key is the lane's own (LaneKeys below): a key added to
 * QueueKeys does not compile until it is put in one list or the other, so nothing becomes
 * shared by accident (the broadcast recipients the outbound worker once claimed came from a
 * key that was).
 */
export const SHARED_WITH_OUTBOUND = [
  'base', 'dlq', 'stats', 'latency', 'seq', 'sentHours', 'blocked', 'blockedSince', 'migrated',
  'msg', 'chat', 'chatWait', 'idem', 'log', 'file', 'operation',
  'broadcasts', 'broadcast', 'broadcastInfo', 'broadcastIds', 'broadcastVariants', 'broadcastPending', 'broadcastLock', 'broadcastIdem',
  'histogram', 'history', 'historyStep', 'alertSince', 'alertSent'
] as const satisfies ReadonlyArray<keyof QueueKeys>
type Shared = typeof SHARED_WITH_OUTBOUND[number]
type LaneKeys = Pick<QueueKeys, Exclude<keyof QueueKeys, Shared>>

export function outboundKeys (keys: QueueKeys): QueueKeys {
  const lane = `${keys.base}out:`
  const own: LaneKeys = {
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
  const shared = Object.fromEntries(SHARED_WITH_OUTBOUND.map(k => [k, keys[k]])) as Pick<QueueKeys, Shared>
  return { ...shared, ...own }
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
