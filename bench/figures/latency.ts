// Figure 4: idle enqueue-to-delivery latency. One message at a time: POST
// /send, wait until the emulator (limits off, in this process) has it, pause,
// repeat. tg-relay runs as one process (`npm start`, ROLE=all: API + worker)
// at its default log level, the peers the same way (route and BullMQ Worker
// in one process).
import { Client } from 'undici'
import { startEmulator } from '../../src/emulator/index.ts'
import { sidesOf } from '../lib/context.ts'
import type { BenchContext } from '../lib/context.ts'
import { watchDeliveries } from '../lib/deliveries.ts'
import { freshRedis, round } from '../lib/redis.ts'
import { startSide, UNLIMITED_RATES, type Side } from '../lib/targets.ts'
import { SERVICE_TOKEN, bookingBody } from '../lib/payload.ts'
import { percentile } from '../lib/stats.ts'

export type LatencySide = Extract<Side, 'tg-relay' | 'bullmq' | 'bullmq-route'>
export const LATENCY_SIDES: LatencySide[] = ['tg-relay', 'bullmq', 'bullmq-route']

export interface LatencyRun {
  side: LatencySide
  samples: number
  p50_ms: number
  p90_ms: number
  p99_ms: number
  max_ms: number
  /** the POST alone (202 received) */
  accept_p50_ms: number
}

const SAMPLES = 500
const WARMUP = 30
const PAUSE_MS = 5

async function once (side: LatencySide, ctx: BenchContext): Promise<LatencyRun> {
  const redis = await freshRedis()
  const emulator = await startEmulator({ limits: false })
  const target = await startSide(side, {
    role: 'all',
    redisUrl: redis.url,
    apiUrl: emulator.url,
    env: UNLIMITED_RATES,
    ...(ctx.profileDir ? { profileDir: ctx.profileDir } : {})
  })
  const client = new Client(target.info.url as string)
  try {
    const deliveries = watchDeliveries(emulator)
    const total: number[] = []
    const accept: number[] = []
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const delivered = deliveries.until(i + 1, 10_000)
      const t0 = performance.now()
      const res = await client.request({
        method: 'POST',
        path: '/api/telegram/send',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        // a new chat each time: the per-chat 1 msg/s rule never delays a sample
        body: JSON.stringify(bookingBody(400000000 + i, i))
      })
      await res.body.dump()
      const t1 = performance.now()
      if (res.statusCode !== 202) throw new Error(`${side}: POST /send answered ${res.statusCode}`)
      await delivered
      if (i >= WARMUP) {
        total.push((deliveries.times[i] as number) - t0)
        accept.push(t1 - t0)
      }
      await new Promise(resolve => setTimeout(resolve, PAUSE_MS))
    }
    const run: LatencyRun = {
      side,
      samples: SAMPLES,
      p50_ms: round(percentile(total, 50), 2),
      p90_ms: round(percentile(total, 90), 2),
      p99_ms: round(percentile(total, 99), 2),
      max_ms: round(Math.max(...total), 2),
      accept_p50_ms: round(percentile(accept, 50), 2)
    }
    ctx.log(`  latency ${side}: p50 ${run.p50_ms} ms, p99 ${run.p99_ms} ms (202 after ${run.accept_p50_ms} ms)`)
    return run
  } finally {
    await client.close()
    await target.stop()
    await emulator.close()
    await redis.stop()
  }
}

export async function latencyFigure (ctx: BenchContext): Promise<LatencyRun[]> {
  const runs: LatencyRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of sidesOf(ctx, LATENCY_SIDES)) runs.push(await once(side, ctx))
  }
  return runs
}
