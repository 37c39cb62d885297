// Alerts to the admin chats (ADMIN_ALERTS): the DLQ over its threshold, the
// breaker open, the bot paused by a 429, no live worker. Every process checks
// the same Redis snapshot; Redis holds since when each condition has held and
// a once-per-interval mark per alert (SET NX PX), so the deployment sends one
// alert per interval however many processes check. The alert itself is a
// queued high-priority message: while Telegram is unreachable it waits, like
// every other message, and goes out when Telegram answers again.
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from '../queue/keys.ts'
import type { QueueMetrics } from '../schemas/admin.ts'
import { execPipeline } from '../queue/pipeline.ts'

export const ALERT_KINDS = ['dlq', 'breaker', 'paused', 'no_worker'] as const
export type AlertKind = typeof ALERT_KINDS[number]

export interface AlertRules {
  dlqThreshold: number
  /** how long the breaker, a 429 pause or the lack of a worker lasts before an alert */
  afterMs: number
}

export interface Condition {
  holds: boolean
  /** time already known to lie ahead (the rest of a 429 pause), counted towards afterMs */
  aheadMs: number
  /** 0: alert at once */
  afterMs: number
  params: Record<string, number>
}

/** What the snapshot says about each alert: a pure function, the clock comes later. */
export function conditions (s: QueueMetrics, r: AlertRules): Record<AlertKind, Condition> {
  const open = s.breaker.workers.filter(w => w.state !== 'closed').length
  return {
    dlq: { holds: s.dlq > r.dlqThreshold, aheadMs: 0, afterMs: 0, params: { dlq: s.dlq, threshold: r.dlqThreshold } },
    breaker: { holds: open > 0, aheadMs: 0, afterMs: r.afterMs, params: { workers: open } },
    paused: { holds: s.rate_limiter.pause_ms > 0, aheadMs: s.rate_limiter.pause_ms, afterMs: r.afterMs, params: { seconds: Math.ceil(s.rate_limiter.pause_ms / 1000), after: r.afterMs / 1000 } },
    no_worker: { holds: s.workers.live.length === 0, aheadMs: 0, afterMs: r.afterMs, params: {} }
  }
}

export interface AlerterOptions {
  redis: RedisClient
  keys: QueueKeys
  rules: AlertRules
  intervalMs: number
  /** queues the alert's text to every admin chat */
  send: (kind: AlertKind, params: Record<string, number>) => Promise<void>
}

export interface Alerter {
  /** returns the alerts this call sent */
  check (snapshot: QueueMetrics, now?: number): Promise<AlertKind[]>
}

export function createAlerter (o: AlerterOptions): Alerter {
  const { redis, keys } = o
  return {
    async check (snapshot, now = Date.now()) {
      const c = conditions(snapshot, o.rules)
      const holding = ALERT_KINDS.filter(k => c[k].holds)
      const cleared = ALERT_KINDS.filter(k => !c[k].holds)
      const p = redis.pipeline()
      if (cleared.length > 0) p.hdel(keys.alertSince, ...cleared)
      for (const k of holding) p.hsetnx(keys.alertSince, k, String(now)).hget(keys.alertSince, k)
      const replies = await execPipeline(p)
      const since = replies.slice(cleared.length > 0 ? 1 : 0).filter((_, i) => i % 2 === 1).map(Number)

      const sent: AlertKind[] = []
      for (const [i, kind] of holding.entries()) {
        const held = now - (since[i] ?? now)
        if (held + c[kind].aheadMs < c[kind].afterMs) continue
        if (await redis.set(keys.alertSent(kind), String(now), 'PX', o.intervalMs, 'NX') !== 'OK') continue
        try {
          await o.send(kind, { seconds: Math.round(held / 1000), ...c[kind].params })
        } catch (err) {
          // not queued: let the next check (of any process) try again
          await redis.del(keys.alertSent(kind)).catch(() => undefined)
          throw err
        }
        sent.push(kind)
      }
      return sent
    }
  }
}
