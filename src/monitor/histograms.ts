// Histograms every process adds to and any process exports. An observation is
// an array increment in this process (the hot path pays nothing else); every
// flush moves the counts into one Redis hash per histogram with a single
// pipeline, so /metrics on any API process shows the whole deployment — also
// the deliveries of ROLE=worker processes, which serve no HTTP — and the totals
// survive restarts like the other counters.
// Hash fields: "<label values joined by |>|<bucket index>" (non-cumulative
// counts; index = bounds.length for +Inf) and "<labels>|sum" (seconds).
import type { RedisClient } from '../redis/client.ts'

export interface HistogramSpec {
  name: string
  help: string
  labelNames: readonly string[]
  /** upper bounds in seconds, ascending */
  bounds: readonly number[]
}

export const DELIVERY_LATENCY: HistogramSpec = {
  name: 'tg_relay_delivery_latency_seconds',
  help: 'Enqueue (or send_at) to delivery of each message, retries included (all workers)',
  labelNames: [],
  bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600]
}

export const BOT_API_DURATION: HistogramSpec = {
  name: 'tg_relay_bot_api_request_duration_seconds',
  help: 'Bot API request time by method and outcome (all processes)',
  labelNames: ['method', 'outcome'],
  bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
}

interface Series { buckets: number[], sum: number }

export interface HistogramRecorder {
  readonly spec: HistogramSpec
  observe (seconds: number, ...labelValues: string[]): void
  /** adds what was observed since the last flush to the Redis hash; counts are kept if Redis fails */
  flush (redis: RedisClient, key: string): Promise<void>
}

export function createRecorder (spec: HistogramSpec): HistogramRecorder {
  let pending = new Map<string, Series>()
  return {
    spec,
    observe (seconds, ...labelValues) {
      const id = labelValues.join('|')
      let s = pending.get(id)
      if (s === undefined) {
        s = { buckets: new Array<number>(spec.bounds.length + 1).fill(0), sum: 0 }
        pending.set(id, s)
      }
      let i = 0
      while (i < spec.bounds.length && seconds > (spec.bounds[i] as number)) i++
      s.buckets[i] = (s.buckets[i] as number) + 1
      s.sum += seconds
    },
    async flush (redis, key) {
      if (pending.size === 0) return
      const batch = pending
      pending = new Map()
      const p = redis.pipeline()
      for (const [id, s] of batch) {
        s.buckets.forEach((n, i) => { if (n > 0) p.hincrby(key, `${id}|${i}`, n) })
        p.hincrbyfloat(key, `${id}|sum`, s.sum)
      }
      const results = await p.exec().catch(() => null)
      if (results === null || results.some(([err]) => err)) {
        // Redis away: fold the batch back in and try again next time (at worst a partial batch counts twice)
        for (const [id, s] of batch) {
          const now = pending.get(id)
          if (now === undefined) { pending.set(id, s); continue }
          s.buckets.forEach((n, i) => { now.buckets[i] = (now.buckets[i] as number) + n })
          now.sum += s.sum
        }
      }
    }
  }
}

export interface HistogramTotals {
  /** label values → non-cumulative bucket counts and sum */
  series: Map<string, Series>
}

/** Reads a histogram hash written by flush(). */
export function parseTotals (spec: HistogramSpec, hash: Record<string, string>): HistogramTotals {
  const series = new Map<string, Series>()
  for (const [field, value] of Object.entries(hash)) {
    const cut = field.lastIndexOf('|')
    const id = field.slice(0, cut)
    const slot = field.slice(cut + 1)
    let s = series.get(id)
    if (s === undefined) {
      s = { buckets: new Array<number>(spec.bounds.length + 1).fill(0), sum: 0 }
      series.set(id, s)
    }
    if (slot === 'sum') s.sum = Number(value)
    else if (Number(slot) <= spec.bounds.length) s.buckets[Number(slot)] = Number(value)
  }
  return { series }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

/** Prometheus text exposition (format 0.0.4) of one histogram. */
export function exposeHistogram (spec: HistogramSpec, totals: HistogramTotals): string {
  const lines = [`# HELP ${spec.name} ${spec.help}`, `# TYPE ${spec.name} histogram`]
  for (const [id, s] of [...totals.series].sort(([a], [b]) => a.localeCompare(b))) {
    const values = spec.labelNames.length === 0 ? [] : id.split('|')
    const labels = spec.labelNames.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`)
    const labelSet = (extra: string[]) => { const all = [...labels, ...extra]; return all.length === 0 ? '' : `{${all.join(',')}}` }
    let cumulative = 0
    spec.bounds.forEach((le, i) => {
      cumulative += s.buckets[i] as number
      lines.push(`${spec.name}_bucket${labelSet([`le="${le}"`])} ${cumulative}`)
    })
    cumulative += s.buckets[spec.bounds.length] as number
    lines.push(`${spec.name}_bucket${labelSet(['le="+Inf"'])} ${cumulative}`)
    lines.push(`${spec.name}_sum${labelSet([])} ${s.sum}`)
    lines.push(`${spec.name}_count${labelSet([])} ${cumulative}`)
  }
  return lines.join('\n') + '\n'
}

/** The q-quantile of counts in the buckets (linear within a bucket, as Prometheus' histogram_quantile), seconds. */
export function bucketQuantile (bounds: readonly number[], buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  const rank = q * total
  let below = 0
  for (let i = 0; i < buckets.length; i++) {
    const n = buckets[i] as number
    if (below + n >= rank && n > 0) {
      if (i === bounds.length) return bounds[bounds.length - 1] as number
      const lower = i === 0 ? 0 : bounds[i - 1] as number
      return lower + ((bounds[i] as number) - lower) * ((rank - below) / n)
    }
    below += n
  }
  return bounds[bounds.length - 1] as number
}
