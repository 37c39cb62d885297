// Puts messages into the queue. A message is acknowledged only after the
// enqueue script has run: RedisClient has it (in the AOF with appendfsync as
// configured) and a worker can claim it.
import { randomBytes } from 'node:crypto'
import type { RedisClient } from '../redis/client.ts'
import { PRIORITIES, type QueueKeys } from './keys.ts'
import { chatKey } from '../telegram/bot-call.ts'
import { toHash, type NewMessage } from './message.ts'
import { cancelScript, enqueueScript, type EnqueueItem, type EnqueueOutcome } from './scripts.ts'
import { guardRedis } from './errors.ts'
import type { ReplicaAck } from '../redis/replication.ts'

const HOUR = 3_600_000
const IDEMPOTENCY_TTL = 24 * HOUR

export interface EnqueueResult {
  id: string
  duplicate: boolean
  status: string
}

export interface Producer {
  enqueue (message: NewMessage): Promise<EnqueueResult>
  cancel (id: string): Promise<string>
}

// 72 random bits per id, drawn from a pooled buffer: one randomBytes call per
// 1,024 ids instead of one per id (it showed up in enqueue profiles)
const ID_BYTES = 9
const POOL_IDS = 1024
let pool = Buffer.alloc(0)
let offset = 0

export function newMessageId (): string {
  if (offset >= pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS)
    offset = 0
  }
  offset += ID_BYTES
  return pool.toString('base64url', offset - ID_BYTES, offset)
}

export interface ProducerOptions {
  redis: RedisClient
  keys: QueueKeys
  retentionMs: number
  /** waited for after each enqueue; without it the caller confirms (a broadcast, once per chunk) */
  replicas?: ReplicaAck
}

/**
 * Group commit: sends that arrive while the event loop is busy with other
 * requests go to Redis together, in one enqueue.lua call, when the loop
 * next turns (setImmediate) or when ENQUEUE_BATCH_MAX are waiting. An idle
 * send goes alone and at once; under load one call carries many messages,
 * which is most of what a send costs Redis and the client. Each message
 * keeps its own outcome, and each caller's answer still waits for Redis to
 * have its message.
 */
export const ENQUEUE_BATCH_MAX = 64

interface Waiting { id: string, message: NewMessage, resolve: (r: EnqueueOutcome) => void, reject: (err: unknown) => void }

export function createProducer (opts: ProducerOptions): Producer {
  const { redis, keys, retentionMs, replicas } = opts
  let waiting: Waiting[] = []
  let scheduled = false

  function flush (): void {
    scheduled = false
    const batch = waiting
    waiting = []
    if (batch.length === 0) return
    const now = Date.now()
    const sent = guardRedis(() => enqueueScript(redis, {
      delayed: keys.delayed,
      seq: keys.seq,
      wake: keys.wake,
      stats: keys.stats,
      log: keys.log(Math.floor(now / HOUR))
    }, { base: keys.base, now, logTtlMs: retentionMs }, batch.map(w => item(w.id, w.message, now))))
    sent.then(
      outcomes => { for (const [i, w] of batch.entries()) w.resolve(outcomes[i] as EnqueueOutcome) },
      (err: unknown) => { for (const w of batch) w.reject(err) })
  }

  function item (id: string, message: NewMessage, now: number): EnqueueItem {
    const idem = message.idempotencyKey
    return {
      message: keys.msg(id),
      queue: keys.queues[PRIORITIES.indexOf(message.priority)] as string,
      idempotency: idem === undefined ? keys.msg(id) : keys.idem(idem),
      id,
      sendAt: message.sendAt ?? 0,
      idempotencyTtlMs: idem === undefined ? 0 : message.idempotencyTtlMs ?? IDEMPOTENCY_TTL,
      fields: toHash(message, chatKey(message.chatId), now)
    }
  }

  function submit (id: string, message: NewMessage): Promise<EnqueueOutcome> {
    return new Promise((resolve, reject) => {
      waiting.push({ id, message, resolve, reject })
      if (waiting.length >= ENQUEUE_BATCH_MAX) flush()
      else if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })
  }

  return {
    async enqueue (message) {
      const reply = await submit(newMessageId(), message)
      // a duplicate too: the first request may have been answered 503 by this very wait
      await replicas?.confirm()
      return { id: reply.id, duplicate: reply.outcome === 'duplicate', status: reply.status }
    },

    async cancel (id) {
      return await guardRedis(() => cancelScript(redis, keys, { base: keys.base, id, now: Date.now(), retentionMs }))
    }
  }
}
