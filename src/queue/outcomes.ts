// Records what became of a send with exactly one state-transition script
// (ack, retry or dead), patiently: a send that reached Telegram but was not
// recorded would be sent again after its lease, so Redis trouble is waited
// out until the lease is nearly over.
import type { RedisClient } from '../redis/client.ts'
import type { Logger } from '../log.ts'
import type { Job } from './claim.ts'
import type { QueueKeys } from './keys.ts'
import { ackScript, deadScript, retryScript, type ScriptReply } from './scripts.ts'
import { createAckBatcher, type TakenAcks } from './ack-batcher.ts'
import { isRedisUnavailable } from './errors.ts'

export interface RetryOutcome { delayMs: number, error: string, spend: boolean, pauseMs?: number, stat?: string }
export interface DeadOutcome { block?: boolean, spend: boolean, stat?: string }

export interface Outcomes {
  /** batched with the acks of the next couple of milliseconds */
  ack (job: Job, messageId: string): Promise<void>
  /** the pending acks, for the next claim to record in its own call */
  takeAcks (): TakenAcks | undefined
  retry (job: Job, a: RetryOutcome): Promise<void>
  dead (job: Job, reason: string, a: DeadOutcome): Promise<void>
  /**
   * Records in the background: the send's slot is free again at once, so a
   * Redis round trip never holds up the next send. The chat stays held until
   * the outcome lands, so per-chat order is unchanged.
   */
  settle (job: Job, outcome: Promise<void>): void
  /** flushes pending acks and waits for everything settling */
  drain (): Promise<void>
}

export function createOutcomes (o: { redis: RedisClient, keys: QueueKeys, log: Logger, leaseMs: number, retentionMs: number }): Outcomes {
  const { redis, keys, log } = o

  async function record (job: Job, what: string, op: () => Promise<ScriptReply>): Promise<void> {
    const deadline = Date.now() + o.leaseMs - 1000
    for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
      try {
        const result = await op()
        if (result === 'stale') log.debug({ id: job.id, what }, 'outcome for a message another worker took over')
        return
      } catch (err) {
        if (!isRedisUnavailable(err) || Date.now() > deadline) {
          log.error({ id: job.id, what, err }, 'could not record outcome; the lease will return the message')
          return
        }
        await new Promise(resolve => setTimeout(resolve, wait))
      }
    }
  }

  const ackOne = (job: Job, messageId: string) => record(job, 'ack', async () =>
    (await ackScript(redis, keys, { base: keys.base, now: Date.now(), retentionMs: o.retentionMs, acks: [{ id: job.id, part: job.part, messageId }] }))[0] ?? 'stale')
  const acks = createAckBatcher({ redis, keys, retentionMs: o.retentionMs, ackOne })

  const recording = new Set<Promise<void>>()

  return {
    ack: acks.ack,
    takeAcks: acks.take,

    retry: (job, a) => record(job, 'retry', () => retryScript(redis, keys, {
      base: keys.base, id: job.id, now: Date.now(), delayMs: a.delayMs, error: a.error, spend: a.spend, pauseMs: a.pauseMs ?? 0, part: job.part, stat: a.stat ?? ''
    })),

    dead: (job, reason, a) => record(job, 'dead', async () => {
      if (a.stat) await redis.hincrby(keys.stats, a.stat, 1)
      return await deadScript(redis, keys, {
        base: keys.base, id: job.id, now: Date.now(), state: 'dead', reason, blockReason: a.block ? reason : '', part: job.part, spend: a.spend
      })
    }),

    settle (job, outcome) {
      const p: Promise<void> = outcome
        .catch(err => log.error({ id: job.id, err }, 'recording an outcome failed'))
        .finally(() => recording.delete(p))
      recording.add(p)
    },

    async drain () {
      acks.flush()
      await Promise.allSettled([...recording])
    }
  }
}
