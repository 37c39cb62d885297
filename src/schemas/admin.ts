// Admin API shapes: queue metrics, service status, the dead-letter queue and
// the worker pause flag. They validate, type (Static) and document (OpenAPI).
import { Type, type Static } from '@sinclair/typebox'
import { MessageSchema } from './message.ts'

const Count = (description: string) => Type.Integer({ minimum: 0, description })
const BreakerStateSchema = Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('half-open')])

export const WorkerInfoSchema = Type.Object({
  id: Type.String({ description: 'host:pid:random' }),
  host: Type.String(),
  pid: Type.Integer(),
  running: Type.Boolean(),
  in_flight: Count('sends in progress'),
  delivered: Count('messages delivered since it started'),
  breaker: BreakerStateSchema,
  started_at: Type.String(),
  seen_at: Type.String({ description: 'last heartbeat' })
})
export type WorkerInfo = Static<typeof WorkerInfoSchema>

export const COUNTER_NAMES = ['queued', 'sent', 'retried', 'failed', 'dead', 'expired', 'cancelled', 'uncertain', 'rate_limited', 'migrated', 'requeued', 'bot_updates', 'bot_duplicate_updates', 'bot_rate_limited'] as const
export type CounterName = typeof COUNTER_NAMES[number]

export const QueueMetricsSchema = Type.Object({
  at: Type.String({ description: 'when the snapshot was taken' }),
  depth: Type.Object({
    critical: Count('ids waiting in the critical list'),
    high: Count('ids waiting in the high list'),
    normal: Count('ids waiting in the normal list'),
    low: Count('ids waiting in the low list'),
    total: Count('all four')
  }, { description: 'queue lists (may include cancelled ids not yet dropped by a claim)' }),
  scheduled: Count('scheduled sends and retries waiting for their time'),
  in_flight: Count('claimed, being sent'),
  waiting_chats: Count('chats with messages parked behind an earlier one or the chat rate limit'),
  dlq: Count('dead-letter queue size'),
  oldest_waiting_s: Type.Object({
    critical: Type.Number({ minimum: 0 }),
    high: Type.Number({ minimum: 0 }),
    normal: Type.Number({ minimum: 0 }),
    low: Type.Number({ minimum: 0 })
  }, { description: 'seconds the oldest message in each priority list has waited (0: empty)' }),
  counters: Type.Object(Object.fromEntries(COUNTER_NAMES.map(n => [n, Count(`${n} since the stats began (all workers)`)])) as Record<CounterName, ReturnType<typeof Count>>),
  success_rate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'sent / (sent + failed + dead + expired); null before any outcome' }),
  latency_ms: Type.Object({
    samples: Count('recent deliveries measured (up to 1024)'),
    p50: Type.Union([Type.Number(), Type.Null()]),
    p90: Type.Union([Type.Number(), Type.Null()]),
    p99: Type.Union([Type.Number(), Type.Null()])
  }, { description: 'enqueue (or send_at) to delivery, recent messages' }),
  rate_limiter: Type.Object({
    requests: Type.Integer({ description: 'TELEGRAM_RATE_LIMIT_REQUESTS' }),
    window_ms: Type.Number(),
    chat_interval_ms: Type.Integer(),
    group_per_minute: Type.Integer(),
    ahead_ms: Type.Number({ description: 'how far the global limiter\'s schedule runs ahead of now (0: idle)' }),
    pause_ms: Type.Integer({ description: 'remaining bot-wide pause after a 429' }),
    paused: Type.Boolean({ description: 'delivery paused by an admin (POST /api/telegram/worker/stop)' })
  }),
  breaker: Type.Object({
    local: BreakerStateSchema,
    workers: Type.Array(Type.Object({ worker: Type.String(), state: BreakerStateSchema }))
  }, { description: 'this API process\'s breaker and each worker\'s, from its heartbeat' }),
  workers: Type.Object({
    live: Type.Array(WorkerInfoSchema),
    gone: Type.Array(Type.String(), { description: 'workers whose heartbeat stopped; removed now' })
  })
}, {
  description: 'One snapshot of the queue, all workers',
  examples: [{
    at: '2025-01-15T10:00:00.000Z',
    depth: { critical: 0, high: 2, normal: 14, low: 0, total: 16 },
    scheduled: 3,
    in_flight: 5,
    waiting_chats: 1,
    dlq: 2,
    oldest_waiting_s: { critical: 0, high: 0.4, normal: 2.1, low: 0 },
    // every counter, so one added to COUNTER_NAMES keeps the example valid
    counters: Object.fromEntries(COUNTER_NAMES.map(n => [n, ({ queued: 1042, sent: 1019, retried: 12, dead: 2, cancelled: 1 } as Partial<Record<CounterName, number>>)[n] ?? 0])),
    success_rate: 0.998,
    latency_ms: { samples: 1019, p50: 4, p90: 9, p99: 31 },
    rate_limiter: { requests: 30, window_ms: 1000, chat_interval_ms: 1000, group_per_minute: 20, ahead_ms: 0, pause_ms: 0, paused: false },
    breaker: { local: 'closed', workers: [{ worker: 'host-a:4242:k3j2ab', state: 'closed' }] },
    workers: { live: [], gone: [] }
  }]
})
export type QueueMetrics = Static<typeof QueueMetricsSchema>

export const StatusSchema = Type.Object({
  mode: Type.Union([Type.Literal('sandbox'), Type.Literal('live')]),
  bot: Type.Union([Type.Object({
    id: Type.Integer(),
    username: Type.Optional(Type.String()),
    first_name: Type.Optional(Type.String()),
    can_join_groups: Type.Optional(Type.Boolean())
  }), Type.Null()], { description: 'getMe (cached for a minute); null when Telegram did not answer' }),
  bot_error: Type.Optional(Type.String()),
  webhook: Type.Union([Type.Object({
    url: Type.String(),
    pending_update_count: Type.Integer(),
    last_error_date: Type.Optional(Type.Integer()),
    last_error_message: Type.Optional(Type.String())
  }), Type.Null()], { description: 'getWebhookInfo; null when Telegram did not answer' }),
  webhook_error: Type.Optional(Type.String()),
  redis: Type.Object({
    ok: Type.Boolean(),
    version: Type.Optional(Type.String()),
    uptime_s: Type.Optional(Type.Integer()),
    used_memory: Type.Optional(Type.String()),
    maxmemory_policy: Type.Optional(Type.String()),
    aof: Type.Optional(Type.Boolean()),
    ping_ms: Type.Optional(Type.Number()),
    error: Type.Optional(Type.String())
  }),
  paused: Type.Union([Type.Boolean(), Type.Null()], { description: 'delivery paused by an admin; null when Redis did not answer' }),
  breaker: QueueMetricsSchema.properties.breaker,
  workers: Type.Array(WorkerInfoSchema)
}, {
  description: 'Service status',
  examples: [{
    mode: 'live',
    bot: { id: 123456, username: 'studio_bot', first_name: 'Studio' },
    webhook: { url: 'https://relay.example.com/api/telegram/webhook', pending_update_count: 0 },
    redis: { ok: true, version: '7.0.15', uptime_s: 86400, used_memory: '2.1M', maxmemory_policy: 'noeviction', aof: true, ping_ms: 0.4 },
    paused: false,
    breaker: { local: 'closed', workers: [{ worker: 'host-a:4242:k3j2ab', state: 'closed' }] },
    workers: []
  }]
})
export type Status = Static<typeof StatusSchema>

export const DlqEntrySchema = Type.Composite([MessageSchema, Type.Object({
  dead_at: Type.String({ description: 'when it entered the DLQ' })
})])
export type DlqEntry = Static<typeof DlqEntrySchema>

export const DlqQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ pattern: '^\\d+\\.[A-Za-z0-9_-]+$', description: 'next_cursor of the previous page' }))
}, { additionalProperties: false })

export const DlqPageSchema = Type.Object({
  total: Count('entries in the DLQ now'),
  entries: Type.Array(DlqEntrySchema, { description: 'newest first; history holds every attempt\'s error' }),
  next_cursor: Type.Optional(Type.String())
}, {
  description: 'One page of the dead-letter queue',
  examples: [{
    total: 1,
    entries: [{
      id: 'pQ0w2n9Zx1kY',
      status: 'dead',
      chat_id: 123456789,
      priority: 'high',
      attempts: 1,
      max_attempts: 5,
      parts: 1,
      parts_sent: 0,
      message_ids: [],
      last_error: '403 Forbidden: bot was blocked by the user',
      created_at: '2025-01-15T10:00:00.000Z',
      updated_at: '2025-01-15T10:00:00.120Z',
      expires_at: '2025-01-16T10:00:00.000Z',
      dead_at: '2025-01-15T10:00:00.120Z',
      history: [{ at: '2025-01-15T10:00:00.120Z', event: 'dead', detail: '403 Forbidden: bot was blocked by the user' }]
    }]
  }]
})

export const DlqIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'message id; a number is an index into the newest-first listing (old clients)' })
})

export const RequeuedSchema = Type.Object({ id: Type.String(), status: Type.Literal('queued') }, { description: 'Back in its queue', examples: [{ id: 'pQ0w2n9Zx1kY', status: 'queued' }] })

export const RequeueAllBodySchema = Type.Object({
  error_contains: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'only messages whose last error contains this (case-insensitive)' }))
}, { additionalProperties: false, examples: [{ error_contains: 'chat not found' }] })

export const RequeueAllSchema = Type.Object({
  requeued: Count('messages back in their queues'),
  remaining: Count('entries left in the DLQ')
}, { description: 'What was requeued', examples: [{ requeued: 12, remaining: 3 }] })

export const DeletedSchema = Type.Object({ id: Type.String(), deleted: Type.Literal(true) }, { description: 'Deleted for good', examples: [{ id: 'pQ0w2n9Zx1kY', deleted: true }] })
export const ClearedSchema = Type.Object({ deleted: Count('messages removed') }, { description: 'The DLQ is empty', examples: [{ deleted: 15 }] })

export const WorkerPauseSchema = Type.Object({
  paused: Type.Boolean(),
  since: Type.Optional(Type.String()),
  by: Type.Optional(Type.String())
}, { description: 'Whether delivery is paused (every worker)', examples: [{ paused: true, since: '2025-01-15T10:00:00.000Z', by: 'admin from 10.0.0.5' }, { paused: false }] })

export const JobCountsSchema = Type.Object({
  waiting: Type.Integer({ description: 'ready to go: the priority lists plus messages parked behind their chat\'s rate limit' }),
  active: Type.Integer({ description: 'being sent now (all workers)' }),
  completed: Type.Integer({ description: 'sent within MESSAGE_LOG_RETENTION' }),
  failed: Type.Integer({ description: 'in the dead-letter queue' }),
  delayed: Type.Integer({ description: 'scheduled sends and retries waiting for their time' }),
  paused: Type.Integer({ description: 'ready but held while delivery is paused (waiting is then 0)' })
}, { description: 'queue counts in BullMQ\'s terms (getJobCounts)' })
