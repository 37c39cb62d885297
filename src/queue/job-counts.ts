// Queue counts in BullMQ's terms (getJobCounts), for the resilient API's
// clients: waiting = ready to go (the priority lists plus messages parked
// behind their chat's rate limit), active = in flight, completed = sent within
// MESSAGE_LOG_RETENTION, failed = the DLQ, delayed = scheduled sends and
// retries waiting for their time, paused = what waits while an admin has
// paused delivery (then waiting is 0, as in BullMQ).
import type { RedisClient } from '../redis/client.ts'
import type { QueueKeys } from './keys.ts'
import { guardRedis } from './errors.ts'
import { execPipeline } from './pipeline.ts'

const HOUR = 3_600_000
/** Chats whose parked messages are counted one by one; beyond that the count is a lower bound. */
const PARKED_CHATS = 1000

export interface JobCounts {
  waiting: number
  active: number
  completed: number
  failed: number
  delayed: number
  paused: number
}

export async function jobCounts (redis: RedisClient, keys: QueueKeys, retentionMs: number, now = Date.now()): Promise<JobCounts> {
  const p = redis.pipeline()
  for (const q of keys.queues) p.llen(q)
  p.zcard(keys.active).zcard(keys.delayed).zcard(keys.dlq).exists(keys.paused)
  p.hgetall(keys.sentHours)
  p.zrange(keys.waiting, 0, PARKED_CHATS - 1)
  const r = await guardRedis(() => execPipeline(p))
  const n = (i: number) => Number(r[i] ?? 0)
  const q = keys.queues.length
  const chats = (r[q + 5] ?? []) as string[]
  let parked = 0
  if (chats.length > 0) {
    const w = redis.pipeline()
    for (const chat of chats) w.zcard(keys.chatWait(chat))
    parked = (await guardRedis(() => execPipeline(w))).reduce((sum: number, c) => sum + Number(c ?? 0), 0)
  }

  // sends per hour; hours past retention are dropped as they are read
  const oldest = Math.floor((now - retentionMs) / HOUR)
  let completed = 0
  const stale: string[] = []
  for (const [hour, count] of Object.entries((r[q + 4] ?? {}) as Record<string, string>)) {
    if (Number(hour) < oldest) stale.push(hour)
    else completed += Number(count)
  }
  if (stale.length > 0) await redis.hdel(keys.sentHours, ...stale).catch(() => undefined)

  const ready = keys.queues.reduce((sum, _, i) => sum + n(i), 0) + parked
  const paused = n(q + 3) === 1
  return {
    waiting: paused ? 0 : ready,
    active: n(q),
    completed,
    failed: n(q + 2),
    delayed: n(q + 1),
    paused: paused ? ready : 0
  }
}
