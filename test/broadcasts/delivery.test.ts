// Broadcasts end to end: accepted, delivered through the queue to the Bot API
// emulator, counted by the scripts, readable per recipient.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { broadcastAddScript, broadcastKeys } from '../../src/queue/scripts.ts'

t.test('broadcasts', async t => {
  const relay = await startRelay(t)
  const { emulator, call } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const progress = async (id: string, query = '?limit=0') => (await call('GET', `/api/telegram/broadcasts/${id}${query}`)).body

  t.test('2,000 recipients, 50 of them blocked: exact counts, each message once', async t => {
    const chats = Array.from({ length: 2000 }, (_, i) => 500_000 + i)
    const blocked = new Set(chats.filter((_, i) => i % 40 === 7))
    t.equal(blocked.size, 50)
    for (const chat of blocked) emulator.blockChat(chat)

    const res = await call('POST', '/api/telegram/broadcasts', { recipients: chats, text: '<b>Studio news</b>: new backdrops', parse_mode: 'HTML', metadata: { campaign: 'news-1' } })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { id: String, recipients: 2000, duplicates: 0, status: 'queued', priority: 'low' })
    const id = res.body.id as string

    await waitFor(async () => (await progress(id)).pending === 0, 'the broadcast to finish', 30_000, 100)
    const p = await progress(id)
    t.match(p, {
      id,
      status: 'completed',
      recipients: 2000,
      pending: 0,
      sent: 1950,
      dead: 50,
      blocked: 50,
      failed: 0,
      expired: 0,
      cancelled: 0,
      successful_deliveries: 1950,
      delivery_rate: 0.975,
      content: { kind: 'text', text: '<b>Studio news</b>: new backdrops' },
      metadata: { campaign: 'news-1' }
    })
    t.same(p.results, [], 'limit=0: totals only')

    const received = emulator.received().filter(m => typeof m.chat_id === 'number' && m.chat_id >= 500_000 && m.chat_id < 502_000)
    t.equal(received.length, 1950, 'the emulator got 1950 messages')
    t.equal(new Set(received.map(m => m.chat_id)).size, 1950, 'each chat once')
    t.notOk(received.some(m => blocked.has(m.chat_id as number)), 'none to a blocked chat')

    // every recipient, page by page, in recipient order
    const seen: Array<{ chat_id: number, status: string, error?: string, message_ids: number[] }> = []
    let cursor: string | undefined = '0'
    let pages = 0
    while (cursor !== undefined) {
      const page = await progress(id, `?limit=300&cursor=${cursor}`)
      seen.push(...page.results)
      cursor = page.next_cursor
      pages++
    }
    t.equal(pages, 7)
    t.same(seen.map(r => r.chat_id), chats, 'all recipients, in order')
    const blockedRows = seen.filter(r => r.status === 'blocked')
    t.same(blockedRows.map(r => r.chat_id).sort(), [...blocked].sort())
    t.ok(blockedRows.every(r => /blocked by the user/.test(r.error ?? '')), 'blocked ones carry the reason')
    t.ok(seen.filter(r => r.status === 'sent').every(r => r.message_ids.length === 1 && r.error === undefined))
  })

  t.test('a chat listed twice gets the message once; plain ids and @channels mix', async t => {
    const res = await call('POST', '/api/telegram/broadcasts', { recipients: [601, '601', { chat_id: 602 }, 601, '@Studio_News', '@studio_news'], text: 'once' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { recipients: 3, duplicates: 3 })
    await waitFor(async () => (await progress(res.body.id)).sent === 3, '3 sent')
    t.equal(emulator.received(601).length, 1)
    t.equal(emulator.received(602).length, 1)
    t.equal(emulator.received('@studio_news').length, 1)
  })

  t.test('a template with per-recipient data and language', async t => {
    const res = await call('POST', '/api/telegram/broadcasts', {
      template: 'system_notification',
      language: 'ru',
      data: { title: 'Новости студии', message: 'Новые фоны' },
      recipients: [611, { chat_id: 612, language: 'en', data: { title: 'Studio news' } }, { chat_id: 613, data: { message: 'Скидка 10%' } }]
    })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(async () => (await progress(res.body.id)).sent === 3, '3 sent')
    t.match(emulator.received(611)[0]?.text, /Новости студии[\s\S]*Новые фоны/)
    t.match(emulator.received(612)[0]?.text, /Studio news[\s\S]*Новые фоны/)
    t.match(emulator.received(613)[0]?.text, /Новости студии[\s\S]*Скидка 10%/)
    t.match((await progress(res.body.id)).content, { kind: 'template', template: 'system_notification' })
  })

  t.test('a photo by URL with a caption', async t => {
    const res = await call('POST', '/api/telegram/broadcasts', { recipients: [621, 622], photo: 'https://example.com/backdrop.jpg', caption: 'New backdrop' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(async () => (await progress(res.body.id)).sent === 2, '2 sent')
    t.match(emulator.received(621)[0], { method: 'sendPhoto', caption: 'New backdrop' })
  })

  t.test('idempotency_key: the same broadcast back, nothing queued twice', async t => {
    const body = { recipients: [631, 632], text: 'once only', idempotency_key: 'newsletter-2024-12' }
    const a = await call('POST', '/api/telegram/broadcasts', body)
    const seq = await redis.get(keys.seq)
    const b = await call('POST', '/api/telegram/broadcasts', body)
    t.equal(b.status, 202)
    t.equal(b.body.id, a.body.id)
    t.equal(b.body.duplicate, true)
    t.equal(await redis.get(keys.seq), seq, 'nothing new queued')
    await waitFor(async () => (await progress(a.body.id)).sent === 2, '2 sent')
    t.equal(emulator.received(631).length, 1)
  })

  t.test('a request that died midway is resumed by its idempotency_key: nobody queued twice', async t => {
    const chats = Array.from({ length: 1200 }, (_, i) => 640_000 + i)
    // scheduled, so that nothing goes out while the crash is staged
    const body = { recipients: chats, text: 'resumed', idempotency_key: 'resume-1', send_at: new Date(Date.now() + 3_600_000).toISOString() }
    const first = await call('POST', '/api/telegram/broadcasts', body)
    t.equal(first.status, 202)
    t.equal(first.body.status, 'scheduled')
    const id = first.body.id as string
    const pending = await redis.lrange(keys.broadcastPending(id), 0, -1)
    t.equal(pending.length, 1200, 'every recipient listed, none a message yet')

    // the crash: 500 recipients listed, the rest not, the broadcast not yet due, the lock still held
    await redis.multi()
      .hset(keys.broadcastInfo(id), 'status', 'queuing', 'listed', 500)
      .ltrim(keys.broadcastPending(id), 0, 499)
      .zrem(keys.broadcastsDue, id)
      .set(keys.broadcastLock(id), '1', 'PX', 30_000)
      .exec()
    t.equal((await call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body.status, 'queuing')
    const busy = await call('POST', '/api/telegram/broadcasts', body)
    t.equal(busy.status, 409, 'while the lock is held another request is at it')
    await redis.del(keys.broadcastLock(id))
    t.equal((await call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body.status, 'interrupted')

    const seq = await redis.get(keys.seq)
    const again = await call('POST', '/api/telegram/broadcasts', body)
    t.equal(again.status, 202, JSON.stringify(again.body))
    t.match(again.body, { id, status: 'scheduled', recipients: 1200, duplicate: true })
    t.equal(await redis.get(keys.seq), seq, 'no message queued twice')
    t.same(await redis.lrange(keys.broadcastPending(id), 0, -1), pending, 'the recipient list is whole again, in order')
    t.equal(await redis.zscore(keys.broadcastsDue, id), String(Date.parse(body.send_at)), 'due at send_at')
    t.match((await call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body, { status: 'scheduled', pending: 1200 })
    t.match((await call('DELETE', `/api/telegram/broadcasts/${id}`)).body, { cancelled: 1200 })
  })

  t.test('a chunk sent twice (a resend after a reconnect) is listed once', async t => {
    const res = await call('POST', '/api/telegram/broadcasts', { recipients: [651, 652, 653], text: 'chunked', send_at: new Date(Date.now() + 3_600_000).toISOString() })
    const id = res.body.id as string
    // the first chunk again, as a resent command would bring it
    t.same(await broadcastAddScript(redis, { ...broadcastKeys(keys, id), wake: keys.wake }, { id, listedBefore: 0, dueAt: 0, ttlMs: 60_000, entries: ['651', '652', '653'] }), { listed: 3, status: 'queued' })
    t.same(await redis.lrange(keys.broadcastPending(id), 0, -1), ['651', '652', '653'])
    t.match((await call('DELETE', `/api/telegram/broadcasts/${id}`)).body, { cancelled: 3, not_cancelled: 0 })
  })

  t.test('unknown broadcast: 404', async t => {
    t.equal((await call('GET', '/api/telegram/broadcasts/nope')).status, 404)
    t.equal((await call('DELETE', '/api/telegram/broadcasts/nope')).status, 404)
  })
})
