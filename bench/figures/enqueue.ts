// Figure 1: POST /api/telegram/send under autocannon (64 connections) against
// tg-relay (ROLE=api), the same route on BullMQ Queue.add, and the same route
// storing nothing. Each server is a child process on its own fresh redis-server.
import autocannon, { type Result } from 'autocannon'
import type { RedisClient } from '../../src/redis/client.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import type { BenchContext, CpuPerUnit } from '../lib/context.ts'
import { cpuMeter } from '../lib/context.ts'
import { freshRedis, costPerMessage } from '../lib/redis.ts'
import { startSide, type Side } from '../lib/targets.ts'
import { BULL_QUEUE, SERVICE_TOKEN, bookingBody } from '../lib/payload.ts'

export interface EnqueueRun {
  side: Side
  requests_per_s: number
  p50_ms: number
  p99_ms: number
  total: number
  non2xx: number
  errors: number
  /** what Redis holds afterwards: must equal the 2xx count */
  stored: number
  cpu: CpuPerUnit
  redis_commands?: ReturnType<typeof costPerMessage>
}

const CONNECTIONS = 64
const SIDES: Side[] = ['tg-relay', 'bullmq', 'bare']

async function load (url: string, seconds: number): Promise<Result> {
  return await autocannon({
    url: `${url}/api/telegram/send`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(bookingBody())
  })
}

export async function enqueueOnce (side: Side, ctx: BenchContext): Promise<EnqueueRun> {
  const redis = side === 'bare' ? undefined : await freshRedis()
  const target = await startSide(side, { role: 'api', ...(redis ? { redisUrl: redis.url } : {}), ...(ctx.profileDir ? { profileDir: ctx.profileDir } : {}) })
  try {
    const url = target.info.url as string
    // JIT warm-up, not measured
    await load(url, Math.max(1, Math.round(ctx.seconds / 5)))
    if (redis) await ctx.probe?.before(redis, side)
    const statsBefore = redis ? await redis.commandStats() : {}
    const stored0 = await stored(side, redis?.client)
    const meter = await cpuMeter([target], redis)
    const r = await load(url, ctx.seconds)
    const total = r.requests.total
    const cpu = await meter(total)
    if (redis) await ctx.probe?.after(redis, side, total)
    const run: EnqueueRun = {
      side,
      requests_per_s: Math.round(r.requests.average),
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      total,
      non2xx: r.non2xx,
      errors: r.errors,
      stored: await stored(side, redis?.client) - stored0,
      cpu
    }
    if (redis) run.redis_commands = costPerMessage(statsBefore, await redis.commandStats(), total)
    ctx.log(`  enqueue ${side}: ${run.requests_per_s} req/s, p99 ${run.p99_ms} ms (cpu/req: target ${cpu.target_us} µs, redis ${cpu.redis_us} µs, autocannon ${cpu.bench_us} µs)`)
    return run
  } finally {
    await target.stop()
    await redis?.stop()
  }
}

async function stored (side: Side, client: RedisClient | undefined): Promise<number> {
  if (!client) return 0
  if (side === 'tg-relay') return await client.llen(queueKeys().queues[2] as string)
  return await client.llen(`bull:${BULL_QUEUE}:wait`)
}

export async function enqueueFigure (ctx: BenchContext): Promise<EnqueueRun[]> {
  const runs: EnqueueRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of SIDES) runs.push(await enqueueOnce(side, ctx))
  }
  return runs
}
