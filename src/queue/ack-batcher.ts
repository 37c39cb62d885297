// Acks that arrive within a couple of milliseconds go to Redis in one ack.lua
// call: under load that is one round trip for many messages instead of one
// each. The worker's next claim usually comes sooner — a send's slot frees
// the moment its ack is queued — and takes the pending acks with it
// (claim.lua records them first), which saves that call too. If a batch
// fails (Redis trouble), each ack is retried on its own through `ackOne`,
// the worker's patient path.
import type { RedisClient } from '../redis/client.ts'
import type { Job } from './claim.ts'
import { ackScript, type AckKeys } from './scripts.ts'

const ACK_BATCH_MS = 2
const ACK_BATCH_MAX = 32

/** Acks taken out of the batcher for another script call to record. */
export interface TakenAcks {
  acks: Array<{ id: string, part: number, messageId: string }>
  retentionMs: number
  /** the call that carried them succeeded */
  recorded (): void
  /** it failed: each is retried on its own (ackOne) */
  failed (): void
}

export interface AckBatcher {
  /** resolves once the ack is recorded (or given up on by ackOne) */
  ack (job: Job, messageId: string): Promise<void>
  /** sends what is pending now (stop() calls it) */
  flush (): void
  /** hands the pending acks to the caller's script call instead; undefined when none */
  take (): TakenAcks | undefined
}

export function createAckBatcher (o: {
  redis: RedisClient
  keys: AckKeys & { base: string }
  retentionMs: number
  ackOne: (job: Job, messageId: string) => Promise<void>
}): AckBatcher {
  let pending: Array<{ job: Job, messageId: string, done: () => void }> = []
  let timer: NodeJS.Timeout | undefined

  function take (): TakenAcks | undefined {
    clearTimeout(timer)
    timer = undefined
    const batch = pending
    pending = []
    if (batch.length === 0) return undefined
    return {
      acks: batch.map(a => ({ id: a.job.id, part: a.job.part, messageId: a.messageId })),
      retentionMs: o.retentionMs,
      recorded: () => { for (const a of batch) a.done() },
      failed: () => { for (const a of batch) o.ackOne(a.job, a.messageId).finally(a.done).catch(() => undefined) }
    }
  }

  function flush (): void {
    const taken = take()
    if (taken === undefined) return
    ackScript(o.redis, o.keys, { base: o.keys.base, now: Date.now(), retentionMs: taken.retentionMs, acks: taken.acks })
      .then(taken.recorded, taken.failed)
  }

  return {
    ack: (job, messageId) => new Promise<void>(resolve => {
      pending.push({ job, messageId, done: resolve })
      if (pending.length >= ACK_BATCH_MAX) flush()
      else timer ??= setTimeout(flush, ACK_BATCH_MS)
    }),
    flush,
    take
  }
}
