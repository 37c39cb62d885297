// Figure 1: POST /api/telegram/send under autocannon (64 connections, a new
// chat_id per request) against tg-relay (`npm start`, ROLE=api,
// LOG_LEVEL=warn), the BullMQ service a user would write, tg-relay's own route
// on BullMQ, and two routes storing nothing (the service's, and tg-relay's).
// Each server is a child process on its own fresh redis-server.
import autocannon, { type Result } from 'autocannon'
import type { RedisClient } from '../../src/redis/client.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import { sidesOf } from '../lib/context.ts'
import type { BenchContext, CpuPerUnit } from '../lib/context.ts'
import { cpuMeter } from '../lib/context.ts'
import { freshRedis, costPerMessage } from '../lib/redis.ts'
import { startSide, type Side } from '../lib/targets.ts'
import { BULL_QUEUE, SERVICE_TOKEN, distinctChatBodies } from '../lib/payload.ts'
import { SERVICE_QUEUE } from '../targets/bullmq-service-worker.ts'

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
export const ENQUEUE_SIDES: Side[] = ['tg-relay', 'bullmq', 'bare', 'bullmq-route', 'relay-bare']
const STORES_NOTHING = new Set<Side>(['bare', 'relay-bare'])

async function load (url: string, seconds: number, bodies: () => string): Promise<Result> {
  return await autocannon({
    url: `${url}/api/telegram/send`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: req => ({ ...req, body: bodies() }) }]
  })
}

export async function enqueueOnce (side: Side, ctx: BenchContext): Promise<EnqueueRun> {
  const redis = STORES_NOTHING.has(side) ? undefined : await freshRedis()
  const target = await startSide(side, { role: 'api', logLevel: 'warn', ...(redis ? { redisUrl: redis.url } : {}), ...(ctx.profileDir ? { profileDir: ctx.profileDir } : {}) })
  try {
    const url = target.info.url as string
    const bodies = distinctChatBodies()
    // JIT warm-up, not measured
    await load(url, Math.max(1, Math.round(ctx.seconds / 5)), bodies)
    if (redis) await ctx.probe?.before(redis, side)
    const statsBefore = redis ? await redis.commandStats() : {}
    const stored0 = await stored(side, redis?.client)
    const meter = await cpuMeter([target], redis)
    const r = await load(url, ctx.seconds, bodies)
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
  return await client.llen(`bull:${side === 'bullmq' ? SERVICE_QUEUE : BULL_QUEUE}:wait`)
}

export async function enqueueFigure (ctx: BenchContext): Promise<EnqueueRun[]> {
  const runs: EnqueueRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of sidesOf(ctx, ENQUEUE_SIDES)) runs.push(await enqueueOnce(side, ctx))
  }
  return runs
}
