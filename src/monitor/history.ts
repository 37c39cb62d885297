// The last hour behind the dashboard's charts, at a fixed cost: one sample per
// METRICS_HISTORY_STEP for the whole deployment (the process that wins the
// step's SET NX takes it), in one list trimmed to MAX_POINTS. A sample holds
// running totals (counters, the delivery histogram's buckets) and levels
// (DLQ, queue depth); the series are the differences between samples, so no
// message costs anything here.
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from '../queue/keys.ts'
import type { QueueMetrics } from '../schemas/admin.ts'
import type { HistorySeries } from '../schemas/history.ts'
import { bucketQuantile, DELIVERY_LATENCY, parseTotals } from './histograms.ts'

export const MAX_POINTS = 360
const HOUR = 3_600_000

interface Sample {
  /** ms epoch */
  at: number
  sent: number
  /** failed + dead + expired */
  failed: number
  queued: number
  dlq: number
  depth: number
  /** delivery latency histogram, non-cumulative bucket totals */
  lat: number[]
}

export interface History {
  /** takes this step's sample unless another process already did */
  sample (snapshot: QueueMetrics, now?: number): Promise<boolean>
  read (now?: number): Promise<HistorySeries>
}

export function createHistory (o: { redis: RedisClient, keys: QueueKeys, stepMs: number }): History {
  const { redis, keys, stepMs } = o
  const points = Math.min(MAX_POINTS, Math.ceil(HOUR / stepMs) + 1)

  return {
    async sample (s, now = Date.now()) {
      const step = Math.floor(now / stepMs)
      if (await redis.set(keys.historyStep(step), '1', 'PX', stepMs * 2, 'NX') !== 'OK') return false
      const totals = parseTotals(DELIVERY_LATENCY, await redis.hgetall(keys.histogram('delivery')))
      const lat = new Array<number>(DELIVERY_LATENCY.bounds.length + 1).fill(0)
      for (const series of totals.series.values()) series.buckets.forEach((n, i) => { lat[i] = (lat[i] as number) + n })
      const c = s.counters
      const sample: Sample = { at: now, sent: c.sent, failed: c.failed + c.dead + c.expired, queued: c.queued, dlq: s.dlq, depth: s.depth.total + s.scheduled, lat }
      await redis.multi().lpush(keys.history, JSON.stringify(sample)).ltrim(keys.history, 0, points - 1).exec()
      return true
    },

    async read (now = Date.now()) {
      const raw = await redis.lrange(keys.history, 0, points - 1)
      const samples = raw.map(r => JSON.parse(r) as Sample).filter(x => now - x.at <= HOUR + stepMs).reverse()
      const out: HistorySeries = { step_s: stepMs / 1000, points: [] }
      for (let i = 1; i < samples.length; i++) {
        const a = samples[i - 1] as Sample
        const b = samples[i] as Sample
        const seconds = (b.at - a.at) / 1000
        // a counter that went down: the stats were reset; that interval says nothing
        if (seconds <= 0 || b.sent < a.sent) continue
        const lat = b.lat.map((n, j) => Math.max(0, n - (a.lat[j] ?? 0)))
        const ms = (q: number) => { const v = bucketQuantile(DELIVERY_LATENCY.bounds, lat, q); return v === null ? null : Math.round(v * 1000) }
        out.points.push({
          at: new Date(b.at).toISOString(),
          sent_per_s: (b.sent - a.sent) / seconds,
          failed_per_s: Math.max(0, b.failed - a.failed) / seconds,
          queued_per_s: Math.max(0, b.queued - a.queued) / seconds,
          latency_p50_ms: ms(0.5),
          latency_p99_ms: ms(0.99),
          dlq: b.dlq,
          depth: b.depth
        })
      }
      return out
    }
  }
}
