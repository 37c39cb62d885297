// What REDIS_MIN_REPLICAS_ACK costs on enqueue: POST /api/telegram/send under
// autocannon (64 connections) against tg-relay (ROLE=api) on a primary with
// one replica, with the replica wait off (0) and on (1). Prints req/s, p99 and
// CPU per request (tg-relay, the primary); the replica runs on this machine,
// so WAIT's round trip is a loopback one — over a network add its RTT.
// Run: npx tsx bench/tools/wait-cost.ts [seconds]
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startRedisServer } from '../../src/redis/server-process.ts'
import { cpuMeter } from '../lib/context.ts'
import { freshRedis } from '../lib/redis.ts'
import { startSide } from '../lib/targets.ts'
import { SERVICE_TOKEN, bookingBody } from '../lib/payload.ts'

const seconds = Number(process.argv[2] ?? 10)
const primary = await freshRedis()
const replica = await startRedisServer({ dir: mkdtempSync(join(tmpdir(), 'tg-relay-bench-replica-')), args: ['--replicaof', '127.0.0.1', String(primary.port)] })
const load = (url: string, s: number) => autocannon({
  url: `${url}/api/telegram/send`,
  connections: 64,
  duration: s,
  method: 'POST',
  headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify(bookingBody())
})
try {
  for (const minReplicas of ['0', '1']) {
    const target = await startSide('tg-relay', { role: 'api', redisUrl: primary.url, env: { REDIS_MIN_REPLICAS_ACK: minReplicas } })
    try {
      const url = target.info.url as string
      await load(url, 2)
      const meter = await cpuMeter([target], primary)
      const r = await load(url, seconds)
      const cpu = await meter(r.requests.total)
      console.log(`REDIS_MIN_REPLICAS_ACK=${minReplicas}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}; ` +
        `CPU per request: tg-relay ${cpu.target_us} µs, redis primary ${cpu.redis_us} µs`)
    } finally {
      await target.stop()
    }
  }
} finally {
  await replica.stop()
  await primary.stop()
}
