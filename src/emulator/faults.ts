// Fault injection: one draw per request from a seedable RNG, so a test that fixes the seed
// sees the same faults in the same order. The rates are exclusive slices of [0, 1); latency
// applies on top of whichever outcome is drawn.

import type { FaultConfig } from './types.ts'

export type FaultKind = 'reset' | 'timeout' | 'serverError' | 'lostResponse'

export interface FaultDraw {
  latencyMs: number
  kind: FaultKind | undefined
}

export interface FaultInjector {
  /** replaces the config; throws RangeError on rates outside [0, 1] or summing above 1 */
  set: (config: FaultConfig) => void
  /** undefined when no fault applies to this method */
  draw: (method: string) => FaultDraw | undefined
}

/** mulberry32: tiny, fast, and good enough to schedule faults. */
export function createRng (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type RateKey = 'resetRate' | 'timeoutRate' | 'serverErrorRate' | 'lostResponseRate'

const KINDS: Array<[FaultKind, RateKey]> = [
  ['reset', 'resetRate'],
  ['timeout', 'timeoutRate'],
  ['serverError', 'serverErrorRate'],
  ['lostResponse', 'lostResponseRate']
]

function checkConfig (config: FaultConfig): void {
  let sum = 0
  for (const [, key] of KINDS) {
    const rate = config[key] ?? 0
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new RangeError(`${key} must be a number in [0, 1]`)
    sum += rate
  }
  if (sum > 1 + 1e-9) throw new RangeError('fault rates must not add up to more than 1')
  const latency = config.latencyMs
  if (latency !== undefined) {
    const [min, max] = Array.isArray(latency) ? latency : [latency, latency]
    if (!(min >= 0 && max >= min)) throw new RangeError('latencyMs must be >= 0, or [min, max] with 0 <= min <= max')
  }
}

export function createFaultInjector (seed: number): FaultInjector {
  let rng = createRng(seed)
  let config: FaultConfig = {}
  let methods: Set<string> | undefined
  let active = false

  return {
    set (next) {
      checkConfig(next)
      config = { ...next }
      methods = next.methods === undefined ? undefined : new Set(next.methods.map(m => m.toLowerCase()))
      if (next.seed !== undefined) rng = createRng(next.seed)
      active = next.latencyMs !== undefined || KINDS.some(([, key]) => (config[key] ?? 0) > 0)
    },
    draw (method) {
      if (!active) return undefined
      const lower = method.toLowerCase()
      if (methods === undefined ? !lower.startsWith('send') : !methods.has(lower)) return undefined
      let latencyMs = 0
      const latency = config.latencyMs
      if (Array.isArray(latency)) latencyMs = latency[0] + rng() * (latency[1] - latency[0])
      else if (latency !== undefined) latencyMs = latency
      const r = rng()
      let edge = 0
      for (const [kind, key] of KINDS) {
        edge += config[key] ?? 0
        if (r < edge) return { latencyMs, kind }
      }
      return { latencyMs, kind: undefined }
    }
  }
}
