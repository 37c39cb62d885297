// ioredis connections as the queue needs them: no offline queue (a dead Redis
// fails a request at once, it is not buffered in memory), bounded retries per
// command, endless reconnects with a short backoff.
import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'

export interface RedisConnectOptions {
  url: string
  name: string
  log?: Logger
  /** pipelines commands issued in the same tick: fewer round trips under load */
  autoPipelining?: boolean
}

export async function connectRedis (o: RedisConnectOptions): Promise<Redis> {
  const redis = new Redis(o.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    enableAutoPipelining: o.autoPipelining ?? false,
    connectionName: `tg-relay:${o.name}`,
    retryStrategy: times => Math.min(50 * times, 1000)
  })
  let down = false
  redis.on('error', err => {
    if (!down) o.log?.warn({ conn: o.name, err: err.message }, 'redis connection error')
    down = true
  })
  redis.on('ready', () => {
    if (down) o.log?.info({ conn: o.name }, 'redis connection restored')
    down = false
  })
  await redis.connect()
  return redis
}

/** Redis must not evict queue keys. CONFIG may be disabled (managed Redis): then we can only warn. */
export async function checkEvictionPolicy (redis: Redis, log: Logger): Promise<string | undefined> {
  try {
    const reply = await redis.config('GET', 'maxmemory-policy') as string[]
    const policy = reply[1]
    if (policy !== 'noeviction') {
      log.warn({ policy }, `REDIS maxmemory-policy is "${policy}": Redis may silently EVICT QUEUED MESSAGES. Set maxmemory-policy noeviction.`)
    }
    return policy
  } catch {
    log.warn('could not read maxmemory-policy (CONFIG disabled?): make sure it is noeviction')
    return undefined
  }
}

/**
 * A queued message hash holds its Bot API calls as one JSON field of a few
 * hundred bytes. Redis keeps small hashes as compact listpacks only while every
 * value is under hash-max-listpack-value (default 64 bytes): at 1024 a queued
 * message takes about half the memory (measured in bench/: 1,209 → 575 bytes).
 * It only changes the encoding, never behaviour. Managed Redis may refuse
 * CONFIG SET: then we say so and run with more memory per message.
 */
export const LISTPACK_VALUE_BYTES = 1024

export async function tuneHashEncoding (redis: Redis, log: Logger): Promise<void> {
  try {
    const reply = await redis.config('GET', 'hash-max-listpack-value') as string[]
    if (Number(reply[1]) >= LISTPACK_VALUE_BYTES) return
    await redis.config('SET', 'hash-max-listpack-value', String(LISTPACK_VALUE_BYTES))
    log.info({ from: Number(reply[1]), to: LISTPACK_VALUE_BYTES }, 'raised hash-max-listpack-value: queued messages take about half the memory')
  } catch {
    log.warn(`could not set hash-max-listpack-value to ${LISTPACK_VALUE_BYTES} (CONFIG disabled?): each queued message will take about twice the memory`)
  }
}
