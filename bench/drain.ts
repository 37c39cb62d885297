// Drain throughput: N messages preloaded into a fresh redis-server, then one
// tg-relay worker process delivers them to the emulator (limits off). Prints
// messages/s. Usage: npx tsx bench/drain.ts [N] [concurrency]
// BENCH_EVENTS=1: every message also asks for delivery events (as with DELIVERY_EVENTS_URL),
// and an outbound-lane worker POSTs them to a local receiver meanwhile; the figure is still
// Telegram's drain, plus how long the events took to follow.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { startRedisServer } from '../src/redis/server-process.ts'
import { connectRedis } from '../src/redis/connect.ts'
import { startEmulator } from '../src/emulator/index.ts'
import { queueKeys } from '../src/queue/keys.ts'
import { createProducer } from '../src/queue/producer.ts'
import { createWorker } from '../src/queue/consumer.ts'
import { createBotApi } from '../src/telegram/client.ts'
import { createBreaker } from '../src/telegram/breaker.ts'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { closedBreaker, outboundKeys } from '../src/outbound/lane.ts'
import { createDeliveryEventsTransport, DELIVERY_EVENT_METHOD } from '../src/outbound/delivery-events.ts'

const N = Number(process.argv[2] ?? 10_000)
const concurrency = Number(process.argv[3] ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'tg-relay-bench-'))
const server = await startRedisServer({ dir })
const emulator = await startEmulator({ limits: false })
const log = pino({ level: 'warn' })
const redis = await connectRedis({ redis: server.url, name: 'bench', autoPipelining: true })
const blocking = await connectRedis({ redis: server.url, name: 'bench-wait' })
const keys = queueKeys('bench')
const producer = createProducer({ redis, keys, retentionMs: 3_600_000 })
const withEvents = process.env.BENCH_EVENTS === '1'
let events = 0
const receiver = createServer((req, res) => { req.resume().on('end', () => { events++; res.end('{}') }) })
await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve))
const eventsUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`

const enqueueStart = performance.now()
const batch = 500
for (let i = 0; i < N; i += batch) {
  await Promise.all(Array.from({ length: Math.min(batch, N - i) }, (_, j) => producer.enqueue({
    chatId: 100_000 + ((i + j) % 1000),
    calls: [{ method: 'sendMessage', params: { chat_id: 100_000 + ((i + j) % 1000), text: `bench message ${i + j}` } }],
    priority: 'normal',
    expiresAt: Date.now() + 3_600_000,
    attempts: 5,
    ...(withEvents ? { events: { globalUrl: eventsUrl } } : {})
  })))
}
const enqueueMs = performance.now() - enqueueStart

const api = createBotApi({ baseUrl: emulator.url, token: '1:bench', timeoutMs: 10_000, connections: concurrency })
const breaker = createBreaker(api, { resetMs: 5000, errorPercent: 50, volume: 10, log })
const common = {
  redis,
  log,
  concurrency,
  leaseMs: 30_000,
  retentionMs: 3_600_000,
  backoff: { baseMs: 100, factor: 2, maxMs: 1000 },
  rate: { requests: 0, windowMs: 1000, chatIntervalMs: 0, groupIntervalMs: 0 },
  guarantee: 'at-least-once' as const
}
const worker = createWorker({ ...common, blocking, keys, breaker })
const outBlocking = await connectRedis({ redis: server.url, name: 'bench-out-wait' })
const outbound = createWorker({
  ...common,
  blocking: outBlocking,
  keys: outboundKeys(keys),
  breaker: closedBreaker(),
  transports: new Map([[DELIVERY_EVENT_METHOD, createDeliveryEventsTransport({ key: 'bench-events-key-0123', timeoutMs: 10_000 })]])
})
const start = performance.now()
worker.start()
if (withEvents) outbound.start()
while (emulator.messages.length < N) await new Promise(resolve => setTimeout(resolve, 5))
const drainMs = performance.now() - start
const eventsDone = () => !withEvents || events >= N
while (!eventsDone()) await new Promise(resolve => setTimeout(resolve, 5))
const eventsMs = performance.now() - start
console.log(JSON.stringify({
  messages: N,
  concurrency,
  events: withEvents,
  enqueue_per_s: Math.round(N / enqueueMs * 1000),
  drain_per_s: Math.round(N / drainMs * 1000),
  drain_ms: Math.round(drainMs),
  ...(withEvents ? { events_done_ms: Math.round(eventsMs) } : {})
}))
await worker.stop()
await outbound.stop()
outBlocking.disconnect()
receiver.close()
breaker.shutdown()
await api.close()
redis.disconnect()
blocking.disconnect()
await emulator.close()
await server.stop()
rmSync(dir, { recursive: true, force: true })
