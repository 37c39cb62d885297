// The dead-letter queue over the admin API, end to end: messages die through
// the real path (the emulator refuses them), are listed, requeued, deleted;
// requeued ones are delivered by the emulator.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { asAdmin, deadLetters } from '../helpers/admin.ts'

t.test('dead-letter queue', async t => {
  const relay = await startRelay(t)
  const { emulator } = relay
  const admin = asAdmin(relay)
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const message = async (id: string) => (await admin('GET', `/api/telegram/messages/${id}`)).body
  const sentOnce = (chat: number) => emulator.received(chat).length === 1

  t.test('paged newest first; the cursor survives a change between pages', async t => {
    const ids = await deadLetters(relay, [1001, 1002, 1003, 1004, 1005, 1006, 1007])
    const first = await admin('GET', '/api/telegram/queue/dlq?limit=3')
    t.equal(first.status, 200)
    t.equal(first.body.total, 7)
    t.equal(first.body.entries.length, 3)
    t.ok(first.body.next_cursor)
    const e = first.body.entries[0]
    t.match(e, { status: 'dead', chat_id: Number, last_error: /blocked/, dead_at: String })
    t.match(e.history.at(-1), { event: 'dead', detail: /403.*blocked/ }, 'history holds the error')
    // a page-1 entry leaves between the pages: page 2 still starts right after page 1
    t.equal((await admin('DELETE', `/api/telegram/queue/dlq/${first.body.entries[1].id}`)).status, 200)
    const second = await admin('GET', `/api/telegram/queue/dlq?limit=3&cursor=${first.body.next_cursor}`)
    const third = await admin('GET', `/api/telegram/queue/dlq?limit=3&cursor=${second.body.next_cursor}`)
    t.equal(third.body.next_cursor, undefined, 'last page')
    const pages = [...first.body.entries, ...second.body.entries, ...third.body.entries]
    t.same(pages.map((x: { id: string }) => x.id).sort(), [...ids].sort(), 'every entry once')
    const times = pages.map((x: { dead_at: string }) => Date.parse(x.dead_at))
    t.same(times, [...times].sort((a, b) => b - a), 'newest first')
    t.equal((await admin('GET', '/api/telegram/queue/dlq?limit=0')).status, 400)
    t.equal((await admin('GET', '/api/telegram/queue/dlq?cursor=nonsense')).status, 400)
    t.equal((await admin('DELETE', '/api/telegram/queue/dlq')).status, 200)
  })

  t.test('requeue by id: fresh attempts and expiry, priority kept, delivered', async t => {
    // two 5xx answers spend both attempts: failed, in the DLQ
    emulator.setFaults({ serverErrorRate: 1 })
    const res = await relay.send({ chat_id: 1100, text: 'second chance', priority: 'high', attempts: 2, ttl: 60 })
    await waitFor(async () => (await message(res.body.id)).status === 'failed', 'failed after 2 attempts')
    const dead = await message(res.body.id)
    t.equal(dead.attempts, 2)
    emulator.setFaults({})
    const r = await admin('POST', `/api/telegram/queue/dlq/requeue/${res.body.id}`)
    t.same(r.body, { id: res.body.id, status: 'queued' })
    await waitFor(() => sentOnce(1100), 'delivered after the requeue')
    await waitFor(async () => (await message(res.body.id)).status === 'sent', 'sent')
    const m = await message(res.body.id)
    t.equal(m.attempts, 1, 'attempts started again from 0')
    t.equal(m.priority, 'high')
    t.ok(Date.parse(m.expires_at) > Date.parse(dead.expires_at) + 3_600_000, 'expiry is now + MESSAGE_TTL')
    t.match(m.history.find((h: { event: string }) => h.event === 'requeued'), { detail: /admin from 127\.0\.0\.1/ })
    t.equal((await admin('POST', `/api/telegram/queue/dlq/requeue/${res.body.id}`)).status, 404, 'not in the DLQ any more')
  })

  t.test('a numeric id is an index into the newest-first listing; unknown ids are 404', async t => {
    const [older, newer] = await deadLetters(relay, [1201, 1202])
    emulator.reset()
    const r = await admin('POST', '/api/telegram/queue/dlq/requeue/0')
    t.same(r.body, { id: newer, status: 'queued' }, 'index 0 = the newest')
    await waitFor(() => sentOnce(1202), 'the requeued one (its chat unblocked) delivered')
    t.equal((await admin('POST', '/api/telegram/queue/dlq/requeue/5')).status, 404)
    t.equal((await admin('POST', '/api/telegram/queue/dlq/requeue/nope')).status, 404)
    t.equal((await admin('DELETE', '/api/telegram/queue/dlq/nope')).status, 404)
    t.equal((await admin('POST', '/api/telegram/queue/dlq/requeue/bad$id')).status, 400)
    t.equal((await admin('DELETE', '/api/telegram/queue/dlq/0')).status, 200, 'delete by index')
    t.equal(await redis.exists(keys.msg(older as string)), 0)
  })

  t.test('requeue all, or only those whose last error matches', async t => {
    const blocked = await deadLetters(relay, [1301, 1302])
    emulator.removeChat(1303)
    emulator.removeChat(1304)
    const missing = [(await relay.send({ chat_id: 1303, text: 'a' })).body.id, (await relay.send({ chat_id: 1304, text: 'b' })).body.id]
    await waitFor(async () => (await Promise.all(missing.map(message))).every(m => m.status === 'dead'), 'chat not found: dead')
    emulator.reset()
    const some = await admin('POST', '/api/telegram/queue/dlq/requeue', { error_contains: 'CHAT NOT FOUND' })
    t.same(some.body, { requeued: 2, remaining: 2 })
    await waitFor(() => sentOnce(1303) && sentOnce(1304), 'the matching ones delivered')
    t.equal(emulator.received(1301).length, 0, 'the others stay')
    t.same((await admin('GET', '/api/telegram/queue/dlq')).body.entries.map((e: { id: string }) => e.id).sort(), [...blocked].sort())
    t.equal((await admin('POST', '/api/telegram/queue/dlq/requeue', { error_contains: 'no such error' })).body.requeued, 0)
    t.equal((await admin('POST', '/api/telegram/queue/dlq/requeue', { colour: 'red' })).status, 400)
    const all = await admin('POST', '/api/telegram/queue/dlq/requeue')
    t.same(all.body, { requeued: 2, remaining: 0 }, 'no body: everything')
    await waitFor(() => sentOnce(1301) && sentOnce(1302), 'all delivered')
  })

  t.test('delete one, clear all: the messages are gone', async t => {
    const ids = await deadLetters(relay, [1401, 1402, 1403, 1404])
    const one = await admin('DELETE', `/api/telegram/queue/dlq/${ids[0]}`)
    t.same(one.body, { id: ids[0], deleted: true })
    t.equal((await admin('DELETE', `/api/telegram/queue/dlq/${ids[0]}`)).status, 404)
    t.equal((await admin('GET', `/api/telegram/messages/${ids[0]}`)).status, 404)
    const cleared = await admin('DELETE', '/api/telegram/queue/dlq')
    t.same(cleared.body, { deleted: 3 })
    t.equal(await redis.zcard(keys.dlq), 0)
    t.equal(await redis.exists(...ids.map(id => keys.msg(id))), 0)
    t.same((await admin('GET', '/api/telegram/queue/dlq')).body, { total: 0, entries: [] })
  })

  t.test('requeue races the worker and other admins: nothing lost, nothing twice', async t => {
    const chats = Array.from({ length: 30 }, (_, i) => 1500 + i)
    const ids = await deadLetters(relay, chats)
    emulator.reset()
    const before = Number(await redis.hget(keys.stats, 'requeued'))
    // the worker is busy with fresh traffic while everything is requeued at
    // once: all at once, one by one, and by index, concurrently
    const traffic = Array.from({ length: 60 }, (_, i) => relay.send({ chat_id: 1600 + (i % 12), text: `busy ${i}` }))
    const [all, byId, byIndex] = await Promise.all([
      admin('POST', '/api/telegram/queue/dlq/requeue'),
      Promise.all(ids.map(id => admin('POST', `/api/telegram/queue/dlq/requeue/${id}`))),
      Promise.all([0, 0, 0, 0, 0].map(i => admin('POST', `/api/telegram/queue/dlq/requeue/${i}`))),
      Promise.all(traffic)
    ])
    const wins = all.body.requeued + [...byId, ...byIndex].filter(r => r.status === 200).length
    t.equal(wins, 30, 'each dead letter requeued exactly once')
    t.ok([...byId, ...byIndex].every(r => r.status === 200 || r.status === 404))
    await waitFor(() => chats.every(sentOnce), 'every requeued message delivered', 15_000)
    await waitFor(() => emulator.received().filter(m => m.text?.startsWith('busy ')).length === 60, 'the traffic delivered')
    const texts = emulator.received().map(m => m.text)
    t.equal(new Set(texts).size, texts.length, 'no duplicates')
    t.equal(Number(await redis.hget(keys.stats, 'requeued')) - before, 30)
    t.equal(await redis.zcard(keys.dlq), 0)
  })

  // A message handed over from a chat's wait set and dead-lettered at claim
  // (chat blocked, expired) must re-arm the chat, or the chat's later parked
  // messages would stay in w:<chat> forever (a bug this test found).
  t.test('a blocked chat with several parked messages: all reach the DLQ', async t => {
    emulator.blockChat(1700)
    await redis.set(keys.paused, '1')
    const ids = await Promise.all([0, 1, 2, 3].map(async i => (await relay.send({ chat_id: 1700, text: `p${i}` })).body.id as string))
    await admin('POST', '/api/telegram/worker/start')
    const dead = async () => (await Promise.all(ids.map(message))).filter(m => m.status === 'dead').length
    await waitFor(async () => await dead() === 4, 'all four parked messages dead-lettered', 10_000)
    t.equal(await dead(), 4)
  })
})
