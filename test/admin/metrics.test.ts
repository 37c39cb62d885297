// Queue metrics (JSON and Prometheus) and the status page, checked against
// what the emulator actually received.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { HEARTBEAT_MS } from '../../src/queue/heartbeats.ts'
import { asAdmin, deadLetters } from '../helpers/admin.ts'

/** Prometheus text exposition: every sample line parsed; throws on a malformed line. */
function parsePrometheus (text: string): Map<string, number> {
  const samples = new Map<string, number>()
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
    if (meta) {
      if (meta[1] === 'TYPE') types.set(meta[2] as string, meta[3] as string)
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/.exec(line)
    if (!m) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`)
    samples.set(m[1] as string, Number(m[2]))
  }
  for (const [name, type] of types) if (!['gauge', 'counter', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad TYPE for ${name}: ${type}`)
  return samples
}

t.test('metrics and status', async t => {
  const relay = await startRelay(t)
  const admin = asAdmin(relay)
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const { emulator } = relay

  const dead = await deadLetters(relay, [3001, 3002])
  const sends = await Promise.all(Array.from({ length: 20 }, (_, i) => relay.send({ chat_id: 3100 + (i % 5), text: `m${i}`, priority: i % 2 ? 'high' : 'low' })))
  t.ok(sends.every(s => s.status === 202))
  await waitFor(() => emulator.received().length === 20, '20 delivered')
  const delivered = emulator.received().length

  let m = (await admin('GET', '/api/telegram/queue/metrics')).body
  await waitFor(async () => {
    m = (await admin('GET', '/api/telegram/queue/metrics')).body
    return m.counters.sent === delivered
  }, 'the sent counter matches the emulator')

  t.test('JSON metrics match what happened', async t => {
    t.match(m.counters, { queued: 22, sent: 20, dead: 2, failed: 0, expired: 0, requeued: 0 })
    t.same(m.depth, { critical: 0, high: 0, normal: 0, low: 0, total: 0 })
    t.equal(m.in_flight, 0)
    t.equal(m.scheduled, 0)
    t.equal(m.dlq, dead.length)
    t.equal(m.success_rate, 20 / 22)
    t.equal(m.latency_ms.samples, 20)
    t.ok(m.latency_ms.p50 >= 0 && m.latency_ms.p50 <= m.latency_ms.p90 && m.latency_ms.p90 <= m.latency_ms.p99)
    t.match(m.rate_limiter, { requests: 1000, window_ms: 1000, pause_ms: 0, paused: false })
    t.equal(m.breaker.local, 'closed')
    t.equal(m.workers.live.length, 1)
    t.match(m.workers.live[0], { running: true, breaker: 'closed', pid: process.pid })
    t.same(m.breaker.workers, [{ worker: m.workers.live[0].id, state: 'closed' }])
  })

  t.test('queued work shows as depth while delivery is paused', async t => {
    await admin('POST', '/api/telegram/worker/stop')
    await relay.send({ chat_id: 3200, text: 'c', priority: 'critical' })
    await relay.send({ chat_id: 3201, text: 'l', priority: 'low' })
    await relay.send({ chat_id: 3202, text: 's', send_at: new Date(Date.now() + 60_000).toISOString() })
    const p = (await admin('GET', '/api/telegram/queue/metrics')).body
    t.match(p.depth, { critical: 1, low: 1, total: 2 })
    t.equal(p.scheduled, 1)
    t.equal(p.rate_limiter.paused, true)
    await admin('POST', '/api/telegram/worker/start')
    await waitFor(() => emulator.received().length === 22, 'delivered after resume')
  })

  t.test('a worker whose heartbeat stopped is reported gone, then forgotten', async t => {
    const old = Date.now() - 3 * HEARTBEAT_MS - 1000
    await redis.hset(keys.workers, 'ghost:1:abc', JSON.stringify({ id: 'ghost:1:abc', running: true, inFlight: 2, breaker: 'open', delivered: 5, pid: 1, host: 'ghost', started_at: old, seen: old }))
    await redis.hset(keys.workers, 'garbage', 'not json')
    const first = (await admin('GET', '/api/telegram/queue/metrics')).body
    t.same(first.workers.gone.sort(), ['garbage', 'ghost:1:abc'])
    t.notOk(first.workers.live.some((w: { id: string }) => w.id === 'ghost:1:abc'))
    t.equal(await redis.hexists(keys.workers, 'ghost:1:abc'), 0, 'removed from the hash')
    t.same((await admin('GET', '/api/telegram/queue/metrics')).body.workers.gone, [])
  })

  t.test('/metrics is Prometheus text with the same numbers', async t => {
    const res = await admin('GET', '/metrics')
    t.equal(res.status, 200)
    t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
    const samples = parsePrometheus(res.body)
    t.equal(samples.get('tg_relay_messages_total{event="sent"}'), emulator.received().length)
    t.equal(samples.get('tg_relay_messages_total{event="dead"}'), 2)
    t.equal(samples.get('tg_relay_dlq_size'), 2)
    t.equal(samples.get('tg_relay_queue_depth{priority="critical"}'), 0)
    t.equal(samples.get('tg_relay_admin_paused'), 0)
    t.equal(samples.get('tg_relay_workers'), 1)
    t.equal(samples.get('tg_relay_breaker_state{process="api",state="closed"}'), 1)
    t.ok((samples.get('tg_relay_delivery_latency_recent_seconds{quantile="0.99"}') ?? -1) >= 0)
    t.equal(samples.get('tg_relay_redis_up'), 1)
    t.equal(samples.get('tg_relay_oldest_waiting_seconds{priority="normal"}'), 0, 'nothing waiting')
    // histograms: flushed to Redis once a second, then every delivery and every sendMessage is counted
    await waitFor(async () => parsePrometheus((await admin('GET', '/metrics')).body).get('tg_relay_delivery_latency_seconds_count') === emulator.received().length, 'every delivery in the latency histogram')
    const later = parsePrometheus((await admin('GET', '/metrics')).body)
    t.equal(later.get('tg_relay_delivery_latency_seconds_bucket{le="+Inf"}'), emulator.received().length)
    t.ok((later.get('tg_relay_delivery_latency_seconds_bucket{le="0.005"}') ?? -1) <= (later.get('tg_relay_delivery_latency_seconds_bucket{le="10"}') ?? -1), 'buckets are cumulative')
    const ok = later.get('tg_relay_bot_api_request_duration_seconds_count{method="sendMessage",outcome="ok"}')
    const refused = later.get('tg_relay_bot_api_request_duration_seconds_count{method="sendMessage",outcome="client_error"}')
    t.equal(ok, emulator.received().length, 'every accepted sendMessage request timed')
    t.equal(refused, 2, 'the two dead letters were 4xx')
    t.match(res.body, /# TYPE tg_relay_bot_api_request_duration_seconds histogram/)
    t.match(res.body, /# TYPE tg_relay_messages_total counter/)
    t.match(res.body, /# TYPE tg_relay_queue_depth gauge/)
    t.ok(samples.has('tg_relay_api_process_cpu_user_seconds_total'), 'process metrics of this API process')
  })

  t.test('status: bot, webhook, Redis, workers, breaker', async t => {
    const res = await admin('GET', '/api/telegram/status')
    t.equal(res.status, 200)
    t.match(res.body, {
      mode: 'live',
      bot: { id: Number, username: String },
      webhook: { url: '', pending_update_count: 0 },
      redis: { ok: true, version: /^\d+\.\d+/, maxmemory_policy: String, aof: true },
      paused: false,
      breaker: { local: 'closed' }
    })
    t.equal(res.body.workers.length, 1)
    const getMe = () => emulator.calls.filter(c => c.method === 'getMe').length
    const before = getMe()
    await admin('GET', '/api/telegram/status')
    t.equal(getMe(), before, 'getMe is cached')
  })

  t.test('status answers while Telegram is down', async t => {
    await emulator.setOutage(true)
    t.teardown(() => emulator.setOutage(false))
    const res = await admin('GET', '/api/telegram/status')
    t.equal(res.status, 200)
    t.match(res.body, { bot: { id: Number }, webhook: null, webhook_error: String, redis: { ok: true } })
  })

  t.test('the oldest waiting message is timed per priority', async t => {
    await admin('POST', '/api/telegram/worker/stop')
    t.teardown(() => admin('POST', '/api/telegram/worker/start'))
    const sent = await relay.send({ chat_id: 3300, text: 'waits', priority: 'low' })
    // as if it had been queued 400 s ago
    await redis.hset(keys.msg(sent.body.id), 't', String(Date.now() - 400_000))
    const m = (await admin('GET', '/api/telegram/queue/metrics')).body
    t.ok(m.oldest_waiting_s.low >= 400 && m.oldest_waiting_s.low < 460, `low waited ${m.oldest_waiting_s.low} s`)
    t.equal(m.oldest_waiting_s.critical, 0)
    const samples = parsePrometheus((await admin('GET', '/metrics')).body)
    t.ok((samples.get('tg_relay_oldest_waiting_seconds{priority="low"}') ?? 0) >= 400)
    await admin('POST', '/api/telegram/worker/start')
    await waitFor(async () => (await admin('GET', '/api/telegram/queue/metrics')).body.oldest_waiting_s.low === 0, 'delivered, nothing waits')
  })

  t.test('Redis down: status says so, metrics are 503', async t => {
    const names = async () => new Set([...(await redis.client('LIST') as string).matchAll(/ name=(tg-relay:\S+)/g)].map(m => m[1]))
    const before = await names()
    await relay.redis.kill()
    const res = await admin('GET', '/api/telegram/status')
    t.equal(res.status, 200)
    t.match(res.body, { redis: { ok: false, error: String }, paused: null, workers: [] })
    const m = await admin('GET', '/api/telegram/queue/metrics')
    t.equal(m.status, 503, JSON.stringify(m.body))
    t.ok(m.headers['retry-after'])
    const scrape = await admin('GET', '/metrics')
    t.equal(scrape.status, 200, '/metrics still answers, for the Redis alert')
    const down = parsePrometheus(scrape.body)
    t.equal(down.get('tg_relay_redis_up'), 0)
    t.notOk(down.has('tg_relay_dlq_size'), 'no stale queue values')
    t.ok(down.has('tg_relay_api_process_cpu_user_seconds_total'))
    // back up, and every connection of the app reconnected before it closes
    await relay.redis.restart()
    await waitFor(async () => {
      const now = await names().catch(() => new Set<string | undefined>())
      return [...before].every(n => now.has(n))
    }, 'the app\'s connections back', 10_000, 100)
    await waitFor(async () => (await admin('GET', '/api/telegram/queue/metrics')).status === 200, 'metrics answer again')
  })
})

t.test('TELEGRAM_ENABLE_METRICS=false: no /metrics, JSON metrics stay', async t => {
  const relay = await startRelay(t, { env: { TELEGRAM_ENABLE_METRICS: 'false', ROLE: 'api' } })
  const admin = asAdmin(relay)
  t.equal((await admin('GET', '/metrics')).status, 404)
  t.equal((await admin('GET', '/api/telegram/queue/metrics')).status, 200)
})
