// Puts messages into the queue. A message is acknowledged only after the
// enqueue script has run: RedisClient has it (in the AOF with appendfsync as
// configured) and a worker can claim it.
import { randomBytes } from 'node:crypto'
import type { RedisClient } from '../redis/client.ts'
import { PRIORITIES, type QueueKeys } from './keys.ts'
import { chatKey } from '../telegram/bot-call.ts'
import { toHash, type NewMessage } from './message.ts'
import { cancelScript, enqueueScript } from './scripts.ts'
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

export function createProducer (opts: ProducerOptions): Producer {
  const { redis, keys, retentionMs, replicas } = opts
  return {
    async enqueue (message) {
      const id = newMessageId()
      const now = Date.now()
      const chat = chatKey(message.chatId)
      const idem = message.idempotencyKey
      const reply = await guardRedis(() => enqueueScript(redis, {
        message: keys.msg(id),
        queue: keys.queues[PRIORITIES.indexOf(message.priority)] as string,
        delayed: keys.delayed,
        idempotency: idem === undefined ? keys.msg(id) : keys.idem(idem),
        seq: keys.seq,
        wake: keys.wake,
        stats: keys.stats,
        log: keys.log(Math.floor(now / HOUR))
      }, {
        base: keys.base,
        id,
        now,
        sendAt: message.sendAt ?? 0,
        idempotencyTtlMs: idem === undefined ? 0 : message.idempotencyTtlMs ?? IDEMPOTENCY_TTL,
        logTtlMs: retentionMs,
        fields: toHash(message, chat, now)
      }))
      // a duplicate too: the first request may have been answered 503 by this very wait
      await replicas?.confirm()
      return { id: reply.id, duplicate: reply.outcome === 'duplicate', status: reply.status }
    },

    async cancel (id) {
      return await guardRedis(() => cancelScript(redis, keys, { base: keys.base, id, now: Date.now(), retentionMs }))
    }
  }
}
