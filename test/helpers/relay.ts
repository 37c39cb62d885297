// Builds a complete tg-relay (API + worker) against a test redis-server and
// the Bot API emulator over real HTTP, listening on a free port.
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { LoggerOptions } from 'pino'
import { request } from 'undici'
import { buildApp, type AppOptions } from '../../src/app.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { startEmulator, type Emulator, type EmulatorLimits } from '../../src/emulator/index.ts'
import type { RedisServer } from '../../src/redis/server-process.ts'
import { redisServer } from './redis.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789'
export const SERVICE_TOKEN = 'test-service-token-0123456789'
export const BOT_TOKEN = '123456:TEST-token_abcdef'

/** Settings that make tests fast: short backoff, lease and timeouts. */
export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  ADMIN_TOKEN,
  SERVICE_TOKEN,
  TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  TELEGRAM_API_TIMEOUT: '1',
  QUEUE_BACKOFF_DELAY: '50',
  QUEUE_BACKOFF_MAX: '400',
  QUEUE_LEASE_MS: '1000',
  BREAKER_RESET_MS: '300',
  TELEGRAM_RATE_LIMIT_REQUESTS: '1000',
  TELEGRAM_CHAT_RATE_INTERVAL: '0',
  TELEGRAM_GROUP_RATE_PER_MINUTE: '60000',
  QUEUE_MAX_CONCURRENT_JOBS: '8'
}

export interface Relay {
  app: FastifyInstance
  url: string
  config: Config
  emulator: Emulator
  redis: RedisServer
  /** JSON request with the service token unless headers say otherwise */
  call (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number, body: any, headers: Record<string, unknown> }> // eslint-disable-line @typescript-eslint/no-explicit-any
  send (body: Record<string, unknown>): ReturnType<Relay['call']>
}

export async function startRelay (t: Test, o: { env?: Record<string, string>, emulator?: Emulator, limits?: EmulatorLimits | false, redis?: RedisServer, logger?: LoggerOptions | false, onRoute?: AppOptions['onRoute'] } = {}): Promise<Relay> {
  const redis = o.redis ?? await redisServer(t)
  const emulator = o.emulator ?? await startEmulator({ limits: o.limits ?? false })
  if (!o.emulator) t.teardown(() => emulator.close())
  const config = loadConfig({ ...TEST_ENV, REDIS_URL: redis.url, ...o.env })
  const app = await buildApp({ config, redisUrl: redis.url, telegram: { apiUrl: emulator.url, token: BOT_TOKEN }, adminToken: ADMIN_TOKEN, logger: o.logger ?? false, ...(o.onRoute ? { onRoute: o.onRoute } : {}) })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())

  const call: Relay['call'] = async (method, path, body, headers = {}) => {
    const res = await request(url + path, {
      method: method as 'GET',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) })
    })
    const text = await res.body.text()
    let parsed: unknown = text
    try { parsed = JSON.parse(text) } catch { /* not JSON */ }
    return { status: res.statusCode, body: parsed, headers: res.headers }
  }
  return { app, url, config, emulator, redis, call, send: body => call('POST', '/api/telegram/send', body) }
}
