// Watches the queue in every process: each tick reads one snapshot, adds this
// step's sample to the chart history (one process per step) and, with
// ADMIN_ALERTS, checks the alerts (one alert per interval for the
// deployment). `app.monitor.history` serves the charts.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { loadBotStrings } from '../bot/strings.ts'
import { createAlerter, type Alerter } from '../monitor/alerts.ts'
import { createHistory, type History } from '../monitor/history.ts'
import { LOCALES_DIR } from './templates.ts'

declare module 'fastify' {
  interface FastifyInstance {
    monitor: { history: History, alerter?: Alerter, tick: () => Promise<void> }
  }
}

const TICK_MS = 2000

export default fp(async function monitorPlugin (app: FastifyInstance, opts: { config: Config, ticking?: boolean }) {
  const c = opts.config
  const log = app.log.child({ component: 'monitor' })
  const stepMs = c.METRICS_HISTORY_STEP * 1000
  const history = createHistory({ redis: app.redis, keys: app.queue.keys, stepMs })
  const metrics = app.metrics

  let alerter: Alerter | undefined
  if (c.ADMIN_ALERTS) {
    const strings = await loadBotStrings({ localesDir: LOCALES_DIR, defaultLanguage: c.DEFAULT_LANGUAGE, timezone: c.DEFAULT_TIMEZONE })
    const language = strings.pick(c.DEFAULT_LANGUAGE)
    const chats = c.TELEGRAM_ADMIN_CHAT_IDS.split(',').filter(Boolean).map(Number)
    alerter = createAlerter({
      redis: app.redis,
      keys: app.queue.keys,
      rules: { dlqThreshold: c.ALERT_DLQ_THRESHOLD, afterMs: c.ALERT_AFTER * 1000 },
      intervalMs: c.ALERT_INTERVAL * 1000,
      async send (kind, params) {
        const text = strings.t(language, `bot.alert.${kind}`, params)
        log.warn({ alert: kind, ...params }, 'alerting the admin chats')
        for (const chat of chats) {
          await app.queue.producer.enqueue({
            chatId: chat,
            calls: [{ method: 'sendMessage', params: { chat_id: chat, text } }],
            priority: 'high',
            expiresAt: Date.now() + c.MESSAGE_TTL * 1000,
            attempts: c.attempts,
            metadata: { alert: kind }
          })
        }
      }
    })
  }

  async function tick (): Promise<void> {
    const snapshot = await metrics.snapshot()
    await history.sample(snapshot)
    if (alerter) await alerter.check(snapshot)
  }

  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  app.decorate('monitor', { history, ...(alerter ? { alerter } : {}), tick })
  app.addHook('onReady', async () => {
    if (opts.ticking === false) return
    timer = setInterval(() => {
      // a slow Redis must not pile ticks up
      running ??= tick().catch(err => log.debug({ err }, 'monitor tick failed')).finally(() => { running = undefined })
    }, Math.min(TICK_MS, stepMs))
    timer.unref()
  })
  app.addHook('preClose', async () => {
    clearInterval(timer)
    await running
  })
}, { name: 'monitor', dependencies: ['redis', 'queue', 'telegram'] })
