// The producer's group commit (src/queue/producer.ts): concurrent sends go to
// Redis in a few enqueue.lua calls, and each message comes out exactly as if
// it had been queued alone — its own id and outcome, per-priority FIFO in
// call order, its own per-chat sequence, idempotency inside one batch, the
// counters and the message log complete.
import t from 'tap'
import { redisServer, redisClient } from '../helpers/redis.ts'
import { queueKeys, type Priority } from '../../src/queue/keys.ts'
import { createProducer, ENQUEUE_BATCH_MAX } from '../../src/queue/producer.ts'
import { claimJobs, type ClaimLimits } from '../../src/queue/claim.ts'
import type { NewMessage } from '../../src/queue/message.ts'

const HOUR = 3_600_000
const limits: ClaimLimits = { leaseMs: 10_000, globalIntervalMs: 0, globalBurstMs: 0, chatIntervalMs: 0, groupIntervalMs: 0 }
const msg = (chatId: number, text: string, priority: Priority = 'normal', extra: Partial<NewMessage> = {}): NewMessage => ({
  chatId, calls: [{ method: 'sendMessage', params: { chat_id: chatId, text } }], priority, expiresAt: Date.now() + HOUR, attempts: 3, ...extra
})

async function scriptCalls (redis: ReturnType<typeof redisClient>): Promise<number> {
  const info = await redis.info('commandstats')
  let calls = 0
  for (const m of info.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+)/g)) calls += Number(m[1])
  return calls
}

t.test('group commit', async t => {
  const server = await redisServer(t)
  const redis = redisClient(t, server.url)
  let n = 0
  const fresh = () => {
    const keys = queueKeys(`b${n++}`)
    return { keys, producer: createProducer({ redis, keys, retentionMs: HOUR }) }
  }

  t.test('300 concurrent sends: few script calls, every message stored once, in call order', async t => {
    const { keys, producer } = fresh()
    const N = 300
    const before = await scriptCalls(redis)
    const priorities: Priority[] = ['normal', 'high', 'low']
    const results = await Promise.all(Array.from({ length: N }, (_, i) => producer.enqueue(msg(7000 + (i % 5), `m${i}`, priorities[i % 3]))))
    const calls = await scriptCalls(redis) - before
    t.ok(calls <= Math.ceil(N / ENQUEUE_BATCH_MAX) + 1, `${calls} script calls for ${N} messages`)
    t.equal(new Set(results.map(r => r.id)).size, N, 'a distinct id each')
    t.ok(results.every(r => !r.duplicate && r.status === 'queued'))

    // per priority list: the ids in call order
    for (const [rank, p] of (['critical', 'high', 'normal', 'low'] as Priority[]).entries()) {
      const want = results.filter((_, i) => priorities[i % 3] === p).map(r => r.id)
      t.same(await redis.lrange(keys.queues[rank] as string, 0, -1), want, `${p} list in call order`)
    }
    // sequence numbers follow the call order (per-chat order rests on them)
    const seqs = await Promise.all(results.map(async r => Number(await redis.hget(keys.msg(r.id), 'sq'))))
    t.same(seqs, [...seqs].sort((a, b) => a - b), 'sq increases with the call order')
    t.equal(new Set(seqs).size, N, 'no sq twice')
    t.equal(Number(await redis.get(keys.seq)), seqs[N - 1], 'the counter ends at the last one')
    t.equal(await redis.hget(keys.stats, 'queued'), String(N))
    const logged = await redis.lrange(keys.log(Math.floor(Date.now() / HOUR)), 0, -1)
    t.same(new Set(logged), new Set(results.map(r => r.id)), 'every id in the message log once')
    t.equal(logged.length, N)
    t.ok(await redis.llen(keys.wake) <= 64, 'wake-ups stay bounded')

    // and a worker claims them per chat in order
    const { jobs } = await claimJobs(redis, keys, limits, N)
    const byChat = new Map<string, number[]>()
    for (const j of jobs) {
      const text = (JSON.parse(j.payload) as Array<{ params: { text: string, chat_id: number } }>)[0]
      const list = byChat.get(String(text?.params.chat_id)) ?? []
      list.push(Number(text?.params.text.slice(1)))
      byChat.set(String(text?.params.chat_id), list)
    }
    t.ok([...byChat.values()].every(l => l.every((v, i) => i === 0 || (l[i - 1] as number) < v)), 'per chat: claimed in call order')
  })

  t.test('the same idempotency key twice in one batch: one message, the second a duplicate of the first', async t => {
    const { keys, producer } = fresh()
    const [a, b, c] = await Promise.all([
      producer.enqueue(msg(1, 'a', 'normal', { idempotencyKey: 'k-1' })),
      producer.enqueue(msg(1, 'b', 'normal', { idempotencyKey: 'k-1' })),
      producer.enqueue(msg(2, 'c', 'normal', { idempotencyKey: 'k-2' }))
    ])
    t.equal(a?.duplicate, false)
    t.equal(b?.id, a?.id)
    t.equal(b?.duplicate, true)
    t.equal(b?.status, 'queued')
    t.equal(c?.duplicate, false)
    t.equal(await redis.llen(keys.queues[2] as string), 2)
    t.equal(await redis.hget(keys.stats, 'queued'), '2')
    t.equal(await redis.get(keys.idem('k-1')), a?.id)
  })

  t.test('scheduled and ready messages in one batch', async t => {
    const { keys, producer } = fresh()
    const later = Date.now() + 60_000
    const [now1, sched, now2] = await Promise.all([
      producer.enqueue(msg(1, 'now')),
      producer.enqueue(msg(2, 'later', 'normal', { sendAt: later })),
      producer.enqueue(msg(3, 'now too', 'high'))
    ])
    t.equal(sched?.status, 'scheduled')
    t.same(await redis.zrange(keys.delayed, 0, -1, 'WITHSCORES'), [sched?.id, String(later)])
    t.same(await redis.lrange(keys.queues[2] as string, 0, -1), [now1?.id])
    t.same(await redis.lrange(keys.queues[1] as string, 0, -1), [now2?.id])
    t.equal(await redis.hget(keys.msg(sched?.id as string), 's'), 'scheduled')
  })

  t.test('a failed batch fails every send in it; the next one goes through', async t => {
    const { keys, producer } = fresh()
    // a WRONGTYPE on the shared log key makes the script fail after its checks
    await redis.set(keys.log(Math.floor(Date.now() / HOUR)), 'not a list')
    const settled = await Promise.allSettled([producer.enqueue(msg(1, 'x')), producer.enqueue(msg(2, 'y'))])
    t.same(settled.map(s => s.status), ['rejected', 'rejected'])
    await redis.del(keys.log(Math.floor(Date.now() / HOUR)))
    const ok = await producer.enqueue(msg(3, 'z'))
    t.equal(ok.status, 'queued', 'the next batch goes through')
  })
})
