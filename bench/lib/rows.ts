// The table's rows from the figures' runs: each rate beside its peers and the
// CPU (server + Redis) per unit, each target next to what it is judged on.
import type { BenchContext } from './context.ts'
import { row, type Row } from './table.ts'
import type { EnqueueRun } from '../figures/enqueue.ts'
import type { DrainRun } from '../figures/drain.ts'
import type { MemoryRun } from '../figures/memory.ts'
import type { LatencyRun } from '../figures/latency.ts'
import type { BroadcastRun } from '../figures/broadcast.ts'
import type { PaidRun } from '../figures/paid.ts'
import type { LimitsRun } from '../figures/limits.ts'

export interface Results {
  enqueue?: EnqueueRun[]
  drain?: DrainRun[]
  memory?: MemoryRun[]
  latency?: LatencyRun[]
  broadcast?: BroadcastRun[]
  paid?: PaidRun
  limits?: LimitsRun
}

const pick = <R extends { side: string }>(runs: R[] | undefined, side: string, f: (r: R) => number, keep: (r: R) => boolean = () => true) =>
  (runs ?? []).filter(r => r.side === side && keep(r)).map(f)
const cpuOf = (r: { cpu: { target_us: number, redis_us: number } }) => r.cpu.target_us + r.cpu.redis_us
const atLeast = (x: number) => (_: number, r: number | undefined) => (r ?? 0) >= x
const atMost = (x: number) => (_: number, r: number | undefined) => (r ?? Infinity) <= x

export function buildRows (results: Results, ctx: Pick<BenchContext, 'drainMessages'>): Row[] {
  const rows: Row[] = []
  const { enqueue, drain, memory, latency, broadcast, paid, limits } = results
  if (enqueue) {
    const rps = (side: string) => pick(enqueue, side, r => r.requests_per_s)
    const cpu = (side: string) => pick(enqueue, side, cpuOf)
    rows.push(row({ figure: 'Enqueue POST /send, req/s (64 conn)', ours: rps('tg-relay'), peer: rps('bullmq'), peer2: rps('bullmq-route'), cpu: { ours: cpu('tg-relay'), peer: cpu('bullmq') }, target: '≥ 1.5× BullMQ service', check: atLeast(1.5) }))
    rows.push(row({ figure: 'Enqueue vs a route storing nothing, req/s', ours: rps('tg-relay'), peer: rps('bare'), peerName: 'bare route', peer2: rps('relay-bare'), cpu: { ours: cpu('tg-relay'), peer: cpu('bare') }, target: '≥ 0.9× bare route', check: atLeast(0.9) }))
    const p99 = (side: string) => pick(enqueue, side, r => r.p99_ms)
    rows.push(row({ figure: 'Enqueue p99 latency under load, ms', ours: p99('tg-relay'), peer: p99('bullmq'), peer2: p99('bullmq-route'), target: '(lower is better)' }))
  }
  if (drain) {
    const concurrencies = [...new Set(drain.map(r => r.concurrency))].sort((a, b) => a - b)
    for (const c of concurrencies) {
      const at = (side: string) => pick(drain, side, r => r.messages_per_s, r => r.concurrency === c)
      const cpu = (side: string) => pick(drain, side, cpuOf, r => r.concurrency === c)
      rows.push(row({ figure: `Drain ${Math.round(ctx.drainMessages / 1000)}k, msg/s, concurrency ${c}`, ours: at('tg-relay'), peer: at('bullmq'), peer2: at('bullmq-route'), cpu: { ours: cpu('tg-relay'), peer: cpu('bullmq') }, target: '≥ 1.5× BullMQ service', check: atLeast(1.5) }))
      const ours = cpu('tg-relay')
      const peer = cpu('bullmq')
      rows.push(row({ figure: `Drain c=${c}, CPU µs/msg (worker+Redis)`, ours, peer, peer2: cpu('bullmq-route'), target: '≤ 0.67× BullMQ service', check: atMost(0.67) }))
    }
  }
  if (memory) {
    const b = (side: string) => pick(memory, side, r => r.bytes_per_message)
    rows.push(row({ figure: 'Redis bytes per queued message', ours: b('tg-relay'), peer: b('bullmq'), peer2: b('bullmq-route'), target: '≤ 0.5× BullMQ service', check: atMost(0.5) }))
    const h = (side: string) => pick(memory, side, r => r.hash_bytes)
    rows.push(row({ figure: 'MEMORY USAGE of one message hash, B', ours: h('tg-relay'), peer: h('bullmq'), peer2: h('bullmq-route'), target: '(job hash)' }))
  }
  if (latency) {
    const l = (side: string, f: (r: LatencyRun) => number) => pick(latency, side, f)
    rows.push(row({ figure: 'Idle enqueue→delivery p50, ms', ours: l('tg-relay', r => r.p50_ms), peer: l('bullmq', r => r.p50_ms), peer2: l('bullmq-route', r => r.p50_ms), target: '≤ 3 ms', check: o => o <= 3, digits: 2 }))
    rows.push(row({ figure: 'Idle enqueue→delivery p99, ms', ours: l('tg-relay', r => r.p99_ms), peer: l('bullmq', r => r.p99_ms), peer2: l('bullmq-route', r => r.p99_ms), target: '≤ 10 ms', check: o => o <= 10, digits: 2 }))
    rows.push(row({ figure: 'Idle POST /send answer p50, ms', ours: l('tg-relay', r => r.accept_p50_ms), peer: l('bullmq', r => r.accept_p50_ms), peer2: l('bullmq-route', r => r.accept_p50_ms), target: '≤ 1 ms', check: o => o <= 1, digits: 2 }))
  }
  if (broadcast) {
    const ms = (side: string) => pick(broadcast, side, r => r.accept_ms)
    const cpu = (side: string) => pick(broadcast, side, cpuOf)
    rows.push(row({ figure: 'Accept a 100,000-recipient broadcast, ms', ours: ms('tg-relay'), peer: ms('bullmq'), peerName: 'BullMQ addBulk', cpu: { ours: cpu('tg-relay'), peer: cpu('bullmq') }, target: '≤ 1,500 ms and ≤ 0.5× addBulk', check: (o, r) => o <= 1500 && (r ?? Infinity) <= 0.5 }))
    const b = (side: string) => pick(broadcast, side, r => r.bytes_per_recipient)
    rows.push(row({ figure: 'Redis bytes per pending broadcast recipient', ours: b('tg-relay'), peer: b('bullmq'), peerName: 'BullMQ addBulk', target: '≤ 150 B', check: o => o <= 150 }))
  }
  if (paid) {
    rows.push(row({ figure: `allow_paid_broadcast, msg/s over ${paid.seconds} s (warm)`, ours: [paid.messages_per_s], cpu: { ours: [paid.cpu.target_us + paid.cpu.redis_us] }, target: '≥ 970', check: o => o >= 970, digits: 1 }))
    rows.push(row({ figure: 'allow_paid_broadcast: 429s received', ours: [paid.too_many_requests], target: '0', check: o => o === 0 }))
    if (paid.cold_first_second !== undefined) rows.push(row({ figure: 'allow_paid_broadcast: msgs in a just-started process\'s first second', ours: [paid.cold_first_second], target: '(warm-up)' }))
  }
  if (limits) {
    rows.push(row({ figure: `Limits on: msg/s sustained ${limits.seconds} s`, ours: [limits.messages_per_s], target: '≥ 29.1 (97% of 30)', check: o => o >= 29.1, digits: 2 }))
    rows.push(row({ figure: 'Limits on: 429s received', ours: [limits.too_many_requests], target: '0', check: o => o === 0 }))
  }
  return rows
}
