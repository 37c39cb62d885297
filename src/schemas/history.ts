// The last hour of the queue for the dashboard's charts (GET /api/telegram/queue/history).
import { Type, type Static } from '@sinclair/typebox'

const Ms = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'ms; null: nothing delivered in the interval' })

export const HistoryPointSchema = Type.Object({
  at: Type.String({ description: 'end of the interval' }),
  sent_per_s: Type.Number({ minimum: 0, description: 'deliveries per second in the interval' }),
  failed_per_s: Type.Number({ minimum: 0, description: 'failed, dead and expired per second' }),
  queued_per_s: Type.Number({ minimum: 0, description: 'messages accepted per second' }),
  latency_p50_ms: Ms,
  latency_p99_ms: Ms,
  dlq: Type.Integer({ minimum: 0, description: 'dead-letter queue size at the end' }),
  depth: Type.Integer({ minimum: 0, description: 'waiting, scheduled and retrying messages at the end' })
})

export const HistorySeriesSchema = Type.Object({
  step_s: Type.Number({ description: 'METRICS_HISTORY_STEP: seconds between samples' }),
  points: Type.Array(HistoryPointSchema, { description: 'oldest first, the last hour' })
}, {
  description: 'Throughput, latency and DLQ over the last hour (one sample per step for the whole deployment)',
  examples: [{
    step_s: 60,
    points: [{ at: '2025-01-15T10:01:00.000Z', sent_per_s: 4.2, failed_per_s: 0, queued_per_s: 4.3, latency_p50_ms: 4, latency_p99_ms: 38, dlq: 2, depth: 12 }]
  }]
})
export type HistorySeries = Static<typeof HistorySeriesSchema>
