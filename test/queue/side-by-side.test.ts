// A rolling upgrade: workers of the previous release (e5f4737's claim and ack
// scripts, kept in fixtures/e5f4737-lua/) run beside this release on one
// Redis. What this release stores — a /send message, and the messages a
// broadcast's recipients become — is claimed and acknowledged by the old
// scripts like their own, and counted in the broadcast.
import t from 'tap'
import { readFileSync } from 'node:fs'
import type { Redis } from 'ioredis'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { claimJobs } from '../../src/queue/claim.ts'
import type { QueueKeys } from '../../src/queue/keys.ts'

const lua = (name: string) => readFileSync(new URL(`./fixtures/e5f4737-lua/${name}.lua`, import.meta.url), 'utf8')
  .replace(/^-- @include common$/m, () => lua('common'))

type Script = (n: number, ...args: Array<string | number>) => Promise<unknown>

function oldWorker (redis: Redis, keys: QueueKeys) {
  redis.defineCommand('old_claim', { lua: lua('claim') })
  redis.defineCommand('old_ack', { lua: lua('ack') })
  const r = redis as unknown as Record<'old_claim' | 'old_ack', Script>
  return {
    /** e5f4737's claim: 14 keys, 9 args; returns [id, calls JSON] per job */
    async claim (max: number): Promise<Array<{ id: string, payload: string }>> {
      const k = [...keys.queues, keys.active, keys.delayed, keys.waiting, keys.dlq, keys.rate, keys.pause, keys.paused, keys.blocked, keys.migrated, keys.stats]
      const reply = await r.old_claim(k.length, ...k, keys.base, Date.now(), max, 10_000, 0, 0, 0, 0, 200) as Array<string | number>
      const jobs: Array<{ id: string, payload: string }> = []
      for (let i = 3; i + 9 <= reply.length; i += 9) jobs.push({ id: String(reply[i]), payload: String(reply[i + 1]) })
      return jobs
    },
    async ack (id: string, messageId: number): Promise<unknown> {
      const k = [keys.active, keys.delayed, keys.waiting, keys.dlq, keys.stats, keys.latency]
      return await r.old_ack(k.length, ...k, keys.base, Date.now(), 60_000, id, 0, messageId)
    }
  }
}

t.test('e5f4737 workers deliver what this release queues', async t => {
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const { call } = relay
  const keys = relay.app.queue.keys
  const redis = redisClient(t, relay.redis.url)
  const old = oldWorker(redis, keys)

  const single = await relay.send({ chat_id: 41, text: '<b>new</b> release', parse_mode: 'HTML', disable_notification: false })
  t.equal(single.status, 202)
  const b = await call('POST', '/api/telegram/broadcasts', { recipients: [51, 52, '@newchannel'], text: 'new broadcast', priority: 'normal' })
  t.equal(b.status, 202)
  // a worker of this release turns the recipients into messages (claiming none of them here)
  t.same((await claimJobs(redis, keys, { leaseMs: 10_000, globalIntervalMs: 0, globalBurstMs: 0, chatIntervalMs: 0, groupIntervalMs: 0 }, 0)).jobs, [])

  const jobs = await old.claim(10)
  t.equal(jobs.length, 4, 'the old claim takes all four')
  const calls = jobs.map(j => JSON.parse(j.payload) as Array<{ method: string, params: Record<string, unknown> }>)
  t.same(calls.map(c => c[0]?.params.chat_id).sort(), [41, 51, 52, '@newchannel'].sort(), 'each with its chat in the calls')
  t.ok(calls.every(c => c.length === 1 && c[0]?.method === 'sendMessage'))
  for (const [i, j] of jobs.entries()) t.same(await old.ack(j.id, 900 + i), ['sent'], `old ack of ${j.id}`)

  t.match((await call('GET', `/api/telegram/messages/${single.body.id}`)).body, { status: 'sent', message_ids: [Number] })
  const p = (await call('GET', `/api/telegram/broadcasts/${b.body.id}?limit=10`)).body
  t.match(p, { status: 'completed', sent: 3, pending: 0 })
  t.ok(p.results.every((r: { status: string }) => r.status === 'sent'))
})
