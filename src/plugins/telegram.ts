// The Bot API client and its circuit breaker: `app.telegram`. Shared by the
// routes (synchronous sends, status) and the worker in the same process.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createBotApi, type BotApi } from '../telegram/client.ts'
import { createBreaker, type Breaker } from '../telegram/breaker.ts'
import { timedBotApi } from '../telegram/timed-api.ts'
import type { Config } from '../config.ts'

declare module 'fastify' {
  interface FastifyInstance { telegram: { api: BotApi, breaker: Breaker } }
}

export interface TelegramTarget { apiUrl: string, token: string }

export default fp(async function telegramPlugin (app: FastifyInstance, opts: { config: Config, target: TelegramTarget }) {
  const c = opts.config
  const histogram = app.histograms.botApi
  const api = timedBotApi(createBotApi({
    baseUrl: opts.target.apiUrl,
    token: opts.target.token,
    timeoutMs: c.TELEGRAM_API_TIMEOUT * 1000,
    connections: c.TELEGRAM_CONNECTION_POOL_SIZE
  }), (seconds, method, outcome) => histogram.observe(seconds, method, outcome))
  const breaker = createBreaker(api, {
    resetMs: c.BREAKER_RESET_MS,
    errorPercent: c.BREAKER_ERROR_PERCENT,
    volume: c.BREAKER_VOLUME,
    log: app.log.child({ component: 'breaker' })
  })
  app.decorate('telegram', { api, breaker })
  app.addHook('onClose', async () => {
    breaker.shutdown()
    await api.close()
  })
}, { name: 'telegram', dependencies: ['metrics'] })
