// What every figure gets from run.ts, and the CPU accounting they share: on a
// 2-core machine throughput is CPU per message, so each run records how many
// µs each process spent per request or message.
import type { Target } from './child.ts'
import type { BenchRedis } from './redis.ts'
import { round } from './redis.ts'

export interface BenchContext {
  /** repetitions of each figure (the median is reported) */
  runs: number
  /** autocannon duration; the limits figure runs 6× this */
  seconds: number
  /** messages preloaded for the drain figure */
  drainMessages: number
  /** only these sides (BENCH_SIDES), for profiling one side at a time */
  sides?: Set<string>
  /** write V8 CPU profiles of the targets here */
  profileDir?: string
  log (line: string): void
  /** analysis (bench/tools): run this script instead of a side's usual target */
  scripts?: Partial<Record<string, string>>
  /** analysis hooks (bench/tools): called around the measured part of a run */
  probe?: {
    before (redis: BenchRedis, side: string): Promise<void>
    after (redis: BenchRedis, side: string, units: number): Promise<void>
  }
}

/** The sides a figure runs: all of them, or those BENCH_SIDES names. */
export function sidesOf<S extends string> (ctx: BenchContext, all: S[]): S[] {
  return ctx.sides ? all.filter(s => ctx.sides?.has(s)) : all
}

export interface CpuPerUnit {
  /** the target process(es) */
  target_us: number
  redis_us: number
  /** the bench process: autocannon, or the emulator */
  bench_us: number
}

export async function cpuMeter (targets: Target[], redis: BenchRedis | undefined): Promise<(units: number) => Promise<CpuPerUnit>> {
  const targetCpu = () => targets.reduce((sum, t) => sum + t.cpuMs(), 0)
  const t0 = targetCpu()
  const r0 = redis ? await redis.cpuMs() : 0
  const p0 = process.cpuUsage()
  return async units => {
    const p = process.cpuUsage(p0)
    const r1 = redis ? await redis.cpuMs() : 0
    return {
      target_us: round((targetCpu() - t0) * 1000 / units, 1),
      redis_us: round((r1 - r0) * 1000 / units, 1),
      bench_us: round((p.user + p.system) / units, 1)
    }
  }
}
