// The Telegram bot in API processes: `app.bot` (dispatch one update, the
// webhook secret) for the webhook routes, and with TELEGRAM_ENABLE_WEBHOOKS=false
// a getUpdates poller started when the app is ready and stopped before close.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { botKeys } from '../bot/keys.ts'
import { createChatDirectory, type ChatDirectory } from '../bot/chat-directory.ts'
import { loadBotStrings } from '../bot/strings.ts'
import { dispatchUpdate, type Outcome } from '../bot/updates.ts'
import { createWebhookSecret, type WebhookSecret } from '../bot/webhook-secret.ts'
import { createPoller, type Poller } from '../bot/poller.ts'
import { createBotApi } from '../telegram/client.ts'
import type { BotContext } from '../bot/context.ts'
import { defaultAllowedUpdates } from '../schemas/update.ts'
import { LOCALES_DIR } from './templates.ts'
import type { TelegramTarget } from './telegram.ts'

declare module 'fastify' {
  interface FastifyInstance {
    bot: {
      dispatch (update: unknown): Promise<Outcome>
      webhookSecret: WebhookSecret
      /** registered and blocked chats (GET /api/telegram/chats) */
      chats: ChatDirectory
      /** only with TELEGRAM_ENABLE_WEBHOOKS=false */
      poller?: Poller
    }
  }
}

export default fp(async function botPlugin (app: FastifyInstance, opts: { config: Config, telegram: TelegramTarget }) {
  const c = opts.config
  const log = app.log.child({ component: 'bot' })
  const keys = botKeys(app.queue.keys.base)
  const chats = createChatDirectory(app.redis, app.queue.keys, keys)
  const ctx: BotContext = {
    chats,
    config: c,
    redis: app.redis,
    queueKeys: app.queue.keys,
    keys,
    producer: app.queue.producer,
    outbound: app.queue.outbound.producer,
    strings: await loadBotStrings({ localesDir: LOCALES_DIR, defaultLanguage: c.DEFAULT_LANGUAGE, timezone: c.DEFAULT_TIMEZONE }),
    breaker: app.telegram.breaker,
    log,
    adminChats: new Set(c.TELEGRAM_ADMIN_CHAT_IDS.split(',').filter(Boolean).map(Number))
  }
  const dispatch = (update: unknown) => dispatchUpdate(ctx, update)
  const webhookSecret = createWebhookSecret({ redis: app.redis, key: keys.webhookSecret, configured: c.TELEGRAM_WEBHOOK_SECRET })

  let poller: Poller | undefined
  if (!c.TELEGRAM_ENABLE_WEBHOOKS) {
    // a connection of its own: a long poll must not hold one of the senders'
    const api = createBotApi({ baseUrl: opts.telegram.apiUrl, token: opts.telegram.token, timeoutMs: c.TELEGRAM_API_TIMEOUT * 1000, connections: 1 })
    poller = createPoller({ redis: app.redis, lockKey: keys.pollerLock, api, dispatch, log, allowedUpdates: defaultAllowedUpdates(c.UPDATES_FORWARD_URL !== undefined) })
    const p = poller
    app.addHook('onReady', async () => { p.start() })
    app.addHook('preClose', async () => { await p.stop() })
    app.addHook('onClose', async () => { await api.close() })
  }
  app.decorate('bot', { dispatch, webhookSecret, chats, ...(poller ? { poller } : {}) })
}, { name: 'bot', dependencies: ['redis', 'queue', 'telegram'] })
