// The API's Redis connection: `app.redis`, with the queue scripts registered.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { checkEvictionPolicy, connectRedis, tuneHashEncoding } from '../redis/connect.ts'
import { registerScripts } from '../queue/scripts.ts'

declare module 'fastify' {
  interface FastifyInstance { redis: Redis }
}

export default fp(async function redisPlugin (app: FastifyInstance, opts: { url: string }) {
  const redis = await connectRedis({ url: opts.url, name: 'api', log: app.log, autoPipelining: true })
  registerScripts(redis)
  await checkEvictionPolicy(redis, app.log)
  await tuneHashEncoding(redis, app.log)
  app.decorate('redis', redis)
  app.addHook('onClose', async () => { await redis.quit().catch(() => redis.disconnect()) })
}, { name: 'redis' })
