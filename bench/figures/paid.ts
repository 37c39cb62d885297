// Figure 7: a paid broadcast with Telegram's limits on. The emulator (in this
// process) enforces 1000 msg/s for sends with allow_paid_broadcast and 30/s
// for the rest, 1/s per chat; tg-relay (`npm start`, ROLE=all, its default
// limits) gets a broadcast with allow_paid_broadcast to more chats than it can
// reach in the window. Rate = deliveries in the window after the first one /
// window; every 429 the emulator answered counts.
// A just-started process spends its first second warming up (JIT, connections):
// a 1,000-chat paid broadcast goes first, and its first second is reported as
// `cold_first_second`; the measured one starts once that one is delivered and
// the buckets are full again, as a running service meets a broadcast.
import { Pool } from 'undici'
import { startEmulator, TELEGRAM_LIMITS } from '../../src/emulator/index.ts'
import type { BenchContext, CpuPerUnit } from '../lib/context.ts'
import { cpuMeter } from '../lib/context.ts'
import { watchDeliveries } from '../lib/deliveries.ts'
import { post } from '../lib/http.ts'
import { freshRedis, round } from '../lib/redis.ts'
import { startSide } from '../lib/targets.ts'
import { broadcastBody } from './broadcast.ts'

export interface PaidRun {
  seconds: number
  recipients: number
  delivered: number
  messages_per_s: number
  too_many_requests: number
  /** deliveries in the first second of the warm-up broadcast, just after the process started */
  cold_first_second: number
  /** per delivered message: worker + Redis */
  cpu: CpuPerUnit
}

const PAID_RATE = 1000
const WARM_UP_RECIPIENTS = 1000

export async function paidFigure (ctx: BenchContext): Promise<PaidRun> {
  const seconds = ctx.seconds
  const recipients = Math.ceil(PAID_RATE * seconds * 1.25)
  const redis = await freshRedis()
  const emulator = await startEmulator({ limits: TELEGRAM_LIMITS })
  const target = await startSide('tg-relay', { role: 'all', logLevel: 'warn', redisUrl: redis.url, apiUrl: emulator.url })
  const pool = new Pool(target.info.url as string, { connections: 1 })
  try {
    const warm = watchDeliveries(emulator)
    const w = await post(pool, '/api/telegram/broadcasts', broadcastBody(WARM_UP_RECIPIENTS, { allow_paid_broadcast: true, priority: 'normal' }, 800_000_000))
    if (w.status !== 202) throw new Error(`warm-up paid broadcast answered ${w.status}: ${JSON.stringify(w.body)}`)
    await warm.until(WARM_UP_RECIPIENTS, 60_000)
    const warmFirst = warm.times[0] as number
    const coldFirstSecond = warm.times.filter(t => t < warmFirst + 1000).length
    // the paid bucket refills (the emulator's holds a second's worth)
    await new Promise(resolve => setTimeout(resolve, 1100))
    const deliveries = watchDeliveries(emulator)
    const a = await post(pool, '/api/telegram/broadcasts', broadcastBody(recipients, { allow_paid_broadcast: true, priority: 'normal' }))
    if (a.status !== 202) throw new Error(`paid broadcast answered ${a.status}: ${JSON.stringify(a.body)}`)
    await deliveries.until(1, 30_000)
    const meter = await cpuMeter([target], redis)
    const first = deliveries.times[0] as number
    await new Promise(resolve => setTimeout(resolve, seconds * 1000 + 100))
    const inWindow = deliveries.times.filter(t => t < first + seconds * 1000).length
    const cpu = await meter(Math.max(1, deliveries.count()))
    const run: PaidRun = {
      seconds,
      recipients,
      delivered: inWindow,
      messages_per_s: round(inWindow / seconds, 1),
      too_many_requests: emulator.stats.tooManyRequests,
      cold_first_second: coldFirstSecond,
      cpu
    }
    ctx.log(`  paid broadcast: ${run.messages_per_s} msg/s over ${seconds} s, ${run.too_many_requests} × 429 (cpu/msg: worker ${cpu.target_us} µs, redis ${cpu.redis_us} µs); ` +
      `a just-started process's first second: ${coldFirstSecond}`)
    return run
  } finally {
    await pool.close()
    await target.stop()
    await emulator.close()
    await redis.stop()
  }
}
