// Builds the Fastify app: plugins first (errors, redis, queue, telegram,
// auth, worker), then routes. No listen here — server.ts does that — so tests
// build isolated instances.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify'
import type { FastifyChildLoggerFactory } from 'fastify/types/logger.js'
import { LazyChildLogger } from './log.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { LoggerOptions } from 'pino'
import type { Config } from './config.ts'
import errors from './plugins/errors.ts'
import validation from './plugins/validation.ts'
import docs from './plugins/docs.ts'
import redis from './plugins/redis.ts'
import { redisTopology } from './redis/topology.ts'
import queue from './plugins/queue.ts'
import metrics from './plugins/metrics.ts'
import telegram, { type TelegramTarget } from './plugins/telegram.ts'
import auth, { authScope } from './plugins/auth.ts'
import worker from './plugins/worker.ts'
import templates from './plugins/templates.ts'
import bot from './plugins/bot.ts'
import monitor from './plugins/monitor.ts'
import sendRoutes from './routes/send.ts'
import messageRoutes from './routes/messages.ts'
import healthRoutes from './routes/health.ts'
import adminStatusRoutes from './routes/admin-status.ts'
import adminMetricsRoutes from './routes/admin-metrics.ts'
import queueStatsRoutes from './routes/queue-stats.ts'
import adminDlqRoutes from './routes/admin-dlq.ts'
import adminWorkerRoutes from './routes/admin-worker.ts'
import adminHistoryRoutes from './routes/admin-history.ts'
import dashboardRoutes from './routes/dashboard.ts'
import templateRoutes from './routes/templates.ts'
import broadcastRoutes from './routes/broadcasts.ts'
import channelRoutes from './routes/channels.ts'
import webhookRoutes, { webhookReceiver } from './routes/webhook.ts'
import chatRoutes from './routes/chats.ts'

export interface AppOptions {
  config: Config
  /** the single server to use when the configuration names none (src/server.ts's local redis-server, a test's) */
  redisUrl?: string
  telegram: TelegramTarget
  adminToken: string
  logger?: LoggerOptions | false
  /** the routes without a connection or a worker, for the OpenAPI document (src/openapi.ts) */
  offline?: boolean
  /** told of every route as it is registered, before any plugin (test/admin/route-auth.test.ts walks them) */
  onRoute?: (route: RouteOptions) => void
}

/** pino options: secrets never reach a log line. */
export function loggerOptions (config: Config): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    redact: {
      // *.headers: plugins log request headers under their own keys too
      // (@fastify/multipart logs busboyOptions.headers at trace level)
      paths: [
        'req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]',
        '*.headers.authorization', '*.headers["x-telegram-bot-api-secret-token"]',
        '*.token', '*.TELEGRAM_BOT_TOKEN', '*.BOT_TOKEN', '*.REDIS_PASSWORD', '*.REDIS_URL', '*.ADMIN_TOKEN', '*.SERVICE_TOKEN', '*.TELEGRAM_WEBHOOK_SECRET', '*.secret_token'
      ],
      censor: '[redacted]'
    }
  }
}

/** request.log: created lazily (log.ts); a route's own level or serializers, or a logger that is not pino's, get the child at once. */
export const requestLogger: FastifyChildLoggerFactory = (logger, bindings, options) =>
  Object.keys(options).length > 0 || typeof (logger as { isLevelEnabled?: unknown }).isLevelEnabled !== 'function'
    ? logger.child(bindings, options)
    : new LazyChildLogger(logger as unknown as ConstructorParameters<typeof LazyChildLogger>[0], bindings, options) as unknown as FastifyBaseLogger

export async function buildApp (o: AppOptions): Promise<FastifyInstance> {
  const c = o.config
  const app = Fastify({
    logger: o.logger === undefined ? loggerOptions(c) : o.logger,
    bodyLimit: c.BODY_LIMIT,
    // per-request lines only when debugging: at 10k req/s they cost more than the request
    logController: new LogController({ disableRequestLogging: c.LOG_LEVEL !== 'debug' && c.LOG_LEVEL !== 'trace' }),
    childLoggerFactory: requestLogger,
    forceCloseConnections: true
  }).withTypeProvider<TypeBoxTypeProvider>()
  if (o.onRoute) app.addHook('onRoute', o.onRoute)

  await app.register(errors)
  await app.register(validation)
  await app.register(docs)
  const topology = redisTopology(c, o.redisUrl)
  if (topology === undefined) throw new Error('no Redis: set REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES')
  await app.register(redis, { topology, minReplicas: c.REDIS_MIN_REPLICAS_ACK, offline: o.offline ?? false })
  await app.register(queue, { config: c })
  await app.register(metrics, { config: c })
  await app.register(telegram, { config: c, target: o.telegram })
  await app.register(auth, { adminToken: o.adminToken, ...(c.SERVICE_TOKEN ? { serviceToken: c.SERVICE_TOKEN } : {}) })
  if (c.ROLE !== 'api' && !o.offline) {
    await app.register(worker, {
      config: c,
      topology,
      keys: {
        bookingEvents: c.BOOKING_EVENTS_SECRET ?? o.adminToken,
        updatesForward: c.UPDATES_FORWARD_SECRET ?? o.adminToken,
        deliveryEvents: c.DELIVERY_EVENTS_SECRET ?? o.adminToken
      }
    })
  }
  // offline (the OpenAPI build): the routes only, no ticking
  await app.register(monitor, { config: c, ticking: !o.offline })

  // public: probes, the dashboard page (it asks for the token), the docs; the
  // webhook receiver checks Telegram's secret itself
  await app.register(healthRoutes)
  if (c.ROLE !== 'worker') {
    await app.register(templates, { config: c })
    await app.register(bot, { config: c, telegram: o.telegram })
    await app.register(dashboardRoutes)
    if (c.TELEGRAM_ENABLE_WEBHOOKS) await app.register(webhookReceiver)
    // every route in these two scopes takes a token (plugins/auth.ts)
    await app.register(authScope('sender', async (scope) => {
      await scope.register(sendRoutes, { config: c })
      await scope.register(messageRoutes, { config: c })
      await scope.register(templateRoutes, { config: c })
      await scope.register(broadcastRoutes, { config: c })
      await scope.register(channelRoutes, { config: c })
      await scope.register(chatRoutes)
      await scope.register(queueStatsRoutes, { config: c })
    }))
    await app.register(authScope('admin', async (scope) => {
      await scope.register(adminStatusRoutes, { config: c, mode: c.sandbox ? 'sandbox' : 'live' })
      await scope.register(adminMetricsRoutes, { config: c })
      await scope.register(adminDlqRoutes, { config: c })
      await scope.register(adminWorkerRoutes)
      await scope.register(adminHistoryRoutes)
      await scope.register(webhookRoutes, { config: c })
    }))
  }
  return app
}
