// `npm run bench`: PRODUCT §11's figures, each against its peer measured in
// the same run, printed as one table and written to bench/results.json.
// Every server runs in a child process on its own fresh redis-server; all of
// them are stopped at the end (or killed, if the bench is interrupted).
//
//   BENCH_SECONDS=10   autocannon duration per run (the limits figure runs 6×)
//   BENCH_RUNS=3       repetitions per figure (median and range are reported)
//   BENCH_ONLY=enqueue,drain,memory,latency,limits   a subset
//   BENCH_DRAIN_MESSAGES=20000
//   BENCH_PROFILE=1    V8 CPU profiles of every target child in bench/profiles/
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { killAllTargets, ROOT } from './lib/child.ts'
import { killAllRedis } from './lib/redis.ts'
import { describeMachine } from './lib/machine.ts'
import { row, renderTable, type Row } from './lib/table.ts'
import type { BenchContext } from './lib/context.ts'
import { enqueueFigure, type EnqueueRun } from './figures/enqueue.ts'
import { drainFigure, type DrainRun } from './figures/drain.ts'
import { memoryFigure, type MemoryRun } from './figures/memory.ts'
import { latencyFigure, type LatencyRun } from './figures/latency.ts'
import { limitsFigure, type LimitsRun } from './figures/limits.ts'

const FIGURES = ['enqueue', 'drain', 'memory', 'latency', 'limits'] as const
type Figure = typeof FIGURES[number]

const env = process.env
const only = new Set((env.BENCH_ONLY ?? FIGURES.join(',')).split(',').map(s => s.trim()).filter(Boolean))
for (const f of only) if (!(FIGURES as readonly string[]).includes(f)) throw new Error(`BENCH_ONLY: unknown figure ${f} (${FIGURES.join(', ')})`)
const wants = (f: Figure) => only.has(f)

const ctx: BenchContext = {
  runs: Math.max(1, Number(env.BENCH_RUNS ?? 3)),
  seconds: Math.max(1, Number(env.BENCH_SECONDS ?? 10)),
  drainMessages: Math.max(100, Number(env.BENCH_DRAIN_MESSAGES ?? 20_000)),
  ...(env.BENCH_PROFILE === '1' ? { profileDir: `${ROOT}bench/profiles` } : {}),
  log: line => process.stderr.write(line + '\n')
}

const cleanup = () => { killAllTargets(); killAllRedis() }
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { cleanup(); process.exit(130) })

const machine = describeMachine()
const started = performance.now()
ctx.log(`tg-relay bench: ${ctx.runs} run(s) per figure, ${ctx.seconds} s per load run; figures: ${[...only].join(', ')}`)

interface Results {
  enqueue?: EnqueueRun[]
  drain?: DrainRun[]
  memory?: MemoryRun[]
  latency?: LatencyRun[]
  limits?: LimitsRun
}
const results: Results = {}
async function figure<T> (name: Figure, run: () => Promise<T>): Promise<T | undefined> {
  if (!wants(name)) return undefined
  const t0 = performance.now()
  ctx.log(`${name} (load ${loadavg().map(x => x.toFixed(2)).join(' ')})`)
  const out = await run()
  ctx.log(`  ${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  return out
}

const enqueue = await figure('enqueue', () => enqueueFigure(ctx))
if (enqueue) results.enqueue = enqueue
const drain = await figure('drain', () => drainFigure(ctx))
if (drain) results.drain = drain
const memory = await figure('memory', () => memoryFigure(ctx))
if (memory) results.memory = memory
const latency = await figure('latency', () => latencyFigure(ctx))
if (latency) results.latency = latency
const limits = await figure('limits', () => limitsFigure(ctx))
if (limits) results.limits = limits

// ---- the table
const pick = <R extends { side: string }>(runs: R[] | undefined, side: string, f: (r: R) => number, keep: (r: R) => boolean = () => true) =>
  (runs ?? []).filter(r => r.side === side && keep(r)).map(f)
const rows: Row[] = []
if (enqueue) {
  const rps = (side: string) => pick(enqueue, side, r => r.requests_per_s)
  const p99 = (side: string) => pick(enqueue, side, r => r.p99_ms)
  rows.push(row({ figure: 'Enqueue over HTTP, req/s (64 conn)', ours: rps('tg-relay'), peer: rps('bullmq'), target: '≥ 1.5× BullMQ', check: (_, r) => (r ?? 0) >= 1.5 }))
  rows.push(row({ figure: 'Enqueue over HTTP, req/s vs no Redis', ours: rps('tg-relay'), peer: rps('bare'), peerName: 'bare route', target: '≥ 0.5× bare', check: (_, r) => (r ?? 0) >= 0.5 }))
  rows.push(row({ figure: 'Enqueue over HTTP, p99 latency ms', ours: p99('tg-relay'), peer: p99('bullmq'), target: '(lower is better)', digits: 0 }))
  // CPU per request is what bounds req/s, and much less noisy than req/s on a shared machine
  const cpu = (side: string) => pick(enqueue, side, r => r.cpu.target_us + r.cpu.redis_us)
  rows.push(row({ figure: 'Enqueue, CPU µs/request (server+Redis)', ours: cpu('tg-relay'), peer: cpu('bullmq'), target: '(lower is better)' }))
}
if (drain) {
  for (const c of [...new Set(drain.map(r => r.concurrency))]) {
    const at = (side: string) => pick(drain, side, r => r.messages_per_s, r => r.concurrency === c)
    rows.push(row({ figure: `Drain 20k, msg/s, concurrency ${c}`.replace('20k', `${Math.round(ctx.drainMessages / 1000)}k`), ours: at('tg-relay'), peer: at('bullmq'), target: '≥ 1.5× BullMQ', check: (_, r) => (r ?? 0) >= 1.5 }))
  }
  const headline = drain[0]?.concurrency
  const cpu = (side: string) => pick(drain, side, r => r.cpu.target_us + r.cpu.redis_us, r => r.concurrency === headline)
  rows.push(row({ figure: `Drain c=${headline}, CPU µs/msg (worker+Redis)`, ours: cpu('tg-relay'), peer: cpu('bullmq'), target: '(lower is better)' }))
}
if (memory) {
  rows.push(row({ figure: 'Redis bytes per queued message', ours: pick(memory, 'tg-relay', r => r.bytes_per_message), peer: pick(memory, 'bullmq', r => r.bytes_per_message), target: '≤ 0.5× BullMQ', check: (_, r) => (r ?? Infinity) <= 0.5 }))
  rows.push(row({ figure: 'MEMORY USAGE of one message hash, B', ours: pick(memory, 'tg-relay', r => r.hash_bytes), peer: pick(memory, 'bullmq', r => r.hash_bytes), target: '(job hash)' }))
}
if (latency) {
  rows.push(row({ figure: 'Idle enqueue→delivery p50, ms', ours: pick(latency, 'tg-relay', r => r.p50_ms), peer: pick(latency, 'bullmq', r => r.p50_ms), target: '≤ 5 ms', check: o => o <= 5, digits: 2 }))
  rows.push(row({ figure: 'Idle enqueue→delivery p99, ms', ours: pick(latency, 'tg-relay', r => r.p99_ms), peer: pick(latency, 'bullmq', r => r.p99_ms), target: '≤ 25 ms', check: o => o <= 25, digits: 2 }))
}
if (limits) {
  rows.push(row({ figure: `Limits on: msg/s sustained ${limits.seconds} s`, ours: [limits.messages_per_s], target: '≥ 29.1 (97% of 30)', check: o => o >= 29.1, digits: 2 }))
  rows.push(row({ figure: 'Limits on: 429s received', ours: [limits.too_many_requests], target: '0', check: o => o === 0 }))
}

// what would make a figure meaningless: failed requests, lost or duplicated messages
const problems: string[] = []
for (const r of results.enqueue ?? []) {
  if (r.non2xx > 0 || r.errors > 0) problems.push(`enqueue ${r.side}: ${r.non2xx} non-2xx answers, ${r.errors} errors`)
  if (r.side !== 'bare' && r.stored < r.total) problems.push(`enqueue ${r.side}: ${r.total} answered 2xx but only ${r.stored} stored`)
}
for (const r of results.drain ?? []) if (r.delivered !== r.messages) problems.push(`drain ${r.side} c=${r.concurrency}: ${r.delivered} deliveries of ${r.messages} messages`)

const loadEnd = loadavg().map(x => Math.round(x * 100) / 100)
const header = [
  `tg-relay benchmark — ${machine.date}`,
  `machine: ${machine.nproc} cores, ${machine.cpu}, ${machine.memory_gb} GB; node ${machine.node}, redis ${machine.redis}, bullmq ${machine.bullmq}`,
  `load average: ${machine.load_average.join(' ')} at start, ${loadEnd.join(' ')} at end; ${ctx.runs} run(s) per figure: median (range); ratio = tg-relay/peer per run, sides measured back to back; took ${((performance.now() - started) / 1000).toFixed(0)} s`,
  ''
]
process.stdout.write(header.join('\n') + '\n' + renderTable(rows) + '\n')

// where the CPU goes, per request/message: on 2 cores this is what bounds throughput
const cpuLines: string[] = []
for (const r of results.enqueue ?? []) cpuLines.push(`enqueue ${r.side}: server ${r.cpu.target_us} µs, redis ${r.cpu.redis_us} µs, autocannon ${r.cpu.bench_us} µs per request`)
for (const r of results.drain ?? []) cpuLines.push(`drain ${r.side} c=${r.concurrency}: worker ${r.cpu.target_us} µs, redis ${r.cpu.redis_us} µs, emulator ${r.cpu.bench_us} µs per message`)
if (cpuLines.length > 0) process.stdout.write('\nCPU per unit of work (every run):\n  ' + cpuLines.join('\n  ') + '\n')
process.stdout.write(problems.length > 0 ? `\nPROBLEMS:\n  ${problems.join('\n  ')}\n` : '\nchecks: every request answered 2xx and stored; every message delivered exactly once\n')

writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({
  machine: { ...machine, load_average_end: loadEnd },
  settings: { runs: ctx.runs, seconds: ctx.seconds, drain_messages: ctx.drainMessages, figures: [...only] },
  problems,
  table: rows.map(r => ({ figure: r.figure, tg_relay: r.ours, peer: r.peer ?? null, peer_name: r.peerName ?? null, ratio: r.ratio ?? null, target: r.target, met: r.met ?? null })),
  results
}, null, 2) + '\n')
process.exit(0)
