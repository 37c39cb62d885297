// `npm run bench`: the figures in the README's "Benchmarks", each against its
// peers measured in the same run, printed as one table and written to
// bench/results.json (`npx tsx bench/readme-table.ts` puts that table into
// the README). Every server runs in a child process on its own fresh
// redis-server; all of them are stopped at the end (or killed, if the bench
// is interrupted).
//
//   BENCH_SECONDS=10   autocannon duration per run (the limits figure runs 6×)
//   BENCH_RUNS=3       repetitions per figure (median and range are reported)
//   BENCH_ONLY=enqueue,drain,memory,latency,broadcast,paid,limits   a subset
//   BENCH_DRAIN_MESSAGES=20000
//   BENCH_SIDES=tg-relay,bullmq   only these sides (tg-relay, bullmq, bullmq-route, bare, relay-bare)
//   BENCH_PROFILE=1    V8 CPU profiles of every target child in bench/profiles/
//   BENCH_NODE_FLAGS="--perf-basic-prof"   extra node flags for every target child (perf record -e cpu-clock
//                      sees true CPU time; a V8 profile also counts time the process was preempted)
//   BENCH_DRAIN_C=5    the drain figure at this concurrency only
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { killAllTargets, ROOT } from './lib/child.ts'
import { killAllRedis } from './lib/redis.ts'
import { describeMachine } from './lib/machine.ts'
import { cells, renderTable } from './lib/table.ts'
import type { BenchContext } from './lib/context.ts'
import { buildRows, type Results } from './lib/rows.ts'
import { enqueueFigure } from './figures/enqueue.ts'
import { drainFigure } from './figures/drain.ts'
import { memoryFigure } from './figures/memory.ts'
import { latencyFigure } from './figures/latency.ts'
import { broadcastFigure } from './figures/broadcast.ts'
import { paidFigure } from './figures/paid.ts'
import { limitsFigure } from './figures/limits.ts'

const FIGURES = ['enqueue', 'drain', 'memory', 'latency', 'broadcast', 'paid', 'limits'] as const
type Figure = typeof FIGURES[number]

const env = process.env
const only = new Set((env.BENCH_ONLY ?? FIGURES.join(',')).split(',').map(s => s.trim()).filter(Boolean))
for (const f of only) if (!(FIGURES as readonly string[]).includes(f)) throw new Error(`BENCH_ONLY: unknown figure ${f} (${FIGURES.join(', ')})`)

const ctx: BenchContext = {
  runs: Math.max(1, Number(env.BENCH_RUNS ?? 3)),
  seconds: Math.max(1, Number(env.BENCH_SECONDS ?? 10)),
  drainMessages: Math.max(100, Number(env.BENCH_DRAIN_MESSAGES ?? 20_000)),
  ...(env.BENCH_SIDES ? { sides: new Set(env.BENCH_SIDES.split(',').map(s => s.trim())) } : {}),
  ...(env.BENCH_PROFILE === '1' ? { profileDir: `${ROOT}bench/profiles` } : {}),
  log: line => process.stderr.write(line + '\n')
}

const cleanup = () => { killAllTargets(); killAllRedis() }
process.on('exit', cleanup)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { cleanup(); process.exit(130) })

const machine = describeMachine()
const started = performance.now()
ctx.log(`tg-relay bench: ${ctx.runs} run(s) per figure, ${ctx.seconds} s per load run; figures: ${[...only].join(', ')}`)

const results: Results = {}
async function figure<K extends Figure> (name: K, run: () => Promise<NonNullable<Results[K]>>): Promise<void> {
  if (!only.has(name)) return
  const t0 = performance.now()
  ctx.log(`${name} (load ${loadavg().map(x => x.toFixed(2)).join(' ')})`)
  results[name] = await run()
  ctx.log(`  ${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s`)
}

await figure('enqueue', () => enqueueFigure(ctx))
await figure('drain', () => drainFigure(ctx))
await figure('memory', () => memoryFigure(ctx))
await figure('latency', () => latencyFigure(ctx))
await figure('broadcast', () => broadcastFigure(ctx))
await figure('paid', () => paidFigure(ctx))
await figure('limits', () => limitsFigure(ctx))

const rows = buildRows(results, ctx)

// what would make a figure meaningless: failed requests, lost or duplicated messages
const problems: string[] = []
for (const r of results.enqueue ?? []) {
  if (r.non2xx > 0 || r.errors > 0) problems.push(`enqueue ${r.side}: ${r.non2xx} non-2xx answers, ${r.errors} errors`)
  if (r.side !== 'bare' && r.side !== 'relay-bare' && r.stored < r.total) problems.push(`enqueue ${r.side}: ${r.total} answered 2xx but only ${r.stored} stored`)
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
for (const r of results.broadcast ?? []) cpuLines.push(`broadcast ${r.side}: server ${r.cpu.target_us} µs, redis ${r.cpu.redis_us} µs per recipient`)
if (cpuLines.length > 0) process.stdout.write('\nCPU per unit of work (every run):\n  ' + cpuLines.join('\n  ') + '\n')
process.stdout.write(problems.length > 0 ? `\nPROBLEMS:\n  ${problems.join('\n  ')}\n` : '\nchecks: every request answered 2xx and stored; every message delivered exactly once\n')

writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({
  machine: { ...machine, load_average_end: loadEnd },
  settings: { runs: ctx.runs, seconds: ctx.seconds, drain_messages: ctx.drainMessages, figures: [...only] },
  problems,
  table: rows.map(r => ({ figure: r.figure, cells: cells(r), tg_relay: r.ours, peer: r.peer ?? null, peer_name: r.peerName ?? null, ratio: r.ratio ?? null, same_route: r.peer2 ?? null, cpu: r.cpu ?? null, target: r.target, met: r.met ?? null })),
  results
}, null, 2) + '\n')
process.exit(0)
