// Real worker processes killed with SIGKILL mid-send, and stopped with
// SIGTERM: every acknowledged message is delivered.
import t from 'tap'
import { startRelay, TEST_ENV, BOT_TOKEN } from '../helpers/relay.ts'
import { spawnRelay } from '../helpers/spawn.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

// `npm run soak`: each round runs until 600 more are delivered (over 3,000 in all)
const PER_ROUND = process.env.SOAK === '1' ? 600 : 30

t.test('kill -9 of a worker, five times, under load: nothing lost', async t => {
  // the API in this process, workers as child processes
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const { emulator } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  emulator.setFaults({ latencyMs: [20, 60] })
  const workerEnv = { ...TEST_ENV, QUEUE_DEFAULT_ATTEMPTS: '100', LOG_LEVEL: 'warn', ROLE: 'worker', REDIS_URL: relay.redis.url, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: emulator.url }
  // a steady load: a producer keeps sending through every kill
  const acked: string[] = []
  const load = { running: true }
  const producer = (async () => {
    for (let i = 0; load.running; i++) {
      const text = `m${i}`
      const res = await relay.send({ chat_id: 1000 + (i % 40), text })
      if (res.status === 202) acked.push(text)
      if (i % 10 === 9) await new Promise(resolve => setTimeout(resolve, 60))
    }
  })()
  const delivered = () => new Set(emulator.messages.map(m => m.text)).size
  for (let round = 0; round < 5; round++) {
    const worker = await spawnRelay(t, workerEnv)
    const before = delivered()
    await waitFor(async () => delivered() >= before + PER_ROUND && await redis.zcard(keys.active) > 0, `round ${round}: progress with sends in flight`, 60_000, 5)
    const held = await redis.zrange(keys.active, 0, -1)
    worker.child.kill('SIGKILL')
    t.equal((await worker.exit).signal, 'SIGKILL', `round ${round}: killed with ${held.length} in flight`)
    // the next worker picks them up once their lease has run out
    const next = await spawnRelay(t, workerEnv)
    await waitFor(async () => {
      const states = await Promise.all(held.map(id => redis.hget(keys.msg(id), 's')))
      return states.every(s => s === 'sent')
    }, `round ${round}: the killed worker's messages delivered by another`, 20_000)
    next.child.kill('SIGTERM')
    t.equal((await next.exit).code, 0, `round ${round}: the other worker stops cleanly`)
  }
  load.running = false
  await producer
  const N = acked.length
  const last = await spawnRelay(t, workerEnv)
  await waitFor(() => delivered() === N, `all ${N} delivered`, 60_000)
  const texts = emulator.messages.map(m => m.text)
  t.comment(`kill -9 x5: acknowledged ${N}, delivered ${new Set(texts).size}, lost ${acked.filter(x => !texts.includes(x)).length}, duplicates ${texts.length - N}`)
  t.ok(N > 500, `${N} messages acknowledged under load`)
  t.same(acked.filter(s => !texts.includes(s)), [], 'none lost')
  t.equal(await redis.zcard(keys.dlq), 0, 'nothing dead-lettered')
  // a kill between Telegram's answer and the ack resends: at most what two kills per round had in flight
  t.ok(texts.length - N <= 5 * 2 * 8, `duplicates (${texts.length - N}) bounded by what was in flight at the kills`)
  last.child.kill('SIGTERM')
  t.equal((await last.exit).code, 0)
})

t.test('SIGTERM: in-flight sends finish or return to the queue, exit 0', async t => {
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const { emulator } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  emulator.setFaults({ latencyMs: 300 })
  for (let i = 0; i < 20; i++) await relay.send({ chat_id: 2000 + i, text: `t${i}` })
  const worker = await spawnRelay(t, {
    ...TEST_ENV, ROLE: 'worker', REDIS_URL: relay.redis.url, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: emulator.url, TELEGRAM_API_TIMEOUT: '5'
  })
  await waitFor(async () => await redis.zcard(keys.active) > 0, 'sends in flight', 10_000, 5)
  worker.child.kill('SIGTERM')
  const { code } = await worker.exit
  t.equal(code, 0, 'exit 0')
  t.equal(await redis.zcard(keys.active), 0, 'nothing left in flight')
  const delivered = emulator.messages.length
  const queued = (await Promise.all(keys.queues.map(k => redis.llen(k)))).reduce((a, b) => a + b, 0)
  t.equal(delivered + queued, 20, `every message is delivered (${delivered}) or back in the queue (${queued})`)
  emulator.setFaults({})
  relay.app.log.info('starting a second worker')
  await spawnRelay(t, { ...TEST_ENV, ROLE: 'worker', REDIS_URL: relay.redis.url, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_URL: emulator.url })
  await waitFor(() => new Set(emulator.messages.map(m => m.text)).size === 20, 'the rest delivered', 20_000)
})
