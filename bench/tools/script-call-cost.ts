// What one script call costs the calling process, with ioredis' auto-pipelining
// on and off: a claim-sized EVALSHA (16 keys, 12 arguments, a trivial script),
// one at a time, as the worker makes them. Prints CPU µs per call (user + system).
// Usage: npx tsx bench/tools/script-call-cost.ts [calls] [rounds]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { startRedisServer } from '../../src/redis/server-process.ts'

const calls = Number(process.argv[2] ?? 10_000)
const rounds = Number(process.argv[3] ?? 3)
const dir = mkdtempSync(join(tmpdir(), 'tg-relay-script-cost-'))
const server = await startRedisServer({ dir })
const keys = Array.from({ length: 16 }, (_, i) => `{tg}:some-key-${i}`)
const args = Array.from({ length: 12 }, (_, i) => String(1_796_192_000_000 + i))
type Script = (n: number, ...a: string[]) => Promise<unknown>

for (let round = 0; round < rounds; round++) {
  for (const auto of [false, true]) {
    const redis = new Redis(server.url, { enableAutoPipelining: auto })
    redis.defineCommand('probe', { lua: 'return 1' })
    const probe = (redis as unknown as { probe: Script }).probe.bind(redis)
    for (let i = 0; i < 2000; i++) await probe(16, ...keys, ...args)
    const cpu = process.cpuUsage()
    const t0 = performance.now()
    for (let i = 0; i < calls; i++) await probe(16, ...keys, ...args)
    const used = process.cpuUsage(cpu)
    console.log(JSON.stringify({
      auto_pipelining: auto,
      cpu_us_per_call: Math.round((used.user + used.system) / calls * 10) / 10,
      wall_us_per_call: Math.round((performance.now() - t0) * 1000 / calls * 10) / 10
    }))
    redis.disconnect()
  }
}
await server.stop()
rmSync(dir, { recursive: true, force: true })
