// "202 only once N replicas have it" (REDIS_MIN_REPLICAS_ACK): the one place
// that runs WAIT. Redis replication is asynchronous, so a write the primary
// has answered can still be lost when a replica is promoted; WAIT blocks until
// N replicas acknowledge every write this connection made before it.
// It goes out in a pipeline with a read of `anchor` (a key in tg-relay's hash
// slot): on a Cluster that routes it to the master — and the very connection —
// that took the writes, on a single server it is one round trip all the same.
// Concurrent callers share WAITs (see shared() below).
import { QueueUnavailableError } from '../queue/errors.ts'
import type { RedisClient } from './client.ts'

export interface ReplicaAck {
  readonly minReplicas: number
  /**
   * Call after the writes an answer depends on, on the client that made them.
   * Resolves when minReplicas replicas have them; otherwise throws
   * QueueUnavailableError (a 503: the writes may or may not survive a
   * failover, and the client's retry with its idempotency key finds them).
   */
  confirm (): Promise<void>
}

export class ReplicasMissingError extends Error {
  code = 'REDIS_REPLICAS_MISSING'
  constructor (readonly acked: number, readonly wanted: number, timeoutMs: number) {
    super(`${acked} of ${wanted} Redis replicas confirmed the write within ${timeoutMs} ms`)
  }
}

export function createReplicaAck (redis: RedisClient, o: { minReplicas: number, timeoutMs: number, anchor: string }): ReplicaAck {
  const { minReplicas, timeoutMs, anchor } = o

  async function send (): Promise<number> {
    const replies = await redis.pipeline().exists(anchor).wait(minReplicas, timeoutMs).exec() ?? []
    const [err, value] = replies[1] ?? [new Error('no reply to WAIT'), 0]
    if (err) throw err
    return Number(value)
  }

  // Group commit: a blocked WAIT holds up everything behind it on the
  // connection, so one WAIT per request would cap the API at one request per
  // replica round trip. At most one WAIT is in flight; whoever arrives
  // meanwhile (their write may have come after it) shares the next one, sent
  // when it returns, which covers all of their writes at once.
  let inFlight: Promise<number> | undefined
  let next: Promise<number> | undefined
  function start (): Promise<number> {
    const p = send()
    inFlight = p
    const clear = () => { if (inFlight === p) inFlight = undefined }
    p.then(clear, clear)
    return p
  }
  function shared (): Promise<number> {
    if (inFlight === undefined) return start()
    next ??= inFlight.then(() => undefined, () => undefined).then(() => { next = undefined; return start() })
    return next
  }

  return {
    minReplicas,
    async confirm () {
      if (minReplicas === 0) return
      let acked: number
      try {
        acked = await shared()
      } catch (err) {
        throw new QueueUnavailableError(err)
      }
      if (acked < minReplicas) throw new QueueUnavailableError(new ReplicasMissingError(acked, minReplicas, timeoutMs))
    }
  }
}
