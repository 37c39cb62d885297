// Figure 3: Redis memory per queued message. 10,000 booking messages (a chat
// each) posted over HTTP with no worker running, each side on a fresh stock
// redis-server (tg-relay tunes its hash encoding at startup, as it does on
// any Redis it is given): INFO used_memory delta / N, and MEMORY USAGE of
// one stored message (tg-relay's hash) against one BullMQ job hash.
import type { RedisClient } from '../../src/redis/client.ts'
import { sidesOf } from '../lib/context.ts'
import type { BenchContext } from '../lib/context.ts'
import { postMany } from '../lib/http.ts'
import { distinctChatBodies } from '../lib/payload.ts'
import { freshRedis, round } from '../lib/redis.ts'
import { startSide, type Side } from '../lib/targets.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import { BULL_QUEUE } from '../lib/payload.ts'
import { SERVICE_QUEUE } from '../targets/bullmq-service-worker.ts'

export type MemorySide = Extract<Side, 'tg-relay' | 'bullmq' | 'bullmq-route'>

export interface MemoryRun {
  side: MemorySide
  messages: number
  bytes_per_message: number
  /** MEMORY USAGE of one message's hash */
  hash_bytes: number
  /** the biggest keys other than message hashes, bytes per message */
  other_keys: Record<string, number>
}

const N = 10_000
export const MEMORY_SIDES: MemorySide[] = ['tg-relay', 'bullmq', 'bullmq-route']

export async function usedMemory (client: RedisClient): Promise<number> {
  const info = await client.info('memory')
  return Number(/used_memory:(\d+)/.exec(info)?.[1])
}

const keyOf = (side: MemorySide, id: string) =>
  side === 'tg-relay' ? queueKeys().msg(id) : `bull:${side === 'bullmq' ? SERVICE_QUEUE : BULL_QUEUE}:${id}`

async function once (side: MemorySide, ctx: BenchContext): Promise<MemoryRun> {
  const redis = await freshRedis()
  const target = await startSide(side, { role: 'api', logLevel: 'warn', redisUrl: redis.url })
  try {
    const url = target.info.url as string
    const body = distinctChatBodies()
    // the first messages create the fixed structures (lists, script cache): not counted
    await postMany(url, '/api/telegram/send', 10, () => body())
    const before = await usedMemory(redis.client)
    const ids = await postMany(url, '/api/telegram/send', N, () => body())
    const after = await usedMemory(redis.client)
    const hash = Number(await redis.client.memory('USAGE', keyOf(side, ids[ids.length - 1] as string), 'SAMPLES', '0'))
    const other: Record<string, number> = {}
    const messageKey = side === 'tg-relay' ? /:m:/ : /^bull:[^:]+:\d+$/
    for (const key of await redis.client.keys('*')) {
      if (messageKey.test(key)) continue
      const bytes = Number(await redis.client.memory('USAGE', key, 'SAMPLES', '0'))
      if (bytes > 1000) other[key] = round(bytes / N, 1)
    }
    const run: MemoryRun = { side, messages: N, bytes_per_message: round((after - before) / N), hash_bytes: hash, other_keys: other }
    ctx.log(`  memory ${side}: ${run.bytes_per_message} B/message, hash ${hash} B, other ${JSON.stringify(other)}`)
    return run
  } finally {
    await target.stop()
    await redis.stop()
  }
}

/** One run: bytes in Redis do not depend on the machine's load. */
export async function memoryFigure (ctx: BenchContext): Promise<MemoryRun[]> {
  const runs: MemoryRun[] = []
  for (const side of sidesOf(ctx, MEMORY_SIDES)) runs.push(await once(side, ctx))
  return runs
}
