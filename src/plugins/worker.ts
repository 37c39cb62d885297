// Runs the delivery worker inside this process (ROLE=all|worker): started
// when the app is ready, stopped (in-flight work finished or returned) on close.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { closeRedis, connectRedis } from '../redis/connect.ts'
import type { RedisTopology } from '../redis/topology.ts'
import { createWorker, type Transport, type Worker } from '../queue/consumer.ts'
import type { Config } from '../config.ts'
import { channelTransports } from '../channels/transports.ts'
import { BOOKING_EVENT_METHOD, createBookingEventsTransport } from '../bot/booking-events.ts'

declare module 'fastify' {
  interface FastifyInstance {
    worker?: Worker
    /** non-Telegram destinations the worker delivers queued calls to (see Transport); plugins add to it before ready */
    transports: Map<string, Transport>
  }
}

export default fp(async function workerPlugin (app: FastifyInstance, opts: { config: Config, topology: RedisTopology, bookingEventsKey: string }) {
  if (!app.hasDecorator('transports')) app.decorate('transports', new Map<string, Transport>())
  const c = opts.config
  if (c.BOOKING_EVENTS_URL !== undefined) {
    // button presses the API queued for the booking backend (src/bot/callbacks.ts)
    app.transports.set(BOOKING_EVENT_METHOD, createBookingEventsTransport({ url: c.BOOKING_EVENTS_URL, key: opts.bookingEventsKey, timeoutMs: c.TELEGRAM_API_TIMEOUT * 1000 }))
  }
  const log = app.log.child({ component: 'worker' })
  const redis = await connectRedis({ redis: opts.topology, name: 'worker', log, autoPipelining: true })
  // channel member operations (src/channels): invite links, ban + unban
  const channelOps = channelTransports({ breaker: app.telegram.breaker, redis, keys: app.queue.keys, retentionMs: c.MESSAGE_LOG_RETENTION * 1000 })
  for (const [method, transport] of channelOps) app.transports.set(method, transport)
  const blocking = await connectRedis({ redis: opts.topology, name: 'worker-wait', log })
  const worker = createWorker({
    transports: app.transports,
    redis,
    blocking,
    keys: app.queue.keys,
    breaker: app.telegram.breaker,
    log,
    concurrency: c.QUEUE_MAX_CONCURRENT_JOBS,
    leaseMs: Math.max(c.QUEUE_LEASE_MS, c.TELEGRAM_API_TIMEOUT * 1000 + 2000),
    retentionMs: c.MESSAGE_LOG_RETENTION * 1000,
    backoff: { baseMs: c.QUEUE_BACKOFF_DELAY, factor: c.TELEGRAM_RETRY_BACKOFF_FACTOR, maxMs: c.QUEUE_BACKOFF_MAX },
    rate: {
      requests: c.TELEGRAM_RATE_LIMIT_REQUESTS,
      windowMs: c.TELEGRAM_RATE_LIMIT_WINDOW * 1000,
      chatIntervalMs: c.TELEGRAM_CHAT_RATE_INTERVAL,
      groupIntervalMs: Math.ceil(60_000 / c.TELEGRAM_GROUP_RATE_PER_MINUTE),
      paidPerSecond: c.TELEGRAM_PAID_RATE_LIMIT
    },
    guarantee: c.DELIVERY_GUARANTEE,
    onDelivered: latencyMs => app.histograms.delivery.observe(latencyMs / 1000)
  })
  app.decorate('worker', worker)
  app.addHook('onReady', async () => { worker.start() })
  app.addHook('preClose', async () => { await worker.stop() })
  app.addHook('onClose', async () => {
    await Promise.all([redis, blocking].map(closeRedis))
  })
}, { name: 'worker', dependencies: ['queue', 'telegram'] })
