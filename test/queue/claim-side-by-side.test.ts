// A rolling upgrade of the workers: the previous release's claim and ack
// scripts (9508f38's, kept in fixtures/9508f38-lua/) and this release's claim,
// which records the acks handed to it, take turns on one Redis and the same
// chats. Every message (one of them in two parts) is sent once, each chat in
// the order it was queued, and counted once, whichever worker claimed or
// acknowledged it.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { redisServer, redisClient } from '../helpers/redis.ts'
import { queueKeys } from '../../src/queue/keys.ts'
import { createProducer } from '../../src/queue/producer.ts'
import { claimJobs, type ClaimLimits, type Job } from '../../src/queue/claim.ts'

const HOUR = 3_600_000
const lua = (name: string): string => readFileSync(new URL(`./fixtures/9508f38-lua/${name}.lua`, import.meta.url), 'utf8')
  .replace(/^-- @include ([\w-]+)$/gm, (_, inc: string) => lua(`includes/${inc}`))
type Script = (n: number, ...args: Array<string | number>) => Promise<unknown>
const limits: ClaimLimits = { leaseMs: 10_000, globalIntervalMs: 0, globalBurstMs: 0, chatIntervalMs: 0, groupIntervalMs: 0, logTtlMs: HOUR }

t.test('9508f38 workers and this release\'s, side by side', async t => {
  const server = await redisServer(t)
  const redis = redisClient(t, server.url)
  const keys = queueKeys('sbs')
  const producer = createProducer({ redis, keys, retentionMs: HOUR })
  redis.defineCommand('old_claim', { lua: lua('claim') })
  redis.defineCommand('old_ack', { lua: lua('ack') })
  const r = redis as unknown as Record<'old_claim' | 'old_ack', Script>
  const claimKeys = [...keys.queues, keys.active, keys.delayed, keys.waiting, keys.dlq, keys.rate, keys.pause, keys.paused, keys.blocked, keys.migrated, keys.stats, keys.broadcastsDue, keys.paidRate]
  /** 9508f38's claim: 16 keys, 12 args; the same 11 fields per job as this release's */
  const oldClaim = async (max: number): Promise<Array<{ id: string, payload: string, part: number, chat: string }>> => {
    const reply = await r.old_claim(claimKeys.length, ...claimKeys, keys.base, Date.now(), max, limits.leaseMs, 0, 0, 0, 0, 200, 0, 0, HOUR) as Array<string | number>
    const jobs = []
    for (let i = 3; i + 11 <= reply.length; i += 11) jobs.push({ id: String(reply[i]), payload: String(reply[i + 1]), part: Number(reply[i + 2]), chat: String(reply[i + 5]) })
    return jobs
  }
  const ackKeys = [keys.active, keys.delayed, keys.waiting, keys.dlq, keys.stats, keys.latency, keys.sentHours]
  const oldAck = async (id: string, part: number, messageId: number): Promise<unknown> =>
    await r.old_ack(ackKeys.length, ...ackKeys, keys.base, Date.now(), HOUR, id, part, messageId)

  const chats = [701, 702, 703]
  const queued = new Map<number, string[]>(chats.map(c => [c, []]))
  const ids: string[] = []
  for (let i = 0; i < 6; i++) {
    for (const chat of chats) {
      const texts = chat === 701 && i === 2 ? [`${chat}-${i}a`, `${chat}-${i}b`] : [`${chat}-${i}`]
      const m = await producer.enqueue({
        chatId: chat, calls: texts.map(text => ({ method: 'sendMessage', params: { chat_id: chat, text } })), priority: 'normal', expiresAt: Date.now() + HOUR, attempts: 3
      })
      ids.push(m.id)
      queued.get(chat)?.push(...texts)
    }
  }
  const parts = [...queued.values()].reduce((n, texts) => n + texts.length, 0)

  const sentOrder = new Map<string, string[]>()
  const record = (job: { payload: string, part: number, chat: string }, by: string) => {
    const text = (JSON.parse(job.payload) as Array<{ params: { text: string } }>)[job.part]?.params.text as string
    sentOrder.set(job.chat, [...(sentOrder.get(job.chat) ?? []), text])
    acks.push(by)
  }
  const acks: string[] = []
  let held: Job[] = []
  let messageId = 1000
  for (let round = 0; round < 100 && acks.length < parts; round++) {
    // the new worker's claim carries the acks of what it claimed last round
    const carried = held.map(j => ({ id: j.id, part: j.part, messageId: String(messageId++) }))
    for (const j of held) record(j, 'new')
    held = (await claimJobs(redis, keys, limits, 2, Date.now(), carried.length > 0 ? { retentionMs: HOUR, acks: carried } : undefined)).jobs
    for (const j of await oldClaim(2)) {
      t.same(await oldAck(j.id, j.part, messageId++), [j.part === 0 && j.payload.includes('-2a') ? 'next' : 'sent'])
      record(j, 'old')
    }
  }
  t.equal(held.length, 0, 'nothing left claimed')
  t.equal(acks.length, parts, 'every part acknowledged once')
  t.ok(acks.includes('old') && acks.includes('new'), `both workers did some (${acks.filter(a => a === 'new').length} new, ${acks.filter(a => a === 'old').length} old)`)
  for (const chat of chats) t.same(sentOrder.get(String(chat)), queued.get(chat), `chat ${chat} in queued order`)
  for (const id of ids) t.equal(await redis.hget(keys.msg(id), 's'), 'sent', `${id} sent`)
  t.equal(Number(await redis.hget(keys.msg(ids[6] as string), 'a')), 1, 'the two-part message counts one attempt')
  t.equal(Number(await redis.hget(keys.stats, 'sent')), ids.length, 'counted once each')
  t.equal(Object.values(await redis.hgetall(keys.sentHours)).reduce((n, v) => n + Number(v), 0), ids.length)
  t.equal(await redis.llen(keys.latency), ids.length)
  t.equal(await redis.zcard(keys.active), 0)
})
