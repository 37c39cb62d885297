// Figure 6: accepting one 100,000-recipient broadcast (distinct chats, the
// booking text) over HTTP, no worker running: tg-relay's POST
// /api/telegram/broadcasts against the BullMQ service's route queueing every
// recipient with addBulk. Time from the request to the 202, CPU of server +
// Redis, and Redis bytes per pending recipient (INFO used_memory delta / N).
import { Pool } from 'undici'
import { sidesOf } from '../lib/context.ts'
import type { BenchContext, CpuPerUnit } from '../lib/context.ts'
import { cpuMeter } from '../lib/context.ts'
import { post } from '../lib/http.ts'
import { bookingBody } from '../lib/payload.ts'
import { freshRedis, round } from '../lib/redis.ts'
import { startSide, type Side } from '../lib/targets.ts'
import { usedMemory } from './memory.ts'

export type BroadcastSide = Extract<Side, 'tg-relay' | 'bullmq'>

export interface BroadcastRun {
  side: BroadcastSide
  recipients: number
  accept_ms: number
  bytes_per_recipient: number
  /** per recipient */
  cpu: CpuPerUnit
}

export const BROADCAST_RECIPIENTS = 100_000

export function broadcastBody (n: number, extra: Record<string, unknown> = {}, first = 600_000_000): string {
  const { text, parse_mode: parseMode } = bookingBody()
  return JSON.stringify({ recipients: Array.from({ length: n }, (_, i) => first + i), text, parse_mode: parseMode, ...extra })
}

async function once (side: BroadcastSide, ctx: BenchContext): Promise<BroadcastRun> {
  const redis = await freshRedis()
  const target = await startSide(side, { role: 'api', logLevel: 'warn', redisUrl: redis.url })
  const pool = new Pool(target.info.url as string, { connections: 1 })
  try {
    // warm-up: a small broadcast (JIT, script cache, fixed structures)
    const warm = await post(pool, '/api/telegram/broadcasts', broadcastBody(1000, {}, 700_000_000))
    if (warm.status !== 202) throw new Error(`${side}: warm-up broadcast answered ${warm.status}: ${JSON.stringify(warm.body)}`)
    const n = BROADCAST_RECIPIENTS
    const body = broadcastBody(n)
    const before = await usedMemory(redis.client)
    const meter = await cpuMeter([target], redis)
    const a = await post(pool, '/api/telegram/broadcasts', body)
    const cpu = await meter(n)
    if (a.status !== 202) throw new Error(`${side}: broadcast answered ${a.status}: ${JSON.stringify(a.body)}`)
    const after = await usedMemory(redis.client)
    const run: BroadcastRun = { side, recipients: n, accept_ms: round(a.ms), bytes_per_recipient: round((after - before) / n), cpu }
    ctx.log(`  broadcast ${side}: ${n} recipients accepted in ${run.accept_ms} ms, ${run.bytes_per_recipient} B/recipient (cpu/recipient: server ${cpu.target_us} µs, redis ${cpu.redis_us} µs)`)
    return run
  } finally {
    await pool.close()
    await target.stop()
    await redis.stop()
  }
}

export async function broadcastFigure (ctx: BenchContext): Promise<BroadcastRun[]> {
  const runs: BroadcastRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of sidesOf(ctx, ['tg-relay', 'bullmq'] as BroadcastSide[])) runs.push(await once(side, ctx))
  }
  return runs
}
