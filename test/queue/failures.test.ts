// How delivery behaves when Telegram or Redis misbehave: retried, paused, dead-lettered, never lost.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('Telegram errors', async t => {
  const relay = await startRelay(t)
  const { emulator, send, call } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body
  const settled = (id: string, states: string[]) => waitFor(async () => states.includes((await status(id)).status), `${id} to be ${states.join('|')}`)

  t.test('403 blocked: straight to the DLQ with the description; the chat is skipped later', async t => {
    emulator.blockChat(200)
    const a = await send({ chat_id: 200, text: 'first' })
    await settled(a.body.id, ['dead'])
    const s = await status(a.body.id)
    t.match(s.last_error, /403: Forbidden: bot was blocked by the user/)
    t.equal(s.attempts, 1, 'one attempt, no retries')
    t.ok(await redis.zscore(keys.dlq, a.body.id) !== null)
    t.match(await redis.hget(keys.blocked, '200'), /blocked/)
    const callsBefore = emulator.stats.requests
    const b = await send({ chat_id: 200, text: 'second' })
    await settled(b.body.id, ['dead'])
    t.match((await status(b.body.id)).last_error, /chat is blocked/)
    t.equal(emulator.stats.requests, callsBefore, 'Telegram was not asked again')
  })

  t.test('400 chat not found: permanent, not retried', async t => {
    emulator.removeChat(201)
    const a = await send({ chat_id: 201, text: 'x' })
    await settled(a.body.id, ['dead'])
    t.match((await status(a.body.id)).last_error, /400: Bad Request: chat not found/)
  })

  t.test('migrate_to_chat_id: resent to the supergroup, mapping remembered', async t => {
    emulator.migrateChat(-300, -1000000000300)
    const a = await send({ chat_id: -300, text: 'to the group' })
    await settled(a.body.id, ['sent'])
    t.equal(emulator.received(-1000000000300).length, 1)
    t.equal(await redis.hget(keys.migrated, '-300'), '-1000000000300')
    const b = await send({ chat_id: -300, text: 'again' })
    await settled(b.body.id, ['sent'])
    t.equal(emulator.received(-1000000000300).length, 2)
    t.equal((await status(b.body.id)).attempts, 1, 'went straight to the new id')
  })

  t.test('5xx and network errors are retried with backoff until delivered', async t => {
    emulator.setFaults({ serverErrorRate: 1 })
    const a = await send({ chat_id: 202, text: 'eventually' })
    await waitFor(async () => (await status(a.body.id)).attempts >= 2, 'two failed attempts')
    const s = await status(a.body.id)
    t.equal(s.status, 'retrying')
    t.match(s.last_error, /500/)
    t.ok(s.history.some((h: { event: string }) => h.event === 'attempt-failed'))
    emulator.setFaults({})
    await settled(a.body.id, ['sent'])
    t.equal(emulator.received(202).length, 1)
  })

  t.test('attempts run out: failed, in the DLQ with every attempt\'s error', async t => {
    emulator.setFaults({ serverErrorRate: 1 })
    const a = await send({ chat_id: 203, text: 'doomed', attempts: 3 })
    await settled(a.body.id, ['failed'])
    emulator.setFaults({})
    const s = await status(a.body.id)
    t.equal(s.attempts, 3)
    t.equal(s.history.filter((h: { event: string }) => h.event === 'attempt-failed').length, 3)
    t.ok(await redis.zscore(keys.dlq, a.body.id) !== null)
  })

  t.test('poison payload: DLQ, the queue keeps moving', async t => {
    const id = 'poison-1'
    const now = Date.now()
    await redis.hset(keys.msg(id), { s: 'queued', c: '204', pr: 2, sq: 1, p: '{not json', n: 1, ma: 3, t: now, x: now + 60_000 })
    await redis.rpush(keys.queues[2] as string, id)
    const ok = await send({ chat_id: 205, text: 'behind the poison' })
    await settled(ok.body.id, ['sent'])
    await settled(id, ['dead'])
    t.match((await status(id)).last_error, /poison/)
  })
})

t.test('429: the whole bot pauses for retry_after, no attempt is spent', async t => {
  const relay = await startRelay(t, { limits: { global: 1000, perChat: 1, perGroup: 1000 } })
  const { emulator, send, call } = relay
  const ids: string[] = []
  for (let i = 0; i < 4; i++) ids.push((await send({ chat_id: 300, text: `burst ${i}` })).body.id)
  await waitFor(() => emulator.received(300).length === 4, 'all four', 15_000)
  t.ok(emulator.stats.tooManyRequests >= 1, `Telegram answered 429 (${emulator.stats.tooManyRequests}x)`)
  t.same(emulator.received(300).map(m => m.text), ['burst 0', 'burst 1', 'burst 2', 'burst 3'], 'order kept')
  for (const id of ids) t.equal((await call('GET', `/api/telegram/messages/${id}`)).body.attempts, 1, '429s cost no attempt')
  const stats = await relay.app.redis.hgetall(relay.app.queue.keys.stats)
  t.ok(Number(stats.rate_limited) >= 1)
})

t.test('rate limits are respected: no 429 with Telegram\'s limits on', async t => {
  const relay = await startRelay(t, {
    limits: { global: 30, perChat: 1, perGroup: 20 },
    env: { TELEGRAM_RATE_LIMIT_REQUESTS: '30', TELEGRAM_CHAT_RATE_INTERVAL: '1000', TELEGRAM_GROUP_RATE_PER_MINUTE: '20' }
  })
  const { emulator, send } = relay
  // one chat with 3 messages (throttled to 1/s) must not hold up 40 others
  for (let i = 0; i < 3; i++) await send({ chat_id: 400, text: `slow ${i}` })
  for (let i = 0; i < 40; i++) await send({ chat_id: 401 + i, text: 'fast' })
  await waitFor(() => emulator.messages.length === 43, '43 messages', 15_000)
  t.equal(emulator.stats.tooManyRequests, 0, 'zero 429s')
  const order = emulator.messages.map(m => m.chat_id)
  t.ok(order.lastIndexOf(400) > 20, 'the throttled chat went out over time, the others did not wait for it')
  t.same(emulator.received(400).map(m => m.text), ['slow 0', 'slow 1', 'slow 2'])
})

t.test('outage: breaker opens, no attempts spent while open, delivery resumes', async t => {
  const relay = await startRelay(t, { env: { BREAKER_VOLUME: '3', QUEUE_DEFAULT_ATTEMPTS: '3' } })
  const { emulator, send, call } = relay
  await emulator.setOutage(true)
  const ids: string[] = []
  for (let i = 0; i < 20; i++) ids.push((await send({ chat_id: 500 + i, text: `during outage ${i}` })).body.id)
  await waitFor(() => relay.app.telegram.breaker.state() !== 'closed', 'breaker open')
  // several reset periods pass with the breaker probing
  await new Promise(resolve => setTimeout(resolve, 1500))
  await waitFor(async () => {
    let spent = 0
    for (const id of ids) spent += (await call('GET', `/api/telegram/messages/${id}`)).body.attempts
    return spent === 0
  }, 'no attempt spent on the outage: the ones that detected it are refunded', 5000)
  await emulator.setOutage(false)
  await waitFor(() => emulator.messages.length === 20, 'all 20 after recovery', 15_000)
  for (const id of ids) {
    const s = (await call('GET', `/api/telegram/messages/${id}`)).body
    t.equal(s.status, 'sent')
    t.equal(s.attempts, 1, 'only the successful attempt counts')
  }
})

t.test('outage with too little traffic to open the breaker: the last attempt is not spent on it', async t => {
  // one message, BREAKER_VOLUME left at 10: its 3 attempts fail well before
  // the breaker has seen enough calls to open
  const relay = await startRelay(t, { env: { QUEUE_DEFAULT_ATTEMPTS: '3' } })
  const { emulator, send, call } = relay
  await emulator.setOutage(true)
  const { id } = (await send({ chat_id: 520, text: 'alone in an outage' })).body
  const status = async () => (await call('GET', `/api/telegram/messages/${id}`)).body
  const failures = (s: { history: Array<{ event: string }> }) => s.history.filter(h => h.event === 'attempt-failed').length
  await waitFor(async () => { const s = await status(); return s.status === 'failed' || failures(s) > 3 }, 'a fourth try or the DLQ', 15_000)
  t.not((await status()).status, 'failed', 'not dead-lettered for an outage')
  await waitFor(() => relay.app.telegram.breaker.state() !== 'closed', 'its own retries to open the breaker', 15_000)
  await emulator.setOutage(false)
  await waitFor(async () => (await status()).status === 'sent', 'sent after recovery', 15_000)
  t.equal(emulator.received(520).length, 1, 'delivered once')
  t.equal((await status()).attempts, 1, 'the attempts spent detecting the outage were refunded')
  t.equal(await relay.app.redis.zcard(relay.app.queue.keys.dlq), 0, 'nothing dead-lettered')
})

t.test('at-most-once: a lost response goes to the DLQ as uncertain instead of being resent', async t => {
  const relay = await startRelay(t, { env: { DELIVERY_GUARANTEE: 'at-most-once' } })
  const { emulator, send, call } = relay
  emulator.setFaults({ lostResponseRate: 1 })
  const a = await send({ chat_id: 600, text: 'maybe' })
  await waitFor(async () => (await call('GET', `/api/telegram/messages/${a.body.id}`)).body.status === 'dead', 'dead')
  t.match((await call('GET', `/api/telegram/messages/${a.body.id}`)).body.last_error, /uncertain/)
  t.equal(emulator.received(600).length, 1, 'delivered exactly once')
})

t.test('Redis down: 503 with Retry-After, never 202; back when Redis is', async t => {
  const relay = await startRelay(t)
  await relay.redis.kill('SIGKILL')
  const res = await relay.send({ chat_id: 700, text: 'x' })
  t.equal(res.status, 503)
  t.ok(res.headers['retry-after'])
  t.equal((await relay.call('GET', '/health/ready')).status, 503)
  await relay.redis.restart()
  await waitFor(async () => (await relay.send({ chat_id: 700, text: 'back' })).status === 202, '202 again', 10_000)
  await waitFor(() => relay.emulator.received(700).length >= 1, 'delivered')
})

t.test('Redis out of memory: 503, never 202', async t => {
  const relay = await startRelay(t)
  const redis = redisClient(t, relay.redis.url)
  await redis.config('SET', 'maxmemory', '1')
  const res = await relay.send({ chat_id: 701, text: 'x' })
  t.equal(res.status, 503)
  await redis.config('SET', 'maxmemory', '0')
})
