// The only module that reads process.env. Every variable is declared once in
// EnvSchema (type, default, description); loadConfig validates and converts it
// and fails with one line naming the variable and the expected form.
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

const Bool = (def: boolean, description: string) => Type.Boolean({ default: def, description })
const Int = (def: number, description: string, min = 0, max?: number) =>
  Type.Integer({ default: def, minimum: min, ...(max === undefined ? {} : { maximum: max }), description })
const Num = (def: number, description: string, min = 0) => Type.Number({ default: def, minimum: min, description })
const HOST_PORTS = '^[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*$'
const Str = (description: string, extra: Record<string, unknown> = {}) => Type.Optional(Type.String({ description, ...extra }))

export const EnvSchema = Type.Object({
  PORT: Int(3000, 'HTTP port', 0, 65535),
  HOST: Type.String({ default: '0.0.0.0', description: 'HTTP listen address' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map(l => Type.Literal(l)), { default: 'info', description: 'pino log level' }),
  ROLE: Type.Union([Type.Literal('all'), Type.Literal('api'), Type.Literal('worker')], { default: 'all', description: 'api, worker or all (both in one process)' }),

  REDIS_URL: Str('redis://host:port/db; unset: built from REDIS_HOST…, or else a local redis-server under ./data/redis', { pattern: '^rediss?://' }),
  REDIS_HOST: Str('Redis host, when REDIS_URL is unset (the resilient API\'s variables)', { pattern: '^[A-Za-z0-9_.:\\[\\]-]+$' }),
  REDIS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Redis port with REDIS_HOST (default 6379)' })),
  REDIS_PASSWORD: Str('Redis password with REDIS_HOST, REDIS_SENTINELS or REDIS_CLUSTER_NODES'),
  REDIS_USERNAME: Str('Redis ACL user with REDIS_HOST'),
  REDIS_DB: Type.Optional(Type.Integer({ minimum: 0, maximum: 15, description: 'Redis database number with REDIS_HOST (default 0)' })),
  REDIS_TLS: Type.Optional(Type.Boolean({ description: 'true: connect to REDIS_HOST over TLS (rediss://)' })),
  REDIS_PREFIX: Type.String({ default: 'tg', pattern: '^[A-Za-z0-9_.-]+$', description: 'key prefix; all keys live under the hash tag {prefix}' }),
  REDIS_DATA_DIR: Type.String({ default: './data/redis', description: 'data dir of the local redis-server (only when REDIS_URL is unset)' }),
  REDIS_SENTINELS: Str('Sentinels host:port,host:port,…: follow the primary they name (replaces REDIS_URL)', { pattern: HOST_PORTS }),
  REDIS_SENTINEL_NAME: Type.String({ default: 'mymaster', pattern: '^[A-Za-z0-9_.-]+$', description: 'the primary\'s name in the Sentinels\' configuration' }),
  REDIS_SENTINEL_PASSWORD: Str('password of the Sentinels themselves (requirepass in sentinel.conf)'),
  REDIS_CLUSTER_NODES: Str('Redis Cluster seed nodes host:port,host:port,… (replaces REDIS_URL)', { pattern: HOST_PORTS }),
  REDIS_MIN_REPLICAS_ACK: Int(0, 'replicas that must have a write before it is answered 202 (WAIT); 0: do not wait', 0, 16),
  REDIS_WAIT_TIMEOUT_MS: Int(500, 'how long a 202 waits for REDIS_MIN_REPLICAS_ACK replicas before it becomes a 503', 1, 60000),

  TELEGRAM_BOT_TOKEN: Str('bot token; unset (and no BOT_TOKEN): sandbox mode with the built-in Bot API emulator', { pattern: '^\\d+:[A-Za-z0-9_-]+$' }),
  BOT_TOKEN: Str('the scheduler\'s name for the bot token, read when TELEGRAM_BOT_TOKEN is unset', { pattern: '^\\d+:[A-Za-z0-9_-]+$' }),
  TELEGRAM_API_URL: Type.String({ default: 'https://api.telegram.org', pattern: '^https?://', description: 'Bot API server base URL' }),
  TELEGRAM_CHAT_ID: Str('default admin chat for booking notifications (integer or @channel)', { pattern: '^(-?\\d+|@[A-Za-z0-9_]{4,})$' }),
  TELEGRAM_WEBHOOK_URL: Str('public webhook URL', { pattern: '^https?://' }),
  TELEGRAM_WEBHOOK_SECRET: Str('secret_token for the webhook (1-256 of A-Z a-z 0-9 _ -)', { pattern: '^[A-Za-z0-9_-]{1,256}$' }),
  TELEGRAM_ADMIN_CHAT_IDS: Type.String({ default: '', pattern: '^(-?\\d+(,-?\\d+)*)?$', description: 'comma-separated chat ids allowed to use /status (and sent ADMIN_ALERTS)' }),
  ADMIN_ALERTS: Bool(false, 'send alerts (DLQ, breaker, 429 pause, no worker) to TELEGRAM_ADMIN_CHAT_IDS'),
  ALERT_DLQ_THRESHOLD: Int(0, 'alert when the dead-letter queue holds more than this many messages'),
  ALERT_AFTER: Int(60, 'seconds the breaker is open, the bot paused by a 429 or no worker alive before an alert', 1),
  ALERT_INTERVAL: Int(3600, 'seconds; each alert at most once per interval for the whole deployment', 1),
  METRICS_HISTORY_STEP: Int(60, 'seconds between the samples behind the dashboard charts (the last hour, at most 360 samples)', 1, 3600),
  BOT_UPDATE_RATE_PER_MINUTE: Int(10, 'updates per user per minute before the bot stops answering', 1),
  BOOKING_EVENTS_URL: Str('where booking button presses are POSTed (HMAC-signed)', { pattern: '^https?://' }),
  BOOKING_EVENTS_SECRET: Str('HMAC-SHA256 key for BOOKING_EVENTS_URL (default: ADMIN_TOKEN)', { minLength: 16 }),
  DELIVERY_EVENTS_URL: Str('where every message\'s delivery events are POSTed (HMAC-signed); callback_url adds one per message', { pattern: '^https?://' }),
  DELIVERY_EVENTS_SECRET: Str('HMAC-SHA256 key for delivery events (default: ADMIN_TOKEN)', { minLength: 16 }),
  UPDATES_FORWARD_URL: Str('where updates the bot does not answer itself are POSTed (HMAC-signed)', { pattern: '^https?://' }),
  UPDATES_FORWARD_SECRET: Str('HMAC-SHA256 key for UPDATES_FORWARD_URL (default: ADMIN_TOKEN)', { minLength: 16 }),
  TELEGRAM_API_TIMEOUT: Num(30, 'Bot API request timeout, seconds', 0.1),
  TELEGRAM_CONNECTION_POOL_SIZE: Int(10, 'HTTP connections to the Bot API', 1, 1000),
  TELEGRAM_MAX_RETRIES: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'alias of QUEUE_DEFAULT_ATTEMPTS kept for old deployments' })),
  TELEGRAM_RETRY_BACKOFF_FACTOR: Num(2, 'exponential backoff factor', 1),
  TELEGRAM_RATE_LIMIT_REQUESTS: Int(30, 'global sends per window (all workers)', 1, 1000),
  TELEGRAM_RATE_LIMIT_WINDOW: Num(1, 'global rate window, seconds', 0.001),
  TELEGRAM_PAID_RATE_LIMIT: Int(1000, 'sends per second for messages with allow_paid_broadcast (all workers; bots enabled for paid broadcasts)', 1, 1000),
  TELEGRAM_CHAT_RATE_INTERVAL: Int(1000, 'min ms between two sends to one chat', 0),
  TELEGRAM_GROUP_RATE_PER_MINUTE: Int(20, 'sends per minute to one group/channel', 1),
  TELEGRAM_QUEUE_NAME: Type.String({ default: 'queue', pattern: '^[A-Za-z0-9_.-]+$', description: 'queue key name' }),
  TELEGRAM_DLQ_NAME: Type.String({ default: 'dlq', pattern: '^[A-Za-z0-9_.-]+$', description: 'dead-letter key name' }),
  TELEGRAM_ENABLE_QUEUE: Bool(true, 'false: /send delivers synchronously, like queue:false'),
  TELEGRAM_ENABLE_WEBHOOKS: Bool(true, 'accept webhook updates (false: long-poll getUpdates)'),
  TELEGRAM_ENABLE_METRICS: Bool(true, 'serve /metrics'),

  QUEUE_MAX_CONCURRENT_JOBS: Int(5, 'parallel sends per worker process', 1, 1000),
  QUEUE_DEFAULT_ATTEMPTS: Int(5, 'delivery attempts per message', 1, 100),
  QUEUE_BACKOFF_DELAY: Int(2000, 'first retry delay, ms', 1),
  QUEUE_BACKOFF_MAX: Int(900000, 'longest retry delay, ms', 1),
  QUEUE_LEASE_MS: Int(30000, 'in-flight lease; a dead worker\'s message returns after it', 1000),
  MESSAGE_TTL: Int(86400, 'default message time-to-live, seconds', 1),
  MESSAGE_LOG_RETENTION: Int(604800, 'how long finished messages stay readable, seconds', 60),
  DELIVERY_GUARANTEE: Type.Union([Type.Literal('at-least-once'), Type.Literal('at-most-once')], { default: 'at-least-once', description: 'what to do when a send may or may not have reached Telegram' }),
  BREAKER_RESET_MS: Int(5000, 'how long the breaker stays open before a probe', 100),
  BREAKER_ERROR_PERCENT: Int(50, 'failure percentage that opens the breaker', 1, 100),
  BREAKER_VOLUME: Int(10, 'minimum calls in the window before the breaker may open', 1),

  ADMIN_TOKEN: Str('bearer token for admin routes (required in live mode)', { minLength: 16 }),
  SERVICE_TOKEN: Str('bearer token for send routes', { minLength: 16 }),
  DEFAULT_LANGUAGE: Type.String({ default: 'ru', pattern: '^[a-z]{2}$', description: 'template language when none is given' }),
  DEFAULT_TIMEZONE: Type.String({ default: 'Europe/Moscow', description: 'IANA timezone for dates in templates' }),
  BODY_LIMIT: Int(1048576, 'JSON body limit, bytes', 1024)
}, { additionalProperties: true })

export type Env = Static<typeof EnvSchema>

export interface Config extends Env {
  sandbox: boolean
  attempts: number
}

export class ConfigError extends Error {
  code = 'CONFIG_INVALID'
}

function expected (schema: TSchema): string {
  if (schema.anyOf) return `one of ${(schema.anyOf as TSchema[]).map(s => String(s.const)).join(', ')}`
  const parts: string[] = [schema.type === 'integer' ? 'an integer' : schema.type === 'number' ? 'a number' : schema.type === 'boolean' ? 'true or false' : 'a string']
  if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`)
  if (schema.maximum !== undefined) parts.push(`<= ${schema.maximum}`)
  if (schema.pattern) parts.push(`matching ${schema.pattern}`)
  if (schema.minLength) parts.push(`of at least ${schema.minLength} characters`)
  return parts.join(' ')
}

/** Validates and converts the environment. Empty strings count as unset. */
export function loadConfig (env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const v = env[key]
    if (v !== undefined && v !== '') raw[key] = v
  }
  const converted = Value.Default(EnvSchema, Value.Convert(EnvSchema, raw))
  const first = Value.Errors(EnvSchema, converted).First()
  if (first) {
    const name = first.path.split('/')[1] ?? first.path
    const schema = (EnvSchema.properties as Record<string, TSchema>)[name]
    const shown = name.endsWith('TOKEN') || name.endsWith('SECRET') || name.endsWith('PASSWORD') ? '(hidden)' : JSON.stringify(env[name])
    throw new ConfigError(`invalid ${name}=${shown}: expected ${schema ? expected(schema) : first.message}`)
  }
  const parsed = converted as Env
  const token = parsed.TELEGRAM_BOT_TOKEN ?? parsed.BOT_TOKEN
  const redisUrl = parsed.REDIS_URL ?? redisUrlFromParts(parsed)
  if (parsed.REDIS_SENTINELS !== undefined && parsed.REDIS_CLUSTER_NODES !== undefined) {
    throw new ConfigError('invalid REDIS_SENTINELS with REDIS_CLUSTER_NODES: expected one of them (Sentinel or Cluster), not both')
  }
  if (parsed.ADMIN_ALERTS && parsed.TELEGRAM_ADMIN_CHAT_IDS === '') {
    throw new ConfigError('invalid ADMIN_ALERTS=true: expected TELEGRAM_ADMIN_CHAT_IDS to name the chats the alerts go to')
  }
  return {
    ...parsed,
    // a token under either name is live mode: never a silent sandbox
    ...(token !== undefined ? { TELEGRAM_BOT_TOKEN: token } : {}),
    ...(redisUrl !== undefined ? { REDIS_URL: redisUrl } : {}),
    sandbox: token === undefined,
    attempts: parsed.TELEGRAM_MAX_RETRIES ?? parsed.QUEUE_DEFAULT_ATTEMPTS
  }
}

/** REDIS_HOST, REDIS_PORT… (the resilient API's variables) as a URL; none of host or port set: undefined. */
function redisUrlFromParts (e: Env): string | undefined {
  if (e.REDIS_HOST === undefined && e.REDIS_PORT === undefined) return undefined
  const host = e.REDIS_HOST ?? '127.0.0.1'
  const user = e.REDIS_USERNAME !== undefined ? encodeURIComponent(e.REDIS_USERNAME) : ''
  const auth = e.REDIS_PASSWORD !== undefined ? `${user}:${encodeURIComponent(e.REDIS_PASSWORD)}@` : user !== '' ? `${user}@` : ''
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return `${e.REDIS_TLS === true ? 'rediss' : 'redis'}://${auth}${bracketed}:${e.REDIS_PORT ?? 6379}/${e.REDIS_DB ?? 0}`
}
