// What this process reports on, built once for every route and plugin that
// needs it:
// - `app.histograms`: the histograms this process observes into, delivery
//   latency (the worker) and Bot API request time (the Telegram client). Their
//   counts move to Redis once a second and on close (src/monitor/histograms.ts),
//   so any API process's /metrics shows every process's observations.
// - `app.metrics`: the queue snapshot reader (queue/metrics.ts) for status,
//   metrics, /metrics and the monitor.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { BOT_API_DURATION, createRecorder, DELIVERY_LATENCY, type HistogramRecorder } from '../monitor/histograms.ts'
import { createMetrics, type Metrics } from '../queue/metrics.ts'
import type { Config } from '../config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    histograms: { delivery: HistogramRecorder, botApi: HistogramRecorder }
    metrics: Metrics
  }
}

const FLUSH_MS = 1000

export default fp(async function metricsPlugin (app: FastifyInstance, opts: { config: Config }) {
  const c = opts.config
  const histograms = { delivery: createRecorder(DELIVERY_LATENCY), botApi: createRecorder(BOT_API_DURATION) }
  const keys = app.queue.keys
  const flush = () => Promise.all([
    histograms.delivery.flush(app.redis, keys.histogram('delivery')),
    histograms.botApi.flush(app.redis, keys.histogram('bot_api'))
  ])
  let timer: NodeJS.Timeout | undefined
  app.decorate('histograms', histograms)
  app.decorate('metrics', createMetrics({
    redis: app.redis,
    keys,
    rate: {
      requests: c.TELEGRAM_RATE_LIMIT_REQUESTS,
      windowMs: c.TELEGRAM_RATE_LIMIT_WINDOW * 1000,
      chatIntervalMs: c.TELEGRAM_CHAT_RATE_INTERVAL,
      groupPerMinute: c.TELEGRAM_GROUP_RATE_PER_MINUTE
    },
    // read when a snapshot is taken: the telegram plugin, registered after
    // this one (it observes into app.histograms), is there by then
    localBreaker: () => app.telegram.breaker.state()
  }))
  app.addHook('onReady', async () => {
    timer = setInterval(() => { flush().catch(() => undefined) }, FLUSH_MS)
    timer.unref()
  })
  // onClose hooks run in reverse order: Redis is still connected here
  app.addHook('onClose', async () => {
    clearInterval(timer)
    await flush().catch(() => undefined)
  })
}, { name: 'metrics', dependencies: ['redis', 'queue'] })
