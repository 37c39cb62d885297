// Runs the delivery worker inside this process (ROLE=all|worker): started
// when the app is ready, stopped (in-flight work finished or returned) on close.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { closeRedis, connectRedis } from '../redis/connect.ts'
import type { RedisTopology } from '../redis/topology.ts'
import { createWorker, type Worker } from '../queue/consumer.ts'
import type { Transport } from '../transport.ts'
import type { Config } from '../config.ts'
import { channelTransports } from '../channels/transports.ts'
import { BOOKING_EVENT_METHOD, createBookingEventsTransport } from '../bot/booking-events.ts'
import { UPDATE_FORWARD_METHOD } from '../bot/forward.ts'
import { createSignedPostTransport } from '../outbound/signed-post.ts'
import { closedBreaker } from '../outbound/lane.ts'
import { createDeliveryEventsTransport, DELIVERY_EVENT_METHOD } from '../outbound/delivery-events.ts'

declare module 'fastify' {
  interface FastifyInstance {
    worker?: Worker
    outboundWorker?: Worker
    /** non-Telegram destinations the worker delivers queued calls to (see Transport); plugins add to it before ready */
    transports: Map<string, Transport>
    /** the same for the outbound lane's worker (src/outbound/lane.ts) */
    outboundTransports: Map<string, Transport>
  }
}

export interface WorkerPluginOptions {
  config: Config
  topology: RedisTopology
  /** HMAC keys of the signed POSTs (their *_SECRET, or the admin token) */
  keys: { bookingEvents: string, updatesForward: string, deliveryEvents: string }
}

export default fp(async function workerPlugin (app: FastifyInstance, opts: WorkerPluginOptions) {
  if (!app.hasDecorator('transports')) app.decorate('transports', new Map<string, Transport>())
  if (!app.hasDecorator('outboundTransports')) app.decorate('outboundTransports', new Map<string, Transport>())
  const c = opts.config
  const timeoutMs = c.TELEGRAM_API_TIMEOUT * 1000
  if (c.BOOKING_EVENTS_URL !== undefined) {
    // button presses the API queued for the booking backend (src/bot/callbacks.ts); the
    // previous release queued them on the Telegram lane, so both workers deliver them
    const booking = createBookingEventsTransport({ url: c.BOOKING_EVENTS_URL, key: opts.keys.bookingEvents, timeoutMs })
    app.transports.set(BOOKING_EVENT_METHOD, booking)
    app.outboundTransports.set(BOOKING_EVENT_METHOD, booking)
  }
  // always: the destinations are on each message (callback_url), not in this config; the
  // Telegram lane's copy serves an event an admin requeued from the DLQ
  const events = createDeliveryEventsTransport({ key: opts.keys.deliveryEvents, timeoutMs })
  app.outboundTransports.set(DELIVERY_EVENT_METHOD, events)
  app.transports.set(DELIVERY_EVENT_METHOD, events)
  if (c.UPDATES_FORWARD_URL !== undefined) {
    const forward = createSignedPostTransport({
      method: UPDATE_FORWARD_METHOD, receiver: 'updates receiver', url: c.UPDATES_FORWARD_URL, key: opts.keys.updatesForward, timeoutMs
    })
    app.outboundTransports.set(UPDATE_FORWARD_METHOD, forward)
    // a dead letter requeued by an admin goes back to the Telegram lane's queue lists
    app.transports.set(UPDATE_FORWARD_METHOD, forward)
  }
  const log = app.log.child({ component: 'worker' })
  // no auto-pipelining: the loop makes one script call at a time (acks ride on the claims),
  // and a call alone in an auto-pipeline costs about twice the CPU (bench/tools/script-call-cost.ts)
  const redis = await connectRedis({ redis: opts.topology, name: 'worker', log, autoPipelining: false })
  // channel member operations (src/channels): invite links, ban + unban
  const channelOps = channelTransports({ breaker: app.telegram.breaker, redis, keys: app.queue.keys, retentionMs: c.MESSAGE_LOG_RETENTION * 1000 })
  for (const [method, transport] of channelOps) app.transports.set(method, transport)
  const blocking = await connectRedis({ redis: opts.topology, name: 'worker-wait', log })
  const outLog = app.log.child({ component: 'outbound-worker' })
  const outBlocking = await connectRedis({ redis: opts.topology, name: 'outbound-wait', log: outLog })
  const common = {
    redis,
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
    guarantee: c.DELIVERY_GUARANTEE
  }
  const worker = createWorker({
    ...common,
    transports: app.transports,
    blocking,
    keys: app.queue.keys,
    breaker: app.telegram.breaker,
    log,
    // Telegram deliveries only: the outbound lane's POSTs are not in the delivery histogram
    onDelivered: latencyMs => app.histograms.delivery.observe(latencyMs / 1000)
  })
  // no limits: they are Telegram's; at-least-once: a receiver drops what it has seen by id
  const outbound = createWorker({
    ...common,
    rate: { requests: 0, windowMs: 1000, chatIntervalMs: 0, groupIntervalMs: 0 },
    guarantee: 'at-least-once',
    transports: app.outboundTransports,
    blocking: outBlocking,
    keys: app.queue.outbound.keys,
    breaker: closedBreaker(),
    log: outLog
  })
  app.decorate('worker', worker)
  app.decorate('outboundWorker', outbound)
  app.addHook('onReady', async () => { worker.start(); outbound.start() })
  app.addHook('preClose', async () => { await Promise.all([worker.stop(), outbound.stop()]) })
  app.addHook('onClose', async () => {
    await Promise.all([redis, blocking, outBlocking].map(closeRedis))
  })
}, { name: 'worker', dependencies: ['queue', 'telegram'] })
