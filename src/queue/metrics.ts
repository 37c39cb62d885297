// One snapshot of the queue for the admin API, /metrics and the dashboard:
// a single pipelined read. Counters come from the stats hash the scripts and
// workers write, so they are shared by every worker and survive restarts.
// Workers whose heartbeat stopped (heartbeats.ts) are reported as gone and
// removed from the workers hash.
import type { RedisClient } from '../redis/client.ts'
import { PRIORITIES, type Priority, type QueueKeys } from './keys.ts'
import { readHeartbeats } from './heartbeats.ts'
import { guardRedis } from './errors.ts'
import { execPipeline } from './pipeline.ts'
import type { BreakerState } from '../telegram/breaker.ts'
import { COUNTER_NAMES, type CounterName, type QueueMetrics } from '../schemas/admin.ts'

export interface RateConfig {
  requests: number
  windowMs: number
  chatIntervalMs: number
  groupPerMinute: number
}

export interface MetricsOptions {
  redis: RedisClient
  keys: QueueKeys
  rate: RateConfig
  /** this process's breaker */
  localBreaker: () => BreakerState
}

/** Nearest-rank percentile of ascending values. */
export function percentile (sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number
}

/**
 * How long the message at the head of each priority list has waited: since
 * its last (re)queue, its send_at or its creation, as ack.lua measures
 * latency. The head is the oldest in its list; messages parked behind their
 * chat (waiting_chats) are not in the lists.
 */
async function oldestWaiting (redis: RedisClient, keys: QueueKeys, heads: Array<string | null>, now: number): Promise<Record<Priority, number>> {
  const oldest = { critical: 0, high: 0, normal: 0, low: 0 }
  const present = PRIORITIES.filter((_, i) => typeof heads[i] === 'string')
  if (present.length === 0) return oldest
  const p = redis.pipeline()
  for (const pr of present) p.hmget(keys.msg(heads[PRIORITIES.indexOf(pr)] as string), 'q', 'sa', 't')
  const rows = await guardRedis(() => execPipeline(p)) as Array<Array<string | null>>
  present.forEach((pr, i) => {
    const since = Number(rows[i]?.find(v => v !== null) ?? now)
    oldest[pr] = Number.isFinite(since) ? Math.max(0, (now - since) / 1000) : 0
  })
  return oldest
}

export interface Metrics {
  snapshot (): Promise<QueueMetrics>
}

export function createMetrics ({ redis, keys, rate, localBreaker }: MetricsOptions): Metrics {
  return {
    async snapshot () {
      const p = redis.pipeline()
      for (const q of keys.queues) p.llen(q)
      p.zcard(keys.delayed).zcard(keys.active).zcard(keys.waiting).zcard(keys.dlq)
      p.hgetall(keys.stats)
      p.lrange(keys.latency, 0, 1023)
      p.get(keys.rate).pttl(keys.pause).exists(keys.paused)
      p.hgetall(keys.workers)
      for (const q of keys.queues) p.lindex(q, 0)
      const replies = await guardRedis(() => execPipeline(p))
      const value = (i: number) => replies[i]
      const num = (i: number) => Number(value(i) ?? 0)
      const now = Date.now()

      const depth = { critical: num(0), high: num(1), normal: num(2), low: num(3), total: 0 }
      depth.total = PRIORITIES.reduce((sum, pr) => sum + depth[pr], 0)

      const stats = (value(8) ?? {}) as Record<string, string>
      const counters = Object.fromEntries(COUNTER_NAMES.map(n => [n, Number(stats[n] ?? 0)])) as Record<CounterName, number>
      const outcomes = counters.sent + counters.failed + counters.dead + counters.expired

      const latencies = ((value(9) ?? []) as string[]).map(Number).filter(Number.isFinite).sort((a, b) => a - b)

      const { live, gone } = readHeartbeats((value(13) ?? {}) as Record<string, string>, now)
      if (gone.length > 0) await redis.hdel(keys.workers, ...gone).catch(() => undefined)
      const oldest = await oldestWaiting(redis, keys, replies.slice(14, 18) as Array<string | null>, now)

      return {
        at: new Date(now).toISOString(),
        depth,
        scheduled: num(4),
        in_flight: num(5),
        waiting_chats: num(6),
        dlq: num(7),
        oldest_waiting_s: oldest,
        counters,
        success_rate: outcomes === 0 ? null : counters.sent / outcomes,
        latency_ms: {
          samples: latencies.length,
          p50: percentile(latencies, 0.5),
          p90: percentile(latencies, 0.9),
          p99: percentile(latencies, 0.99)
        },
        rate_limiter: {
          requests: rate.requests,
          window_ms: rate.windowMs,
          chat_interval_ms: rate.chatIntervalMs,
          group_per_minute: rate.groupPerMinute,
          ahead_ms: Math.max(0, num(10) - now),
          pause_ms: Math.max(0, num(11)),
          paused: num(12) === 1
        },
        breaker: { local: localBreaker(), workers: live.map(w => ({ worker: w.id, state: w.breaker })) },
        workers: { live, gone }
      }
    }
  }
}
