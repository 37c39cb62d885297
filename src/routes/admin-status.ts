// GET /api/telegram/status: what an admin checks first. Bot identity (getMe,
// cached for a minute), webhook info, Redis health, workers, breakers. It
// answers even when Telegram or Redis does not: each part reports its error.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../schemas/common.ts'
import { StatusSchema, type Status } from '../schemas/admin.ts'
import { callTelegram } from '../telegram/call-error.ts'
import type { Config } from '../config.ts'

const BOT_CACHE_MS = 60_000
/** status must stay quick while Telegram is slow */
const TELEGRAM_WAIT_MS = 3000

interface BotUser { id: number, username?: string, first_name?: string, can_join_groups?: boolean }
interface WebhookInfo { url?: string, pending_update_count?: number, last_error_date?: number, last_error_message?: string }

const message = (err: unknown) => err instanceof Error ? err.message : String(err)

/** "key:value" lines of INFO */
export function parseInfo (text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':')
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim()
  }
  return out
}

const routes: FastifyPluginAsyncTypebox<{ config: Config, mode: 'sandbox' | 'live' }> = async (app, { config, mode }) => {
  const metrics = app.metrics
  const waitMs = Math.min(TELEGRAM_WAIT_MS, config.TELEGRAM_API_TIMEOUT * 1000)
  let bot: { at: number, user: BotUser } | undefined

  async function telegram<T> (method: string): Promise<T> {
    if (app.telegram.breaker.state() === 'open') throw new Error('Bot API circuit is open (Telegram unreachable)')
    const signal = AbortSignal.timeout(waitMs)
    return await callTelegram(() => app.telegram.api.call<T>(method, {}, { signal }), method).catch((err: unknown) => {
      throw signal.aborted ? new Error(`${method}: no answer within ${waitMs} ms`) : err
    })
  }

  async function identity (): Promise<Pick<Status, 'bot' | 'bot_error'>> {
    if (bot && Date.now() - bot.at < BOT_CACHE_MS) return { bot: bot.user }
    try {
      const u = await telegram<BotUser>('getMe')
      const user = { id: u.id, ...(u.username ? { username: u.username } : {}), ...(u.first_name ? { first_name: u.first_name } : {}), ...(u.can_join_groups !== undefined ? { can_join_groups: u.can_join_groups } : {}) }
      bot = { at: Date.now(), user }
      return { bot: user }
    } catch (err) {
      // an older identity is still the right one; say why it is not fresh
      return { bot: bot?.user ?? null, bot_error: message(err) }
    }
  }

  async function webhook (): Promise<Pick<Status, 'webhook' | 'webhook_error'>> {
    try {
      const w = await telegram<WebhookInfo>('getWebhookInfo')
      return {
        webhook: {
          url: w.url ?? '',
          pending_update_count: w.pending_update_count ?? 0,
          ...(w.last_error_date ? { last_error_date: w.last_error_date } : {}),
          ...(w.last_error_message ? { last_error_message: w.last_error_message } : {})
        }
      }
    } catch (err) {
      return { webhook: null, webhook_error: message(err) }
    }
  }

  async function redisHealth (): Promise<Status['redis']> {
    try {
      const started = process.hrtime.bigint()
      await app.redis.ping()
      const pingMs = Number(process.hrtime.bigint() - started) / 1e6
      const info = parseInfo(await app.redis.info())
      return {
        ok: info.loading !== '1',
        ...(info.redis_version ? { version: info.redis_version } : {}),
        ...(info.uptime_in_seconds ? { uptime_s: Number(info.uptime_in_seconds) } : {}),
        ...(info.used_memory_human ? { used_memory: info.used_memory_human } : {}),
        ...(info.maxmemory_policy ? { maxmemory_policy: info.maxmemory_policy } : {}),
        ...(info.aof_enabled ? { aof: info.aof_enabled === '1' } : {}),
        ping_ms: Math.round(pingMs * 100) / 100,
        ...(info.loading === '1' ? { error: 'loading its data set' } : {})
      }
    } catch (err) {
      return { ok: false, error: message(err) }
    }
  }

  app.get('/api/telegram/status', {
    schema: {
      tags: ['admin'],
      operationId: 'getStatus',
      summary: 'Bot identity, webhook, Redis health, workers and breakers',
      security: [{ bearer: [] }],
      response: { 200: StatusSchema, 401: ErrorSchema, 403: ErrorSchema }
    }
  }, async () => {
    const [who, hook, redis, snapshot] = await Promise.all([identity(), webhook(), redisHealth(), metrics.snapshot().catch(() => undefined)])
    return {
      mode,
      ...who,
      ...hook,
      redis,
      paused: snapshot ? snapshot.rate_limiter.paused : null,
      breaker: snapshot?.breaker ?? { local: app.telegram.breaker.state(), workers: [] },
      workers: snapshot?.workers.live ?? []
    }
  })
}
export default routes
