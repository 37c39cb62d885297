// ioredis connections as the queue needs them, whatever the topology: no
// offline queue (a dead Redis fails a request at once, it is not buffered in
// memory), bounded retries per command, endless reconnects with a short
// backoff. Sentinel and Cluster use ioredis' own clients: they already follow
// +switch-master and MOVED/ASK, which a hand-written layer would get wrong at
// exactly the moment it matters.
import { Cluster, Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../log.ts'
import type { RedisClient } from './client.ts'
import type { RedisTopology } from './topology.ts'

export interface RedisConnectOptions {
  /** the deployment, or a single server's URL */
  redis: RedisTopology | string
  name: string
  log?: Logger
  /** pipelines commands issued in the same tick: fewer round trips under load */
  autoPipelining?: boolean
}

const reconnect = (times: number) => Math.min(50 * times, 1000)

function common (o: RedisConnectOptions): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    enableAutoPipelining: o.autoPipelining ?? false,
    connectionName: `tg-relay:${o.name}`,
    retryStrategy: reconnect,
    // a primary demoted under us (it came back as a replica) answers READONLY:
    // reconnect, so Sentinel points us at the new primary; the command itself
    // fails (a 503 the client retries), it is not resent blindly
    reconnectOnError: err => err.message.startsWith('READONLY')
  }
}

function create (o: RedisConnectOptions): RedisClient {
  const t: RedisTopology = typeof o.redis === 'string' ? { kind: 'single', url: o.redis } : o.redis
  if (t.kind === 'single') return new Redis(t.url, common(o))
  if (t.kind === 'sentinel') {
    return new Redis({
      ...common(o),
      sentinels: t.sentinels,
      name: t.name,
      ...(t.password === undefined ? {} : { password: t.password }),
      ...(t.sentinelPassword === undefined ? {} : { sentinelPassword: t.sentinelPassword }),
      // subscribe to +switch-master: move to the new primary as soon as Sentinel
      // announces it, not only when the old connection breaks
      failoverDetector: true,
      sentinelRetryStrategy: reconnect
    })
  }
  const { retryStrategy: _, enableOfflineQueue, lazyConnect, enableAutoPipelining, ...node } = common(o)
  return new Cluster(t.nodes, {
    lazyConnect,
    enableOfflineQueue,
    enableAutoPipelining,
    clusterRetryStrategy: reconnect,
    // during a resharding or a failover: follow MOVED/ASK at once, wait out
    // TRYAGAIN (a multi-key script while its slot is half migrated) and
    // CLUSTERDOWN; after maxRedirections the caller gets the error (a 503)
    maxRedirections: 32,
    retryDelayOnTryAgain: 100,
    retryDelayOnClusterDown: 200,
    retryDelayOnFailover: 200,
    redisOptions: { ...node, ...(t.password === undefined ? {} : { password: t.password }) }
  })
}

export async function connectRedis (o: RedisConnectOptions): Promise<RedisClient> {
  const redis = create(o)
  let down = false
  redis.on('error', (err: Error) => {
    if (!down) o.log?.warn({ conn: o.name, err: err.message }, 'redis connection error')
    down = true
  })
  redis.on('ready', () => {
    if (down) o.log?.info({ conn: o.name }, 'redis connection restored')
    down = false
  })
  await (redis as Redis | Cluster).connect()
  // ioredis gives up for good ('end') when Sentinel's failover detector cuts
  // a reconnect that is still asking the Sentinels ("Connection is closed"):
  // a +switch-master arriving while the dead primary is being retried, which
  // is just when it matters. Nothing but closeRedis may end a connection.
  redis.on('end', () => {
    if (closing.has(redis)) return
    o.log?.warn({ conn: o.name }, 'redis connection ended by the client library; connecting again')
    setTimeout(() => { if (!closing.has(redis)) (redis as Redis | Cluster).connect().catch(() => undefined) }, 200).unref()
  })
  return redis
}

const closing = new WeakSet<RedisClient>()

/** The servers a startup check has to ask: every primary of a Cluster, else the one server. */
export function primaries (redis: RedisClient): RedisClient[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis]
}

/**
 * Closes a connection. quit() rejects while reconnecting (offline queue off),
 * and leaves Sentinel's failover-detector subscriptions behind: disconnect()
 * after it cuts both, or they retry forever.
 */
export async function closeRedis (redis: RedisClient): Promise<void> {
  closing.add(redis)
  await redis.quit().catch(() => undefined)
  redis.disconnect()
}
