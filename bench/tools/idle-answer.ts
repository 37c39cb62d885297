// Analysis (not part of `npm run bench`): how long one request takes at
// idle, one at a time with 5 ms pauses, against the floor of this machine.
// The floor: a bare node:http server in this process. Then tg-relay
// (src/server.ts, its own redis-server, the emulator as Bot API) for
// GET /health/live (no Redis) and POST /api/telegram/send (one Redis round trip).
//   npx tsx bench/tools/idle-answer.ts [ROLE=api|all] [REQUESTS=330]
// The last 300 requests are reported: raise REQUESTS for a warmer JIT.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from 'undici'
import { killAllTargets, startTarget } from '../lib/child.ts'
import { freshRedis, killAllRedis } from '../lib/redis.ts'
import { startEmulator } from '../../src/emulator/index.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN, bookingBody } from '../lib/payload.ts'
import { UNLIMITED_RATES } from '../lib/targets.ts'
import { percentile } from '../lib/stats.ts'

const role = process.argv[2] ?? 'api'
const requests = Math.max(300, Number(process.argv[3] ?? 330))
process.on('exit', () => { killAllTargets(); killAllRedis() })

async function timeEach (client: Client, label: string, path: string, body?: (i: number) => string): Promise<void> {
  const ms: number[] = []
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now()
    const res = await client.request({
      method: body ? 'POST' : 'GET',
      path,
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: body(i) } : {})
    })
    await res.body.dump()
    if (i >= requests - 300) ms.push(performance.now() - t0)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
  const f = (q: number) => percentile(ms, q).toFixed(2)
  console.log(`${label.padEnd(44)} p50 ${f(50)}  p90 ${f(90)}  p99 ${f(99)} ms`)
}

const floor = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(202).end('{}') }) })
await new Promise<void>(resolve => floor.listen(0, '127.0.0.1', resolve))
const floorClient = new Client(`http://127.0.0.1:${(floor.address() as AddressInfo).port}`)
await timeEach(floorClient, 'node:http in this process', '/', () => '{}')
await floorClient.close()
floor.close()

const redis = await freshRedis()
const emulator = await startEmulator({ limits: false })
const relay = await startTarget('tg-relay', 'src/server.ts', {
  ROLE: role,
  ADMIN_TOKEN,
  SERVICE_TOKEN,
  TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  TELEGRAM_API_URL: emulator.url,
  PORT: '0',
  HOST: '127.0.0.1',
  REDIS_URL: redis.url,
  ...UNLIMITED_RATES
}, { ready: out => { const m = /URL:\s+(\S+)/.exec(out); return m ? { url: m[1] as string } : undefined } })
const client = new Client(relay.info.url as string)
await timeEach(client, `tg-relay ROLE=${role} GET /health/live`, '/health/live')
await timeEach(client, `tg-relay ROLE=${role} POST /api/telegram/send`, '/api/telegram/send', i => JSON.stringify(bookingBody(400000000 + i, i)))
await client.close()
await relay.stop()
await emulator.close()
await redis.stop()
process.exit(0)
