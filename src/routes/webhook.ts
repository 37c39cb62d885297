// Telegram's webhook and its admin routes. The receiver authenticates by the
// X-Telegram-Bot-Api-Secret-Token header before reading the body, reads any
// body without failing (a 4xx would make Telegram resend it forever), hands
// the update to app.bot (which only queues work) and answers 200 at once.
// Setup, delete and info call the Bot API synchronously: an admin wants to know.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { Config } from '../config.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { callTelegram } from '../telegram/call-error.ts'
import { QueueUnavailableError } from '../queue/errors.ts'
import { defaultAllowedUpdates, UPDATE_TYPES } from '../schemas/update.ts'

const SetupBodySchema = Type.Object({
  url: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2048, description: 'public URL of POST /api/telegram/webhook; default TELEGRAM_WEBHOOK_URL' })),
  drop_pending_updates: Type.Optional(Type.Boolean({ description: 'drop updates Telegram holds for the bot' })),
  allowed_updates: Type.Optional(Type.Array(Type.Union(UPDATE_TYPES.map(u => Type.Literal(u))), {
    maxItems: UPDATE_TYPES.length,
    description: 'update types to receive; default what the bot reads (message, callback_query, my_chat_member), or with UPDATES_FORWARD_URL every type Telegram sends by default'
  }))
}, { additionalProperties: false })

const SetupResultSchema = Type.Object({
  ok: Type.Literal(true),
  url: Type.String(),
  allowed_updates: Type.Array(Type.String()),
  drop_pending_updates: Type.Boolean(),
  secret_source: Type.Union([Type.Literal('config'), Type.Literal('stored'), Type.Literal('generated')], {
    description: 'config: TELEGRAM_WEBHOOK_SECRET; generated/stored: one kept in Redis and reused (never shown)'
  })
})

const WebhookInfoSchema = Type.Object({
  url: Type.String({ description: 'empty when no webhook is set' }),
  has_custom_certificate: Type.Boolean(),
  pending_update_count: Type.Integer(),
  ip_address: Type.Optional(Type.String()),
  last_error_date: Type.Optional(Type.Integer()),
  last_error_message: Type.Optional(Type.String()),
  last_synchronization_error_date: Type.Optional(Type.Integer()),
  max_connections: Type.Optional(Type.Integer()),
  allowed_updates: Type.Optional(Type.Array(Type.String())),
  webhooks_enabled: Type.Boolean({ description: 'TELEGRAM_ENABLE_WEBHOOKS; false: this service long-polls getUpdates' }),
  poller: Type.Optional(Type.Object({ running: Type.Boolean(), leader: Type.Boolean({ description: 'this process holds the polling lock' }), offset: Type.Integer() }))
}, { additionalProperties: true })

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema }

/** The admin routes (app.ts registers them in the admin scope). */
const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  // a failure is a TelegramCallError: src/plugins/errors.ts answers it
  const telegram = <T>(method: string, params: Record<string, unknown>): Promise<T> =>
    callTelegram(() => app.telegram.api.call<T>(method, params), method)

  app.post('/api/telegram/webhook/setup', {
    // a bare POST (no body) means "all defaults"
    preValidation: async (request) => { request.body ??= {} },
    schema: {
      tags: ['webhook'],
      operationId: 'setupWebhook',
      summary: 'Point Telegram at this service\'s webhook (setWebhook, always with a secret_token)',
      security: [{ bearer: [] }],
      body: SetupBodySchema,
      response: { 200: SetupResultSchema, ...errors }
    }
  }, async (request, reply) => {
    if (!config.TELEGRAM_ENABLE_WEBHOOKS) {
      return reply.code(409).send({ error: 'Conflict', message: 'webhooks are disabled (TELEGRAM_ENABLE_WEBHOOKS=false): this service long-polls getUpdates' })
    }
    const body = request.body
    const url = body.url ?? config.TELEGRAM_WEBHOOK_URL
    if (url === undefined) {
      return reply.code(400).send({ error: 'Bad Request', message: 'body.url is required when TELEGRAM_WEBHOOK_URL is not configured', details: [{ field: 'body.url', message: 'is required when TELEGRAM_WEBHOOK_URL is not configured' }] })
    }
    const { secret, source } = await app.bot.webhookSecret.ensure()
    const allowed = body.allowed_updates ?? defaultAllowedUpdates(config.UPDATES_FORWARD_URL !== undefined)
    const drop = body.drop_pending_updates ?? false
    await telegram('setWebhook', { url, secret_token: secret, allowed_updates: allowed, drop_pending_updates: drop })
    request.log.info({ url, allowed_updates: allowed, secret_source: source }, 'webhook set')
    return { ok: true as const, url, allowed_updates: allowed, drop_pending_updates: drop, secret_source: source }
  })

  app.delete('/api/telegram/webhook', {
    schema: {
      tags: ['webhook'],
      operationId: 'deleteWebhook',
      summary: 'Remove the webhook (deleteWebhook)',
      security: [{ bearer: [] }],
      querystring: Type.Object({ drop_pending_updates: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors }
    }
  }, async (request) => {
    await telegram('deleteWebhook', { drop_pending_updates: request.query.drop_pending_updates ?? false })
    request.log.info('webhook deleted')
    return { ok: true as const }
  })

  app.get('/api/telegram/webhook', {
    schema: {
      tags: ['webhook'],
      operationId: 'getWebhookInfo',
      summary: 'Webhook state as Telegram sees it (getWebhookInfo)',
      security: [{ bearer: [] }],
      response: { 200: WebhookInfoSchema, ...errors }
    }
  }, async () => {
    const info = await telegram<Record<string, unknown>>('getWebhookInfo', {})
    const poller = app.bot.poller?.state()
    return { ...info, webhooks_enabled: config.TELEGRAM_ENABLE_WEBHOOKS, ...(poller ? { poller } : {}) } as typeof WebhookInfoSchema.static
  })
}

/**
 * POST /api/telegram/webhook, public (its secret is its auth) and in its own
 * scope: its lenient JSON parser applies to it alone.
 */
export const webhookReceiver: FastifyPluginAsyncTypebox = async (app) => {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(null, undefined)
    }
  })

  app.post('/api/telegram/webhook', {
    onRequest: async (request, reply) => {
      const header = request.headers['x-telegram-bot-api-secret-token']
      if (!await app.bot.webhookSecret.matches(typeof header === 'string' ? header : undefined)) {
        return await reply.code(401).send({ error: 'Unauthorized', message: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' })
      }
    },
    schema: {
      tags: ['webhook'],
      operationId: 'receiveUpdate',
      summary: 'Updates from Telegram (authenticated by X-Telegram-Bot-Api-Secret-Token)',
      description: 'Always 200 for an authenticated request, even for an update it cannot read (Telegram would resend it forever); 503 when Redis is down, so Telegram retries.',
      security: [{ telegramSecretToken: [] }],
      response: { 200: Type.Object({ ok: Type.Boolean() }), 401: ErrorSchema, 503: ErrorSchema }
    }
  }, async (request) => {
    try {
      await app.bot.dispatch(request.body)
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw err
      request.log.error({ err }, 'webhook update failed; dropped')
    }
    return { ok: true }
  })
}

export default routes
