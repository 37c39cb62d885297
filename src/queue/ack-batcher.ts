// Acks that arrive within a couple of milliseconds go to Redis in one ack.lua
// call: under load that is one round trip for many messages instead of one
// each. If the batch fails (Redis trouble), each ack is retried on its own
// through `ackOne`, the worker's patient path.
import type { RedisClient } from '../redis/client.ts'
import type { Job } from './claim.ts'
import { ackScript, type AckKeys } from './scripts.ts'

const ACK_BATCH_MS = 2
const ACK_BATCH_MAX = 32

export interface AckBatcher {
  /** resolves once the ack is recorded (or given up on by ackOne) */
  ack (job: Job, messageId: string): Promise<void>
  /** sends what is pending now (stop() calls it) */
  flush (): void
}

export function createAckBatcher (o: {
  redis: RedisClient
  keys: AckKeys & { base: string }
  retentionMs: number
  ackOne: (job: Job, messageId: string) => Promise<void>
}): AckBatcher {
  let pending: Array<{ job: Job, messageId: string, done: () => void }> = []
  let timer: NodeJS.Timeout | undefined

  function flush (): void {
    clearTimeout(timer)
    timer = undefined
    const batch = pending
    pending = []
    if (batch.length === 0) return
    const acks = batch.map(a => ({ id: a.job.id, part: a.job.part, messageId: a.messageId }))
    ackScript(o.redis, o.keys, { base: o.keys.base, now: Date.now(), retentionMs: o.retentionMs, acks }).then(
      () => { for (const a of batch) a.done() },
      () => { for (const a of batch) o.ackOne(a.job, a.messageId).finally(a.done).catch(() => undefined) }
    )
  }

  return {
    ack: (job, messageId) => new Promise<void>(resolve => {
      pending.push({ job, messageId, done: resolve })
      if (pending.length >= ACK_BATCH_MAX) flush()
      else timer ??= setTimeout(flush, ACK_BATCH_MS)
    }),
    flush
  }
}
