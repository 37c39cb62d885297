// Figure 2: N messages queued first (a distinct chat each), then one worker
// process delivers them to the emulator (limits off, in this process):
// tg-relay's worker (`npm start`, ROLE=worker, LOG_LEVEL=warn) against the
// BullMQ service's Worker and the BullMQ worker on tg-relay's client, same
// concurrency. Rate = deliveries between the first and the last one, so
// neither side's process start-up counts.
import { startEmulator } from '../../src/emulator/index.ts'
import { sidesOf } from '../lib/context.ts'
import type { BenchContext, CpuPerUnit } from '../lib/context.ts'
import { cpuMeter } from '../lib/context.ts'
import { watchDeliveries } from '../lib/deliveries.ts'
import { createLoader, preload, type LoaderSide } from '../lib/preload.ts'
import { costPerMessage, freshRedis, round } from '../lib/redis.ts'
import { startSide, UNLIMITED_RATES } from '../lib/targets.ts'

export interface DrainRun {
  side: LoaderSide
  concurrency: number
  messages: number
  messages_per_s: number
  drain_ms: number
  /** what the emulator recorded: more than `messages` would be duplicates */
  delivered: number
  cpu: CpuPerUnit
  redis_commands: ReturnType<typeof costPerMessage>
  /** what Redis read from and wrote to its clients per message: round trips, whatever the commands */
  redis_io: { reads_per_msg: number, writes_per_msg: number, commands_per_msg: number }
}

export const DRAIN_SIDES: LoaderSide[] = ['tg-relay', 'bullmq', 'bullmq-route']
/** BENCH_DRAIN_C: only this concurrency (default: 16, runs times, then 5, 10 and 50 once) */
const ONLY_C = process.env.BENCH_DRAIN_C ? Number(process.env.BENCH_DRAIN_C) : undefined

export async function drainOnce (side: LoaderSide, concurrency: number, n: number, ctx: BenchContext): Promise<DrainRun> {
  const redis = await freshRedis()
  const emulator = await startEmulator({ limits: false })
  try {
    const loader = await createLoader(side, redis, n)
    await preload(loader, n)
    await loader.close()
    const deliveries = watchDeliveries(emulator)
    await ctx.probe?.before(redis, side)
    const statsBefore = await redis.commandStats()
    const ioBefore = await redis.info('stats')
    const target = await startSide(side, {
      role: 'worker',
      redisUrl: redis.url,
      apiUrl: emulator.url,
      logLevel: 'warn',
      env: { ...UNLIMITED_RATES, QUEUE_MAX_CONCURRENT_JOBS: String(concurrency) },
      ...(ctx.profileDir ? { profileDir: ctx.profileDir } : {}),
      ...(ctx.scripts?.[side] ? { script: ctx.scripts[side] } : {})
    })
    try {
      // the worker started claiming before READY; CPU is counted from here, close enough for µs/message
      const meter = await cpuMeter([target], redis)
      await deliveries.until(n, 180_000)
      const cpu = await meter(n)
      const ioAfter = await redis.info('stats')
      const perMsg = (k: string) => round((Number(ioAfter[k]) - Number(ioBefore[k])) / n, 2)
      await ctx.probe?.after(redis, side, n)
      await new Promise(resolve => setTimeout(resolve, 200)) // late duplicates, if any
      const first = deliveries.times[0] as number
      const last = deliveries.times[n - 1] as number
      const run: DrainRun = {
        side,
        concurrency,
        messages: n,
        messages_per_s: Math.round((n - 1) / (last - first) * 1000),
        drain_ms: round(last - first),
        delivered: deliveries.count(),
        cpu,
        redis_commands: costPerMessage(statsBefore, await redis.commandStats(), n),
        redis_io: { reads_per_msg: perMsg('total_reads_processed'), writes_per_msg: perMsg('total_writes_processed'), commands_per_msg: perMsg('total_commands_processed') }
      }
      ctx.log(`  drain ${side} c=${concurrency}: ${run.messages_per_s} msg/s (cpu/msg: worker ${cpu.target_us} µs, redis ${cpu.redis_us} µs, emulator ${cpu.bench_us} µs; ` +
        `redis reads ${run.redis_io.reads_per_msg}, commands ${run.redis_io.commands_per_msg} per msg)`)
      return run
    } finally {
      await target.stop()
    }
  } finally {
    await emulator.close()
    await redis.stop()
  }
}

/** The headline concurrency `runs` times; the others once each. */
export async function drainFigure (ctx: BenchContext, headline = ONLY_C ?? 16, others: number[] = ONLY_C !== undefined ? [] : [5, 10, 50]): Promise<DrainRun[]> {
  const n = ctx.drainMessages
  const runs: DrainRun[] = []
  for (let i = 0; i < ctx.runs; i++) {
    for (const side of sidesOf(ctx, DRAIN_SIDES)) runs.push(await drainOnce(side, headline, n, ctx))
  }
  for (const c of others) {
    for (const side of sidesOf(ctx, DRAIN_SIDES)) runs.push(await drainOnce(side, c, n, ctx))
  }
  return runs
}
