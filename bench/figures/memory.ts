// Figure 3: Redis memory per queued message. 10,000 copies of the booking
// message (1,000 chats) queued with no worker running, on a fresh
// redis-server per side: INFO used_memory delta / N, and MEMORY USAGE of one
// stored message (tg-relay's hash) against one BullMQ job hash.
import type { RedisClient } from '../../src/redis/client.ts'
import type { BenchContext } from '../lib/context.ts'
import { createLoader, preload } from '../lib/preload.ts'
import { freshRedis, round } from '../lib/redis.ts'

export interface MemoryRun {
  side: 'tg-relay' | 'bullmq'
  messages: number
  bytes_per_message: number
  /** MEMORY USAGE of one message's hash */
  hash_bytes: number
  /** the biggest keys other than message hashes, bytes per message */
  other_keys: Record<string, number>
}

const N = 10_000

async function usedMemory (client: RedisClient): Promise<number> {
  const info = await client.info('memory')
  return Number(/used_memory:(\d+)/.exec(info)?.[1])
}

async function once (side: MemoryRun['side'], ctx: BenchContext): Promise<MemoryRun> {
  const redis = await freshRedis()
  try {
    const loader = await createLoader(side, redis, 1000)
    // the first message creates the fixed structures (lists, stream, script cache): not counted
    await loader.add(N, 1)
    const before = await usedMemory(redis.client)
    const ids = await preload(loader, N)
    const after = await usedMemory(redis.client)
    const hash = Number(await redis.client.memory('USAGE', loader.keyOf(ids[ids.length - 1] as string), 'SAMPLES', '0'))
    const other: Record<string, number> = {}
    const messageKey = side === 'tg-relay' ? /:m:/ : /^bull:[^:]+:\d+$/
    for (const key of await redis.client.keys('*')) {
      if (messageKey.test(key)) continue
      const bytes = Number(await redis.client.memory('USAGE', key, 'SAMPLES', '0'))
      if (bytes > 1000) other[key] = round(bytes / N, 1)
    }
    await loader.close()
    const run: MemoryRun = { side, messages: N, bytes_per_message: round((after - before) / N), hash_bytes: hash, other_keys: other }
    ctx.log(`  memory ${side}: ${run.bytes_per_message} B/message, hash ${hash} B, other ${JSON.stringify(other)}`)
    return run
  } finally {
    await redis.stop()
  }
}

export async function memoryFigure (ctx: BenchContext): Promise<MemoryRun[]> {
  const runs: MemoryRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of ['tg-relay', 'bullmq'] as const) runs.push(await once(side, ctx))
  }
  return runs
}
