// A rolling upgrade of the API: the previous release's enqueue script
// (8624193's, one message per call, kept in fixtures/8624193-lua/) and this
// release's batched one write to the same Redis, interleaved on one chat.
// Both write the same record (message.ts's toHash, unchanged between them),
// share one sequence, and a worker of this release delivers every message
// once, in the order they were queued.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { toHash } from '../../src/queue/message.ts'
import { newMessageId } from '../../src/queue/producer.ts'

const HOUR = 3_600_000
type Script = (n: number, ...args: Array<string | number>) => Promise<[string, string, string]>

t.test('the previous release\'s enqueue and this one\'s, side by side', async t => {
  const relay = await startRelay(t)
  const keys = relay.app.queue.keys
  const redis = redisClient(t, relay.redis.url)
  redis.defineCommand('old_enqueue', { lua: readFileSync(new URL('./fixtures/8624193-lua/enqueue.lua', import.meta.url), 'utf8') })
  const oldEnqueue: Script = (...a) => (redis as unknown as Record<'old_enqueue', Script>).old_enqueue(...a)

  const chat = 9100
  /** 8624193's producer: KEYS message, queue, delayed, idempotency, seq, wake, stats, log; ARGV id, now, send_at, idem ttl, log ttl, base, fields */
  async function old (text: string): Promise<string> {
    const id = newMessageId()
    const now = Date.now()
    const fields = toHash({ chatId: chat, calls: [{ method: 'sendMessage', params: { chat_id: chat, text } }], priority: 'normal', expiresAt: now + HOUR, attempts: 3 }, String(chat), now)
    const k = [keys.msg(id), keys.queues[2] as string, keys.delayed, keys.msg(id), keys.seq, keys.wake, keys.stats, keys.log(Math.floor(now / HOUR))]
    const reply = await oldEnqueue(k.length, ...k, id, now, 0, 0, HOUR, keys.base, ...fields)
    t.same(reply.slice(1), ['new', 'queued'], `old enqueue of ${text}`)
    return id
  }
  const send = async (text: string): Promise<string> => {
    const res = await relay.send({ chat_id: chat, text })
    t.equal(res.status, 202, `new enqueue of ${text}`)
    return res.body.id as string
  }

  const ids = [await old('o1'), await send('n1'), await old('o2')]
  ids.push(...await Promise.all([send('n2'), send('n3')]))
  ids.push(await old('o3'))

  await waitFor(() => relay.emulator.received(chat).length >= 6, 'all six delivered', 20_000)
  t.same(relay.emulator.received(chat).map(m => m.text), ['o1', 'n1', 'o2', 'n2', 'n3', 'o3'], 'once each, in the order queued')
  for (const id of ids) t.match((await relay.call('GET', `/api/telegram/messages/${id}`)).body, { status: 'sent' }, id)
  const fieldsOf = async (id: string) => (await redis.hkeys(keys.msg(id))).sort()
  t.same(await fieldsOf(ids[1] as string), await fieldsOf(ids[0] as string), 'the same record from either script')
  t.equal(await redis.hget(keys.stats, 'queued'), '6', 'each counted once')
})
