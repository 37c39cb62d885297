// The queue as the routes see it: `app.queue` (keys, producers, message
// reads, and the replica wait every 202 goes through).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { queueKeys, type QueueKeys } from '../queue/keys.ts'
import { createProducer, type Producer } from '../queue/producer.ts'
import { createMessageReader, type MessageReader } from '../queue/messages.ts'
import { createReplicaAck, type ReplicaAck } from '../redis/replication.ts'
import { outboundKeys } from '../outbound/lane.ts'
import type { Config } from '../config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    queue: {
      keys: QueueKeys
      /** waits for REDIS_MIN_REPLICAS_ACK replicas after each enqueue */
      producer: Producer
      /** the same without the wait, for callers that confirm a batch once (broadcast chunks) */
      bulkProducer: Producer
      replicas: ReplicaAck
      messages: MessageReader
      /** how long finished messages stay readable (MESSAGE_LOG_RETENTION) */
      retentionMs: number
      /** the lane for calls to our users' own systems (src/outbound/lane.ts) */
      outbound: { keys: QueueKeys, producer: Producer }
    }
  }
}

export default fp(async function queuePlugin (app: FastifyInstance, opts: { config: Config }) {
  const c = opts.config
  const keys = queueKeys(c.REDIS_PREFIX, c.TELEGRAM_QUEUE_NAME, c.TELEGRAM_DLQ_NAME)
  const retentionMs = c.MESSAGE_LOG_RETENTION * 1000
  const replicas = createReplicaAck(app.redis, { minReplicas: c.REDIS_MIN_REPLICAS_ACK, timeoutMs: c.REDIS_WAIT_TIMEOUT_MS, anchor: keys.seq })
  const laneKeys = outboundKeys(keys)
  app.decorate('queue', {
    keys,
    producer: createProducer({ redis: app.redis, keys, retentionMs, replicas }),
    bulkProducer: createProducer({ redis: app.redis, keys, retentionMs }),
    replicas,
    messages: createMessageReader(app.redis, keys, retentionMs),
    retentionMs,
    outbound: { keys: laneKeys, producer: createProducer({ redis: app.redis, keys: laneKeys, retentionMs }) }
  })
}, { name: 'queue', dependencies: ['redis'] })
