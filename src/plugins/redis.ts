// The API's Redis connection: `app.redis`, with the queue scripts registered,
// whatever the topology (src/redis/connect.ts).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { closeRedis, connectRedis } from '../redis/connect.ts'
import { checkServers } from '../redis/server-checks.ts'
import type { RedisClient } from '../redis/client.ts'
import type { RedisTopology } from '../redis/topology.ts'
import { registerScripts } from '../queue/scripts.ts'

declare module 'fastify' {
  interface FastifyInstance { redis: RedisClient }
}

export default fp(async function redisPlugin (app: FastifyInstance, opts: { topology: RedisTopology, minReplicas: number, offline?: boolean }) {
  if (opts.offline) {
    // routes only (the OpenAPI document): a client that is never connected
    const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false })
    registerScripts(redis)
    app.decorate('redis', redis)
    app.addHook('onClose', async () => { redis.disconnect() })
    return
  }
  // no auto-pipelining: the producer already sends one enqueue call per batch,
  // and ioredis' per-tick Pipeline (every script copied onto it) cost more than it saved
  const redis = await connectRedis({ redis: opts.topology, name: 'api', log: app.log, autoPipelining: false })
  registerScripts(redis)
  await checkServers(redis, app.log, { minReplicas: opts.minReplicas })
  app.decorate('redis', redis)
  app.addHook('onClose', async () => { await closeRedis(redis) })
}, { name: 'redis' })
