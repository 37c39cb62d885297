// Queue metrics as JSON (GET /api/telegram/queue/metrics) and in Prometheus
// text format (GET /metrics, unless TELEGRAM_ENABLE_METRICS=false). Both read
// one snapshot from Redis, so the numbers cover every worker and survive
// restarts; the Prometheus registry is this app's own, filled on each scrape.
// /metrics takes ADMIN_TOKEN like every admin route: Prometheus sends it with
// `authorization: { credentials_file: … }` in its scrape config.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import { ErrorSchema } from '../schemas/common.ts'
import { COUNTER_NAMES, JobCountsSchema, QueueMetricsSchema, type QueueMetrics } from '../schemas/admin.ts'
import { jobCounts } from '../queue/job-counts.ts'
import { createMetrics, type Metrics } from '../queue/metrics.ts'
import { PRIORITIES } from '../queue/keys.ts'
import type { Config } from '../config.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const

/** A Prometheus registry whose values are set from a snapshot before each scrape. */
export function prometheusExporter (): { registry: Registry, render: (s: QueueMetrics) => Promise<string> } {
  const registry = new Registry()
  const m = (name: string) => `tg_relay_${name}`
  const depth = new Gauge({ name: m('queue_depth'), help: 'Message ids waiting in each priority list', labelNames: ['priority'], registers: [registry] })
  const scheduled = new Gauge({ name: m('scheduled'), help: 'Scheduled sends and retries waiting for their time', registers: [registry] })
  const inFlight = new Gauge({ name: m('in_flight'), help: 'Messages claimed and being sent (all workers)', registers: [registry] })
  const waiting = new Gauge({ name: m('waiting_chats'), help: 'Chats with messages parked behind an earlier one or the chat rate limit', registers: [registry] })
  const dlq = new Gauge({ name: m('dlq_size'), help: 'Messages in the dead-letter queue', registers: [registry] })
  const events = new Counter({ name: m('messages_total'), help: 'Message events since the stats began (all workers)', labelNames: ['event'], registers: [registry] })
  const success = new Gauge({ name: m('success_ratio'), help: 'sent / (sent + failed + dead + expired)', registers: [registry] })
  const latency = new Gauge({ name: m('delivery_latency_seconds'), help: 'Enqueue-to-delivery time of recent messages', labelNames: ['quantile'], registers: [registry] })
  const ahead = new Gauge({ name: m('rate_limiter_ahead_seconds'), help: 'How far the global rate limiter runs ahead of now', registers: [registry] })
  const pause = new Gauge({ name: m('rate_limit_pause_seconds'), help: 'Remaining bot-wide pause after a 429', registers: [registry] })
  const paused = new Gauge({ name: m('admin_paused'), help: '1 while an admin has paused delivery', registers: [registry] })
  const workers = new Gauge({ name: m('workers'), help: 'Workers with a recent heartbeat', registers: [registry] })
  const breaker = new Gauge({ name: m('breaker_state'), help: 'Circuit breaker state per process (1 for the current state)', labelNames: ['process', 'state'], registers: [registry] })
  collectDefaultMetrics({ register: registry, prefix: 'tg_relay_api_' })

  const setBreaker = (process: string, state: string) => {
    for (const s of BREAKER_STATES) breaker.set({ process, state: s }, s === state ? 1 : 0)
  }

  return {
    registry,
    async render (s) {
      for (const p of PRIORITIES) depth.set({ priority: p }, s.depth[p])
      scheduled.set(s.scheduled)
      inFlight.set(s.in_flight)
      waiting.set(s.waiting_chats)
      dlq.set(s.dlq)
      // the totals live in Redis: set, not accumulate
      events.reset()
      for (const n of COUNTER_NAMES) events.inc({ event: n }, s.counters[n])
      success.reset()
      if (s.success_rate !== null) success.set(s.success_rate)
      latency.reset()
      for (const q of ['p50', 'p90', 'p99'] as const) {
        const v = s.latency_ms[q]
        if (v !== null) latency.set({ quantile: `0.${q.slice(1)}` }, v / 1000)
      }
      ahead.set(s.rate_limiter.ahead_ms / 1000)
      pause.set(s.rate_limiter.pause_ms / 1000)
      paused.set(s.rate_limiter.paused ? 1 : 0)
      workers.set(s.workers.live.length)
      // workers come and go: drop the old label sets
      breaker.reset()
      setBreaker('api', s.breaker.local)
      for (const w of s.breaker.workers) setBreaker(w.worker, w.state)
      return await registry.metrics()
    }
  }
}

/** The snapshot reader the admin routes share. */
export function queueMetrics (app: Pick<FastifyInstance, 'redis' | 'queue' | 'telegram'>, config: Config): Metrics {
  return createMetrics({
    redis: app.redis,
    keys: app.queue.keys,
    rate: {
      requests: config.TELEGRAM_RATE_LIMIT_REQUESTS,
      windowMs: config.TELEGRAM_RATE_LIMIT_WINDOW * 1000,
      chatIntervalMs: config.TELEGRAM_CHAT_RATE_INTERVAL,
      groupPerMinute: config.TELEGRAM_GROUP_RATE_PER_MINUTE
    },
    localBreaker: () => app.telegram.breaker.state()
  })
}

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const metrics = queueMetrics(app, config)

  app.get('/api/telegram/queue/metrics', {
    onRequest: app.auth.admin,
    schema: {
      tags: ['admin'],
      operationId: 'getQueueMetrics',
      summary: 'Queue depths, counters, success rate, latency, rate limiter, breaker, workers',
      security: [{ bearer: [] }],
      response: { 200: QueueMetricsSchema, ...denied }
    }
  }, async () => await metrics.snapshot())

  // where the resilient API's clients (BullMQ's getJobCounts) read the queue
  app.get('/api/telegram/queue/stats', {
    onRequest: app.auth.sender,
    schema: {
      tags: ['admin'],
      operationId: 'getQueueStats',
      summary: 'Queue counts as BullMQ reports them: waiting, active, completed, failed, delayed, paused',
      security: [{ bearer: [] }],
      response: { 200: JobCountsSchema, ...denied }
    }
  }, async () => await jobCounts(app.redis, app.queue.keys, config.MESSAGE_LOG_RETENTION * 1000))

  if (!config.TELEGRAM_ENABLE_METRICS) return
  const exporter = prometheusExporter()
  app.get('/metrics', {
    onRequest: app.auth.admin,
    schema: {
      tags: ['admin'],
      operationId: 'getPrometheusMetrics',
      summary: 'The queue metrics in Prometheus text format',
      security: [{ bearer: [] }],
      produces: ['text/plain'],
      response: { 200: Type.String({ description: 'Prometheus exposition format 0.0.4' }), ...denied }
    }
  }, async (_request, reply) => {
    const text = await exporter.render(await metrics.snapshot())
    return reply.type(exporter.registry.contentType).send(text)
  })
}
export default routes
