// The charts' last hour: one sample per step for the deployment (two
// processes here), trimmed to a fixed length, served as rates and latency
// percentiles by GET /api/telegram/queue/history.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { asAdmin, deadLetters } from '../helpers/admin.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { MAX_POINTS } from '../../src/monitor/history.ts'

t.test('history of throughput, latency and DLQ', async t => {
  const env = { METRICS_HISTORY_STEP: '1' }
  const a = await startRelay(t, { env })
  const b = await startRelay(t, { env, redis: a.redis, emulator: a.emulator })
  const admin = asAdmin(a)
  const redis = redisClient(t, a.redis.url)
  const keys = a.app.queue.keys

  // deliveries start once the first sample is in, so every one of them falls into the history
  await waitFor(async () => await redis.llen(keys.history) > 0, 'the first sample', 10_000, 50)
  const started = Date.now()
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send({ chat_id: 8000 + round * 10 + i, text: `round ${round}` })))
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  await deadLetters(a, [8100])
  await waitFor(async () => {
    const h = (await admin('GET', '/api/telegram/queue/history')).body
    return h.points.length > 0 && h.points[h.points.length - 1].dlq === 1
  }, 'the dead letter in the history', 10_000, 200)

  const h = (await admin('GET', '/api/telegram/queue/history')).body
  t.equal(h.step_s, 1)
  const seconds = (Date.now() - started) / 1000
  // both processes try every step; one sample per step is kept
  const samples = await redis.llen(keys.history)
  t.ok(samples <= Math.ceil(seconds) + 2, `${samples} samples in ${seconds.toFixed(1)} s from two processes`)
  // each point is a rate over the time since the sample before it; two processes
  // sample at their own phase, so that time is not always one step
  const at = (await redis.lrange(keys.history, 0, -1)).map(r => (JSON.parse(r) as { at: number }).at).reverse()
  const points = h.points as Array<{ at: string, sent_per_s: number }>
  let sent = 0
  for (const p of points) {
    const i = at.indexOf(Date.parse(p.at))
    if (i > 0) sent += p.sent_per_s * ((at[i] as number) - (at[i - 1] as number)) / 1000
  }
  t.ok(Math.abs(sent - 30) < 0.5, `the deliveries add up: ${sent.toFixed(1)} of 30`)
  t.ok(h.points.some((p: { latency_p50_ms: number | null }) => p.latency_p50_ms !== null), 'latency where there were deliveries')
  t.ok(h.points.every((p: { latency_p50_ms: number | null, latency_p99_ms: number | null }) => p.latency_p50_ms === null || (p.latency_p99_ms as number) >= p.latency_p50_ms))
  t.ok(h.points.some((p: { failed_per_s: number }) => p.failed_per_s > 0), 'the dead letter as a failure')
  t.equal((await a.call('GET', '/api/telegram/queue/history')).status, 403, 'the service token is not enough')
})

t.test('fixed cost: the list never grows past its length', async t => {
  const relay = await startRelay(t, { env: { METRICS_HISTORY_STEP: '1', ROLE: 'api' } })
  const redis = redisClient(t, relay.redis.url)
  const snapshot = await (await asAdmin(relay)('GET', '/api/telegram/queue/metrics')).body
  const from = Date.now() - 3_600_000
  for (let i = 0; i < MAX_POINTS + 40; i++) await relay.app.monitor.history.sample(snapshot, from + i * 1000)
  t.equal(await redis.llen(relay.app.queue.keys.history), MAX_POINTS)
})
