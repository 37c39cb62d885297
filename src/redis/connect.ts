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
