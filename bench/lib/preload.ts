// Queues messages straight into Redis (no HTTP), the way each side's route
// would: tg-relay through the send route's acceptMessage (the producer and enqueue.lua), the
// peers through BullMQ Queue.add with their own job shapes. Used to preload drains.
import { Queue } from 'bullmq'
import type { RedisClient } from '../../src/redis/client.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import { createProducer } from '../../src/queue/producer.ts'
import { acceptMessage, resolveDelivery } from '../../src/routes/delivery.ts'
import { fromSend } from '../../src/schemas/compat/index.ts'
import { composeCalls } from '../../src/telegram/compose.ts'
import { connectRedis } from '../../src/redis/connect.ts'
import { SERVICE_JOB_OPTIONS, SERVICE_QUEUE, type ServiceJob } from '../targets/bullmq-service-worker.ts'
import type { Side } from './targets.ts'
import type { BenchRedis } from './redis.ts'
import { BULL_QUEUE, bookingBody, bullJobOptions, chatFor, peerJob, type PeerJob } from './payload.ts'

/** tg-relay's configuration with its defaults, as the targets run it */
export const defaultConfig = (): Config => loadConfig({ LOG_LEVEL: 'silent' })

export interface Loader {
  /** queues messages first..first+count-1 (chat chatFor(i, chats)); returns the ids */
  add (first: number, count: number): Promise<string[]>
  /** the Redis key of one stored message */
  keyOf (id: string): string
  close (): Promise<void>
}

export type LoaderSide = Extract<Side, 'tg-relay' | 'bullmq' | 'bullmq-route'>

export async function createLoader (side: LoaderSide, redis: BenchRedis, chats: number): Promise<Loader> {
  const config = defaultConfig()
  const body = (i: number) => bookingBody(chatFor(i, chats), 1000 + i)
  if (side === 'tg-relay') {
    const conn: RedisClient = await connectRedis({ redis: redis.url, name: 'bench-load', autoPipelining: true })
    const keys = queueKeys(config.REDIS_PREFIX, config.TELEGRAM_QUEUE_NAME, config.TELEGRAM_DLQ_NAME)
    const producer = createProducer({ redis: conn, keys, retentionMs: config.MESSAGE_LOG_RETENTION * 1000 })
    return {
      add: (first, count) => Promise.all(Array.from({ length: count }, async (_, j) => {
        const b = body(first + j)
        const own = fromSend(b)
        return (await acceptMessage(producer, { chatId: own.chat_id, calls: composeCalls(own), ...resolveDelivery(config, own) })).id
      })),
      keyOf: id => keys.msg(id),
      async close () { conn.disconnect() }
    }
  }
  if (side === 'bullmq') {
    const service = new Queue<ServiceJob>(SERVICE_QUEUE, { connection: { host: redis.host, port: redis.port } })
    await service.waitUntilReady()
    return {
      add: (first, count) => Promise.all(Array.from({ length: count }, async (_, j) => {
        const { chat_id: chatId, text, parse_mode: parseMode, disable_notification: quiet } = body(first + j)
        const data: ServiceJob = { chat_id: chatId, text: text as string, ...(parseMode === 'HTML' ? { parse_mode: parseMode } : {}), ...(quiet !== undefined ? { disable_notification: quiet } : {}) }
        return (await service.add('send', data, SERVICE_JOB_OPTIONS)).id ?? ''
      })),
      keyOf: id => `bull:${SERVICE_QUEUE}:${id}`,
      async close () { await service.close() }
    }
  }
  const queue = new Queue<PeerJob>(BULL_QUEUE, { connection: { host: redis.host, port: redis.port } })
  await queue.waitUntilReady()
  return {
    add: (first, count) => Promise.all(Array.from({ length: count }, async (_, j) => {
      const job = peerJob(config, body(first + j))
      return (await queue.add(job.calls[0]?.method ?? 'send', job, bullJobOptions(config, job))).id ?? ''
    })),
    keyOf: id => `bull:${BULL_QUEUE}:${id}`,
    async close () { await queue.close() }
  }
}

/** Queues n messages in batches of `batch` concurrent adds. */
export async function preload (loader: Loader, n: number, batch = 500): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i += batch) ids.push(...await loader.add(i, Math.min(batch, n - i)))
  return ids
}
