// The queue's Lua scripts against a real redis-server: priorities, per-chat
// order and throttling without head-of-line blocking, idempotent enqueue,
// leases and poison, cancel, expiry.
import t from 'tap'
import { redisServer, redisClient } from '../helpers/redis.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import { createProducer } from '../../src/queue/producer.ts'
import { claimJobs, type ClaimLimits } from '../../src/queue/claim.ts'
import { ackScript } from '../../src/queue/scripts.ts'
import type { NewMessage } from '../../src/queue/message.ts'
import type { Priority } from '../../src/queue/keys.ts'

const HOUR = 3_600_000
const limits: ClaimLimits = { leaseMs: 10_000, globalIntervalMs: 0, globalBurstMs: 0, chatIntervalMs: 0, groupIntervalMs: 0 }

const msg = (chatId: number | string, text: string, priority: Priority = 'normal', extra: Partial<NewMessage> = {}): NewMessage => ({
  chatId, calls: [{ method: 'sendMessage', params: { chat_id: chatId, text } }], priority, expiresAt: Date.now() + HOUR, attempts: 3, ...extra
})
const texts = (jobs: Array<{ payload: string }>) => jobs.map(j => (JSON.parse(j.payload) as Array<{ params: { text: string } }>)[0]?.params.text)

t.test('queue scripts', async t => {
  const server = await redisServer(t)
  const redis = redisClient(t, server.url)
  let n = 0
  const fresh = () => {
    const keys = queueKeys(`t${n++}`)
    return { keys, producer: createProducer({ redis, keys, retentionMs: HOUR }) }
  }
  const ack = async (keys: ReturnType<typeof queueKeys>, id: string, part = 0, now = Date.now()) =>
    (await ackScript(redis, keys, { base: keys.base, now, retentionMs: HOUR, acks: [{ id, part, messageId: 1 }] }))[0]

  t.test('strict priority order, FIFO within a priority', async t => {
    const { keys, producer } = fresh()
    for (const [i, p] of (['low', 'normal', 'high', 'critical', 'low', 'critical'] as Priority[]).entries()) {
      await producer.enqueue(msg(1000 + i, `${p}-${i}`, p))
    }
    const { jobs } = await claimJobs(redis, keys, limits, 10)
    t.same(texts(jobs), ['critical-3', 'critical-5', 'high-2', 'normal-1', 'low-0', 'low-4'])
  })

  t.test('enqueue is idempotent: a resent command and a repeated idempotency key queue nothing new', async t => {
    const { keys, producer } = fresh()
    const a = await producer.enqueue(msg(1, 'a', 'normal', { idempotencyKey: 'booking-1' }))
    const b = await producer.enqueue(msg(1, 'b', 'normal', { idempotencyKey: 'booking-1' }))
    t.equal(b.id, a.id)
    t.equal(b.duplicate, true)
    t.equal(await redis.llen(keys.queues[2] as string), 1)
    t.equal(await redis.ttl(keys.idem('booking-1')) > 86000, true, 'idempotency kept 24 h')
  })

  t.test('a busy chat parks its later messages and does not block other chats', async t => {
    const { keys, producer } = fresh()
    const first = await producer.enqueue(msg(7, 'a1'))
    await producer.enqueue(msg(7, 'a2'))
    await producer.enqueue(msg(7, 'a3'))
    await producer.enqueue(msg(8, 'b1'))
    let r = await claimJobs(redis, keys, limits, 10)
    t.same(texts(r.jobs), ['a1', 'b1'], 'one in flight per chat; chat 8 is not held up')
    t.equal(await redis.zcard(keys.chatWait('7')), 2, 'a2, a3 wait for chat 7')
    r = await claimJobs(redis, keys, limits, 10)
    t.same(r.jobs, [], 'nothing while a1 is in flight')
    t.equal(await ack(keys, first.id), 'sent')
    r = await claimJobs(redis, keys, limits, 10)
    t.same(texts(r.jobs), ['a2'], 'released in order')
  })

  t.test('per-chat rate: throttled chat waits, its order is kept, others go', async t => {
    const { keys, producer } = fresh()
    const l = { ...limits, chatIntervalMs: 1000, groupIntervalMs: 3000 }
    const now = Date.now()
    const ids = []
    for (const text of ['x1', 'x2', 'x3']) ids.push((await producer.enqueue(msg(5, text))).id)
    await producer.enqueue(msg(6, 'y1'))
    let r = await claimJobs(redis, keys, l, 10, now)
    t.same(texts(r.jobs), ['x1', 'y1'])
    await ack(keys, ids[0] as string, 0, now + 10)
    r = await claimJobs(redis, keys, l, 10, now + 500)
    t.same(r.jobs, [], 'chat 5 still inside its 1 s window')
    t.ok(r.waitMs > 0 && r.waitMs <= 500, `wakes when the window ends (${r.waitMs} ms)`)
    r = await claimJobs(redis, keys, l, 10, now + 1001)
    t.same(texts(r.jobs), ['x2'])
  })

  t.test('group chats: one message per 3 s', async t => {
    const { keys, producer } = fresh()
    const l = { ...limits, chatIntervalMs: 1000, groupIntervalMs: 3000 }
    const now = Date.now()
    const a = await producer.enqueue(msg(-100123, 'g1'))
    await producer.enqueue(msg(-100123, 'g2'))
    await claimJobs(redis, keys, l, 10, now)
    await ack(keys, a.id, 0, now)
    t.same((await claimJobs(redis, keys, l, 10, now + 2000)).jobs, [])
    t.same(texts((await claimJobs(redis, keys, l, 10, now + 3001)).jobs), ['g2'])
  })

  t.test('global rate: claims are spaced, the rest wait in place', async t => {
    const { keys, producer } = fresh()
    const l = { ...limits, globalIntervalMs: 100, globalBurstMs: 0 }
    for (let i = 0; i < 5; i++) await producer.enqueue(msg(i, `m${i}`))
    const now = Date.now()
    const r = await claimJobs(redis, keys, l, 5, now)
    t.equal(r.jobs.length, 1)
    t.equal(r.reason, 'rate')
    t.ok(r.waitMs > 0 && r.waitMs <= 100)
    t.equal((await claimJobs(redis, keys, l, 5, now + 100)).jobs.length, 1)
    t.equal(await redis.llen(keys.queues[2] as string), 3, 'not taken out of the queue')
  })

  t.test('a lease that runs out returns the message; the second time it is poison', async t => {
    const { keys, producer } = fresh()
    const m = await producer.enqueue(msg(9, 'p'))
    await producer.enqueue(msg(10, 'q'))
    const now = Date.now()
    const r1 = await claimJobs(redis, { ...keys }, limits, 1, now)
    t.same(texts(r1.jobs), ['p'])
    const r2 = await claimJobs(redis, keys, limits, 1, now + 10_001)
    t.same(texts(r2.jobs), ['p'], 'back at the front after the lease')
    const r3 = await claimJobs(redis, keys, limits, 1, now + 20_002)
    t.same(texts(r3.jobs), ['q'], 'poison no longer blocks the queue')
    t.equal(await redis.hget(keys.msg(m.id), 's'), 'dead')
    t.match(await redis.hget(keys.msg(m.id), 'e'), /poison/)
    t.ok(await redis.zscore(keys.dlq, m.id) !== null, 'in the DLQ')
  })

  t.test('scheduled messages wait in the delayed set until due', async t => {
    const { keys, producer } = fresh()
    const now = Date.now()
    const m = await producer.enqueue(msg(11, 'later', 'normal', { sendAt: now + 5000 }))
    t.equal(m.status, 'scheduled')
    t.same((await claimJobs(redis, keys, limits, 5, now)).jobs, [])
    t.same(texts((await claimJobs(redis, keys, limits, 5, now + 5000)).jobs), ['later'])
  })

  t.test('an expired message goes to the DLQ as expired, not to Telegram', async t => {
    const { keys, producer } = fresh()
    const m = await producer.enqueue(msg(12, 'stale', 'normal', { expiresAt: Date.now() + 50 }))
    const r = await claimJobs(redis, keys, limits, 5, Date.now() + 100)
    t.same(r.jobs, [])
    t.equal(await redis.hget(keys.msg(m.id), 's'), 'expired')
    t.ok(await redis.zscore(keys.dlq, m.id) !== null)
  })

  t.test('cancel: a queued message is never claimed; a sent one cannot be cancelled', async t => {
    const { keys, producer } = fresh()
    const a = await producer.enqueue(msg(13, 'a'))
    const b = await producer.enqueue(msg(14, 'b'))
    t.equal(await producer.cancel(a.id), 'ok')
    t.equal(await producer.cancel(a.id), 'cancelled', 'a second cancel reports the state')
    const r = await claimJobs(redis, keys, limits, 5)
    t.same(texts(r.jobs), ['b'])
    await ack(keys, b.id)
    t.equal(await producer.cancel(b.id), 'sent')
    t.equal(await producer.cancel('nope'), 'missing')
  })

  t.test('multi-part messages hold their chat until the last part', async t => {
    const { keys, producer } = fresh()
    const calls = [1, 2, 3].map(i => ({ method: 'sendMessage', params: { chat_id: 15, text: `part${i}` } }))
    const m = await producer.enqueue({ ...msg(15, ''), calls })
    await producer.enqueue(msg(15, 'after'))
    for (let part = 0; part < 3; part++) {
      const r = await claimJobs(redis, keys, limits, 5)
      t.equal(r.jobs.length, 1, `only part ${part} goes`)
      t.equal(r.jobs[0]?.part, part)
      t.equal(await ack(keys, m.id, part), part < 2 ? 'next' : 'sent')
    }
    t.same(texts((await claimJobs(redis, keys, limits, 5)).jobs), ['after'])
    t.equal(await ack(keys, m.id, 1), 'stale', 'a repeated ack changes nothing')
    t.equal(await redis.hget(keys.msg(m.id), 'r'), '1,1,1')
  })

  t.test('a broken record is dead-lettered, never dropped mid-script', async t => {
    const { keys, producer } = fresh()
    const now = Date.now()
    await redis.hset(keys.msg('nochat'), { s: 'queued', pr: 2, p: '[]', x: now + HOUR })
    await redis.hset(keys.msg('noexpiry'), { s: 'queued', c: '77', p: '[]', pr: 'x' })
    await redis.rpush(keys.queues[2] as string, 'nochat', 'noexpiry')
    await producer.enqueue(msg(78, 'fine'))
    const r = await claimJobs(redis, keys, limits, 5)
    t.same(texts(r.jobs), ['fine'])
    t.equal(await redis.hget(keys.msg('nochat'), 's'), 'dead')
    t.equal(await redis.hget(keys.msg('noexpiry'), 's'), 'expired')
  })

  t.test('one ack call settles many messages, each on its own terms', async t => {
    const { keys, producer } = fresh()
    const a = await producer.enqueue(msg(90, 'a'))
    const b = await producer.enqueue(msg(91, 'b'))
    await claimJobs(redis, keys, limits, 5)
    const reply = await ackScript(redis, keys, {
      base: keys.base,
      now: Date.now(),
      retentionMs: HOUR,
      acks: [{ id: a.id, part: 0, messageId: 11 }, { id: b.id, part: 0, messageId: 12 }, { id: 'unknown', part: 0, messageId: 13 }]
    })
    t.same(reply, ['sent', 'sent', 'stale'])
    t.equal(await redis.hget(keys.msg(b.id), 'r'), '12')
    t.equal(await redis.zcard(keys.active), 0)
  })

  t.test('a claim records the acks handed to it first, as ack.lua would', async t => {
    const { keys, producer } = fresh()
    const a = await producer.enqueue(msg(92, 'a'))
    const a2 = await producer.enqueue(msg(92, 'a2'))
    const calls = [1, 2].map(i => ({ method: 'sendMessage', params: { chat_id: 93, text: `part${i}` } }))
    const b = await producer.enqueue({ ...msg(93, ''), calls })
    const first = await claimJobs(redis, keys, limits, 5)
    t.same(first.jobs.map(j => j.id), [a.id, b.id], 'a2 waits behind a')
    const hour = Math.floor(Date.now() / HOUR)
    const sentBefore = Number(await redis.hget(keys.stats, 'sent') ?? 0)
    const recorded: string[] = []
    const r = await claimJobs(redis, keys, limits, 5, Date.now(), {
      retentionMs: HOUR,
      acks: [{ id: a.id, part: 0, messageId: '21' }, { id: b.id, part: 0, messageId: '22' }, { id: 'unknown', part: 0, messageId: '23' }]
    })
    recorded.push(...r.jobs.map(j => `${j.id}:${j.part}`))
    t.same(recorded.sort(), [`${a2.id}:0`, `${b.id}:1`].sort(), 'the chats the acks freed are claimed in the same call')
    t.equal(await redis.hget(keys.msg(a.id), 's'), 'sent')
    t.equal(await redis.hget(keys.msg(a.id), 'r'), '21')
    t.ok(Number(await redis.pttl(keys.msg(a.id))) > 0, 'a sent message expires after the retention')
    t.equal(await redis.hget(keys.msg(b.id), 'r'), '22', 'the first part is recorded, the message goes on')
    t.equal(Number(await redis.hget(keys.stats, 'sent')), sentBefore + 1)
    t.equal(await redis.hget(keys.sentHours, String(hour)), '1')
    t.equal(await redis.llen(keys.latency), 1)
    t.equal(await redis.zscore(keys.active, a.id), null)
    t.equal(await ack(keys, a.id), 'stale', 'the ack is not done twice')
    // the previous call shape (16 keys, 12 arguments) still claims without acks
    const c = await producer.enqueue(msg(94, 'c'))
    t.same((await claimJobs(redis, keys, limits, 5)).jobs.map(j => j.id), [c.id])
  })

  t.test('admin pause stops claiming; the flag is shared through Redis', async t => {
    const { keys, producer } = fresh()
    await producer.enqueue(msg(16, 'x'))
    await redis.set(keys.paused, '1')
    const r = await claimJobs(redis, keys, limits, 5)
    t.equal(r.reason, 'paused')
    t.same(r.jobs, [])
    await redis.del(keys.paused)
    t.equal((await claimJobs(redis, keys, limits, 5)).jobs.length, 1)
  })
})
