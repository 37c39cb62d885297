// The histograms this process observes into (`app.histograms`): delivery
// latency (the worker) and Bot API request time (the Telegram client). Their
// counts move to Redis once a second and on close (src/monitor/histograms.ts),
// so any API process's /metrics shows every process's observations.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { BOT_API_DURATION, createRecorder, DELIVERY_LATENCY, type HistogramRecorder } from '../monitor/histograms.ts'

declare module 'fastify' {
  interface FastifyInstance {
    histograms: { delivery: HistogramRecorder, botApi: HistogramRecorder }
  }
}

const FLUSH_MS = 1000

export default fp(async function metricsPlugin (app: FastifyInstance) {
  const histograms = { delivery: createRecorder(DELIVERY_LATENCY), botApi: createRecorder(BOT_API_DURATION) }
  const keys = app.queue.keys
  const flush = () => Promise.all([
    histograms.delivery.flush(app.redis, keys.histogram('delivery')),
    histograms.botApi.flush(app.redis, keys.histogram('bot_api'))
  ])
  let timer: NodeJS.Timeout | undefined
  app.decorate('histograms', histograms)
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
