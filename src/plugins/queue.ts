// The queue as the routes see it: `app.queue` (keys, producer, message reads).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { queueKeys, type QueueKeys } from '../queue/keys.ts'
import { createProducer, type Producer } from '../queue/producer.ts'
import { createMessageReader, type MessageReader } from '../queue/messages.ts'
import type { Config } from '../config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** retentionMs: how long finished messages stay readable (MESSAGE_LOG_RETENTION) */
    queue: { keys: QueueKeys, producer: Producer, messages: MessageReader, retentionMs: number }
  }
}

export default fp(async function queuePlugin (app: FastifyInstance, opts: { config: Config }) {
  const c = opts.config
  const keys = queueKeys(c.REDIS_PREFIX, c.TELEGRAM_QUEUE_NAME, c.TELEGRAM_DLQ_NAME)
  const retentionMs = c.MESSAGE_LOG_RETENTION * 1000
  app.decorate('queue', {
    keys,
    producer: createProducer({ redis: app.redis, keys, retentionMs }),
    messages: createMessageReader(app.redis, keys, retentionMs),
    retentionMs
  })
}, { name: 'queue', dependencies: ['redis'] })
