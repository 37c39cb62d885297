// Queue errors with stable codes. Redis being down, loading, read-only or out
// of memory is the one failure a client can retry: it becomes a 503.
export class QueueUnavailableError extends Error {
  code = 'QUEUE_UNAVAILABLE'
  statusCode = 503
  constructor (cause: unknown) {
    super('the message store (Redis) is unavailable; nothing was queued, retry later', { cause })
  }
}

// MOVED/ASK reach us only when ioredis gave up following them; a script
// touching a key of a slot being migrated away is refused as "non local"
const RETRYABLE_REPLY = /^(OOM|LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MOVED|ASK)\b|non local key/

/** True when the error says Redis could not take the command, not that the command was wrong. */
export function isRedisUnavailable (err: unknown): boolean {
  if (!(err instanceof Error)) return false
  if (err.name === 'ReplyError') return RETRYABLE_REPLY.test(err.message)
  // connection-level: closed stream, offline queue disabled, retries exhausted, socket errors
  return true
}

/** Runs a Redis operation; connection-level failures become QueueUnavailableError. */
export async function guardRedis<T> (op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (err) {
    if (isRedisUnavailable(err)) throw new QueueUnavailableError(err)
    throw err
  }
}
