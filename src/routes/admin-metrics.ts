// Queue metrics as JSON (GET /api/telegram/queue/metrics) and in Prometheus
// text format (GET /metrics, unless TELEGRAM_ENABLE_METRICS=false). Both read
// one snapshot from Redis, so the numbers cover every worker and survive
// restarts; the Prometheus registry is this app's own, filled on each scrape.
// /metrics takes ADMIN_TOKEN like every admin route: Prometheus sends it with
// `authorization: { credentials_file: … }` in its scrape config (see
// deploy/prometheus/). With Redis unreachable /metrics still answers, with
// tg_relay_redis_up 0 and this process's own metrics, so the alert can fire.
// Every process reports the deployment's totals: aggregate with max, not sum.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import { ErrorSchema } from '../schemas/common.ts'
import { COUNTER_NAMES, QueueMetricsSchema, type QueueMetrics } from '../schemas/admin.ts'
import { PRIORITIES } from '../queue/keys.ts'
import { isRedisUnavailable, QueueUnavailableError } from '../queue/errors.ts'
import { BOT_API_DURATION, DELIVERY_LATENCY, exposeHistogram, parseTotals } from '../monitor/histograms.ts'
import type { Config } from '../config.ts'

const denied = { 401: ErrorSchema, 403: ErrorSchema, 503: ErrorSchema }
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const

export interface HistogramHashes { delivery: Record<string, string>, botApi: Record<string, string> }

export interface PrometheusExporter {
  registry: Registry
  render: (s: QueueMetrics, histograms: HistogramHashes) => Promise<string>
  /** Redis did not answer: tg_relay_redis_up 0 and this process's metrics, no stale queue values */
  renderDown: () => Promise<string>
}

/** A Prometheus registry whose values are set from a snapshot before each scrape. */
export function prometheusExporter (): PrometheusExporter {
  // queue: set from Redis on each scrape; local: this process's own, shown even when Redis is not
  const queue = new Registry()
  const registry = new Registry()
  const m = (name: string) => `tg_relay_${name}`
  const depth = new Gauge({ name: m('queue_depth'), help: 'Message ids waiting in each priority list', labelNames: ['priority'], registers: [queue] })
  const scheduled = new Gauge({ name: m('scheduled'), help: 'Scheduled sends and retries waiting for their time', registers: [queue] })
  const inFlight = new Gauge({ name: m('in_flight'), help: 'Messages claimed and being sent (all workers)', registers: [queue] })
  const waiting = new Gauge({ name: m('waiting_chats'), help: 'Chats with messages parked behind an earlier one or the chat rate limit', registers: [queue] })
  const dlq = new Gauge({ name: m('dlq_size'), help: 'Messages in the dead-letter queue', registers: [queue] })
  const events = new Counter({ name: m('messages_total'), help: 'Message events since the stats began (all workers)', labelNames: ['event'], registers: [queue] })
  const success = new Gauge({ name: m('success_ratio'), help: 'sent / (sent + failed + dead + expired)', registers: [queue] })
  const latency = new Gauge({ name: m('delivery_latency_recent_seconds'), help: 'Enqueue-to-delivery time of the last 1024 messages (the histogram is tg_relay_delivery_latency_seconds)', labelNames: ['quantile'], registers: [queue] })
  const oldest = new Gauge({ name: m('oldest_waiting_seconds'), help: 'How long the oldest message in each priority list has waited', labelNames: ['priority'], registers: [queue] })
  const redisUp = new Gauge({ name: m('redis_up'), help: '1 when this process could read the queue from Redis', registers: [registry] })
  const ahead = new Gauge({ name: m('rate_limiter_ahead_seconds'), help: 'How far the global rate limiter runs ahead of now', registers: [queue] })
  const pause = new Gauge({ name: m('rate_limit_pause_seconds'), help: 'Remaining bot-wide pause after a 429', registers: [queue] })
  const paused = new Gauge({ name: m('admin_paused'), help: '1 while an admin has paused delivery', registers: [queue] })
  const workers = new Gauge({ name: m('workers'), help: 'Workers with a recent heartbeat', registers: [queue] })
  const breaker = new Gauge({ name: m('breaker_state'), help: 'Circuit breaker state per process (1 for the current state)', labelNames: ['process', 'state'], registers: [queue] })
  collectDefaultMetrics({ register: registry, prefix: 'tg_relay_api_' })

  const setBreaker = (process: string, state: string) => {
    for (const s of BREAKER_STATES) breaker.set({ process, state: s }, s === state ? 1 : 0)
  }
  return {
    registry,
    async renderDown () {
      redisUp.set(0)
      return await registry.metrics()
    },
    async render (s, histograms) {
      redisUp.set(1)
      for (const p of PRIORITIES) depth.set({ priority: p }, s.depth[p])
      for (const p of PRIORITIES) oldest.set({ priority: p }, s.oldest_waiting_s[p])
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
      return await queue.metrics() + '\n' + await registry.metrics() + '\n' +
        exposeHistogram(DELIVERY_LATENCY, parseTotals(DELIVERY_LATENCY, histograms.delivery)) + '\n' +
        exposeHistogram(BOT_API_DURATION, parseTotals(BOT_API_DURATION, histograms.botApi))
    }
  }
}

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const metrics = app.metrics

  app.get('/api/telegram/queue/metrics', {
    schema: {
      tags: ['admin'],
      operationId: 'getQueueMetrics',
      summary: 'Queue depths, counters, success rate, latency, rate limiter, breaker, workers',
      security: [{ bearer: [] }],
      response: { 200: QueueMetricsSchema, ...denied }
    }
  }, async () => await metrics.snapshot())

  if (!config.TELEGRAM_ENABLE_METRICS) return
  const exporter = prometheusExporter()
  app.get('/metrics', {
    schema: {
      tags: ['admin'],
      operationId: 'getPrometheusMetrics',
      summary: 'The queue metrics in Prometheus text format',
      security: [{ bearer: [] }],
      produces: ['text/plain'],
      response: { 200: Type.String({ description: 'Prometheus exposition format 0.0.4' }), ...denied }
    }
  }, async (_request, reply) => {
    let text: string
    try {
      const snapshot = await metrics.snapshot()
      const [delivery, botApi] = await Promise.all([
        app.redis.hgetall(app.queue.keys.histogram('delivery')),
        app.redis.hgetall(app.queue.keys.histogram('bot_api'))
      ])
      text = await exporter.render(snapshot, { delivery, botApi })
    } catch (err) {
      if (!(err instanceof QueueUnavailableError) && !isRedisUnavailable(err)) throw err
      text = await exporter.renderDown()
    }
    return reply.type(exporter.registry.contentType).send(text)
  })
}
export default routes
