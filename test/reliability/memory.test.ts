// Memory under volume: messages queued (delivery paused), then drained into
// the emulator. The process running API + worker keeps a flat RSS, and once
// MESSAGE_LOG_RETENTION has passed Redis is back near its baseline.
// `npm run soak` (SOAK=1): 1,000,000 messages and the retention wait;
// npm test: 20,000 messages, RSS only.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

const SOAK = process.env.SOAK === '1'
const N = Number(process.env.MEMORY_N ?? (SOAK ? 1_000_000 : 20_000))
const MB = 1024 * 1024

t.test(`${N.toLocaleString('en')} messages queued and drained: RSS flat, Redis back to baseline`, { timeout: 1_500_000 }, async t => {
  const relay = await startRelay(t, { env: { MESSAGE_LOG_RETENTION: '60', QUEUE_MAX_CONCURRENT_JOBS: '50', TELEGRAM_CONNECTION_POOL_SIZE: '50', TELEGRAM_RATE_LIMIT_WINDOW: '0.001' } })
  const { app, emulator } = relay
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await app.redis.info('memory'))?.[1])
  // the emulator keeps every message it accepts; count and drop them so only tg-relay's memory shows
  let delivered = 0
  const drainInbox = () => { delivered += emulator.messages.length; emulator.messages.length = 0 }
  let peakRss = 0
  const sampler = setInterval(() => { drainInbox(); peakRss = Math.max(peakRss, process.memoryUsage().rss) }, 200)
  t.teardown(() => clearInterval(sampler))

  globalThis.gc?.()
  const baselineRedis = await usedMemory()
  const startRss = process.memoryUsage().rss
  await app.redis.set(app.queue.keys.paused, '1')
  const batch = 1000
  for (let i = 0; i < N; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, N - i) }, (_, j) => app.queue.producer.enqueue({
      chatId: 100_000 + ((i + j) % 5000),
      calls: [{ method: 'sendMessage', params: { chat_id: 100_000 + ((i + j) % 5000), text: `<b>Booking ${i + j}</b> confirmed: Studio A, 15 Dec 10:00–12:00`, parse_mode: 'HTML' } }],
      priority: 'normal',
      expiresAt: Date.now() + 3_600_000,
      attempts: 5
    })))
  }
  const queuedRedis = await usedMemory()
  await app.redis.del(app.queue.keys.paused)
  await app.redis.lpush(app.queue.keys.wake, '1')
  const started = Date.now()
  await waitFor(() => { drainInbox(); return delivered >= N }, `all ${N} delivered`, SOAK ? 1_200_000 : 120_000, 200)
  const drainS = (Date.now() - started) / 1000
  const endRss = process.memoryUsage().rss
  t.comment(`${N} messages: Redis ${((queuedRedis - baselineRedis) / N).toFixed(0)} B per queued message (${((queuedRedis - baselineRedis) / MB).toFixed(0)} MB), drained at ${Math.round(N / drainS)} msg/s; process RSS start ${(startRss / MB).toFixed(0)} MB, peak ${(peakRss / MB).toFixed(0)} MB, end ${(endRss / MB).toFixed(0)} MB`)
  t.equal(delivered, N, 'every message delivered')
  t.ok(peakRss - startRss < 400 * MB, `RSS stays flat: peak ${((peakRss - startRss) / MB).toFixed(0)} MB over the start (bounded, not proportional to ${N} messages)`)
  if (SOAK) {
    // sent messages expire MESSAGE_LOG_RETENTION (60 s) after delivery; log lists 60 s after their last id
    await waitFor(async () => await usedMemory() - baselineRedis < 5 * MB, 'Redis memory back near its baseline after retention', 240_000, 2000)
    t.comment(`Redis after retention: ${((await usedMemory() - baselineRedis) / MB).toFixed(1)} MB over the baseline (peak ${((queuedRedis - baselineRedis) / MB).toFixed(0)} MB)`)
  }
})
