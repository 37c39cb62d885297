// Figure 5: Telegram's limits on. The emulator (in this process) enforces
// 30 msg/s per bot, 1 msg/s per chat, 20 msg/min per group; tg-relay runs with
// its defaults (ROLE=all) and 25% more messages queued than it can send in the
// window, over 600 chats (every tenth a group). Sustained rate = deliveries in
// the window after the first one / window; every 429 the emulator answered counts.
import { startEmulator, TELEGRAM_LIMITS } from '../../src/emulator/index.ts'
import type { BenchContext } from '../lib/context.ts'
import { watchDeliveries } from '../lib/deliveries.ts'
import { createLoader, preload } from '../lib/preload.ts'
import { freshRedis, round } from '../lib/redis.ts'
import { startSide } from '../lib/targets.ts'

export interface LimitsRun {
  seconds: number
  queued: number
  delivered: number
  messages_per_s: number
  /** after the first 10% of the window */
  steady_per_s: number
  /** the slowest whole second */
  worst_second: number
  too_many_requests: number
}

const CHATS = 600
const RATE = TELEGRAM_LIMITS.global

export async function limitsFigure (ctx: BenchContext): Promise<LimitsRun> {
  const seconds = ctx.seconds * 6
  const queued = Math.ceil(RATE * seconds * 1.25)
  const redis = await freshRedis()
  const emulator = await startEmulator({ limits: TELEGRAM_LIMITS })
  try {
    const loader = await createLoader('tg-relay', redis, CHATS)
    await preload(loader, queued)
    await loader.close()
    const deliveries = watchDeliveries(emulator)
    const target = await startSide('tg-relay', { role: 'all', logLevel: 'warn', redisUrl: redis.url, apiUrl: emulator.url, ...(ctx.profileDir ? { profileDir: ctx.profileDir } : {}) })
    try {
      await deliveries.until(1, 30_000)
      const first = deliveries.times[0] as number
      await new Promise(resolve => setTimeout(resolve, seconds * 1000 + 100))
      const windowEnd = first + seconds * 1000
      const inWindow = deliveries.times.filter(t => t < windowEnd)
      const steadyFrom = first + seconds * 100
      const perSecond = Array.from({ length: seconds }, (_, s) => inWindow.filter(t => t >= first + s * 1000 && t < first + (s + 1) * 1000).length)
      const run: LimitsRun = {
        seconds,
        queued,
        delivered: inWindow.length,
        messages_per_s: round(inWindow.length / seconds, 2),
        steady_per_s: round(inWindow.filter(t => t >= steadyFrom).length / (seconds * 0.9), 2),
        worst_second: Math.min(...perSecond),
        too_many_requests: emulator.stats.tooManyRequests
      }
      ctx.log(`  limits on: ${run.messages_per_s} msg/s over ${seconds} s (steady ${run.steady_per_s}, worst second ${run.worst_second}), ${run.too_many_requests} × 429`)
      return run
    } finally {
      await target.stop()
    }
  } finally {
    await emulator.close()
    await redis.stop()
  }
}
