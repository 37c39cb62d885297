// End to end: HTTP in, Redis queue, worker, real HTTP to the Bot API
// emulator. Assertions are on what the emulator received and on Redis state.
import t from 'tap'
import { startRelay, ADMIN_TOKEN } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('delivery', async t => {
  const relay = await startRelay(t)
  const { emulator, send, call } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body

  t.test('202, then delivered with Telegram\'s message_id in the status', async t => {
    const res = await send({ chat_id: 123, text: '<b>hi</b>', parse_mode: 'HTML', priority: 'high', metadata: { booking: 42 } })
    t.equal(res.status, 202)
    t.match(res.body, { id: String, status: 'queued', priority: 'high', parts: 1 })
    await waitFor(async () => (await status(res.body.id)).status === 'sent', 'sent')
    const s = await status(res.body.id)
    const got = emulator.received(123)
    t.equal(got.length, 1)
    t.equal(got[0]?.text, '<b>hi</b>')
    t.same(s.message_ids, [got[0]?.message_id])
    t.same(s.metadata, { booking: 42 })
    t.equal(s.attempts, 1)
    t.ok(s.sent_at)
    t.same(s.history.map((h: { event: string }) => h.event), ['queued', 'sent'], 'the audit trail')
  })

  t.test('long text is split into ordered parts, each within 4096 characters', async t => {
    const line = 'Строка с текстом и <b>жирным</b> словом, достаточно длинная для теста.\n'
    const text = line.repeat(200)
    const res = await send({ chat_id: 124, text, parse_mode: 'HTML' })
    t.equal(res.status, 202)
    t.ok(res.body.parts >= 3, `${res.body.parts} parts`)
    await waitFor(async () => (await status(res.body.id)).status === 'sent', 'all parts sent')
    const got = emulator.received(124)
    t.equal(got.length, res.body.parts)
    const visible = got.map(m => (m.text ?? '').replace(/<\/?b>/g, ''))
    for (const v of visible) t.ok(v.length <= 4096)
    t.equal(visible.join('\n').trimEnd(), text.replace(/<\/?b>/g, '').trimEnd(), 'nothing lost, order kept')
    t.equal((await status(res.body.id)).message_ids.length, got.length)
  })

  t.test('idempotency_key: the first id back, nothing new queued or sent', async t => {
    const body = { chat_id: 125, text: 'once', idempotency_key: 'booking-7-created' }
    const a = await send(body)
    const b = await send(body)
    t.equal(a.status, 202)
    t.equal(b.status, 202)
    t.equal(b.body.id, a.body.id)
    t.equal(b.body.duplicate, true)
    await waitFor(async () => (await status(a.body.id)).status === 'sent', 'sent')
    t.equal(emulator.received(125).length, 1)
  })

  t.test('messages to one chat arrive in order', async t => {
    for (let i = 0; i < 30; i++) t.equal((await send({ chat_id: 126, text: `n${i}` })).status, 202)
    await waitFor(() => emulator.received(126).length === 30, '30 messages')
    t.same(emulator.received(126).map(m => m.text), Array.from({ length: 30 }, (_, i) => `n${i}`))
  })

  t.test('bad input: 400 naming the field, nothing queued', async t => {
    const before = await redis.get(keys.seq)
    const cases: Array<[unknown, RegExp]> = [
      [{ text: 'no chat' }, /chat_id/],
      [{ chat_id: 'abc', text: 'x' }, /chat_id/],
      [{ chat_id: 1.5, text: 'x' }, /chat_id/],
      [{ chat_id: 1, text: 'x', colour: 'red' }, /colour/],
      [{ chat_id: 1, text: 'x', priority: 'urgent' }, /priority/],
      [{ chat_id: 1, text: '' }, /text/],
      [{ chat_id: 1 }, /text, photo/],
      [{ chat_id: 1, text: 'x', photo: 'https://example.com/a.jpg' }, /only one/],
      [{ chat_id: 1, text: '<b>unclosed', parse_mode: 'HTML' }, /text/],
      [{ chat_id: 1, text: 'x', send_at: 'tomorrow' }, /send_at/],
      [{ chat_id: 1, text: 'x', expires_at: '2001-01-01T00:00:00Z' }, /expires_at/],
      [{ chat_id: 1, text: 'x', attempts: 0 }, /attempts/],
      [{ chat_id: 1, caption: 'x', text: 'y' }, /caption/],
      ['{"chat_id": 1, "text": ', /JSON|body/i],
      [[1, 2], /body/]
    ]
    for (const [body, field] of cases) {
      const res = await send(body as Record<string, unknown>)
      t.equal(res.status, 400, JSON.stringify(body))
      t.match(res.body, { error: String, message: field }, JSON.stringify(body))
    }
    const big = await send({ chat_id: 1, text: 'x'.repeat(2_000_000) })
    t.equal(big.status, 413)
    t.equal(await redis.get(keys.seq), before, 'nothing was queued')
  })

  t.test('auth: send routes need SERVICE_TOKEN or ADMIN_TOKEN', async t => {
    const none = await call('POST', '/api/telegram/send', { chat_id: 1, text: 'x' }, { authorization: '' })
    t.equal(none.status, 401)
    const wrong = await call('POST', '/api/telegram/send', { chat_id: 1, text: 'x' }, { authorization: 'Bearer nope' })
    t.equal(wrong.status, 403)
    const admin = await call('POST', '/api/telegram/send', { chat_id: 1, text: 'x' }, { authorization: `Bearer ${ADMIN_TOKEN}` })
    t.equal(admin.status, 202)
  })

  t.test('cancel a scheduled message: it never arrives', async t => {
    const res = await send({ chat_id: 127, text: 'never', send_at: new Date(Date.now() + 1500).toISOString() })
    t.equal(res.status, 202)
    t.equal(res.body.status, 'scheduled')
    t.equal((await call('DELETE', `/api/telegram/messages/${res.body.id}`)).status, 200)
    const again = await call('DELETE', `/api/telegram/messages/${res.body.id}`)
    t.equal(again.status, 409)
    t.equal((await call('DELETE', '/api/telegram/messages/unknown-id')).status, 404)
    const sched = await send({ chat_id: 127, text: 'on time', send_at: new Date(Date.now() + 800).toISOString() })
    await waitFor(() => emulator.received(127).length === 1, 'the scheduled one', 5000)
    t.equal(emulator.received(127)[0]?.text, 'on time')
    t.ok(Date.now() >= Date.parse(sched.body.send_at), 'not before its time')
    const cancelled = await status(res.body.id)
    t.equal(cancelled.status, 'cancelled')
    t.same(cancelled.history.map((h: { event: string }) => h.event), ['queued', 'cancelled'])
  })

  t.test('the message log lists by status and chat', async t => {
    const list = await call('GET', '/api/telegram/messages?status=sent&chat_id=126&limit=5')
    t.equal(list.status, 200)
    t.equal(list.body.messages.length, 5)
    t.ok(list.body.next_cursor)
    const next = await call('GET', `/api/telegram/messages?status=sent&chat_id=126&limit=100&cursor=${list.body.next_cursor}`)
    t.equal(next.body.messages.length, 25)
    t.same([...list.body.messages, ...next.body.messages].map((m: { chat_id: number }) => m.chat_id), Array(30).fill(126))
  })

  t.test('queue:false sends synchronously and returns Telegram\'s answer', async t => {
    const res = await send({ chat_id: 128, text: 'now', queue: false })
    t.equal(res.status, 200)
    t.equal(res.body.status, 'sent')
    t.equal(res.body.message_ids.length, 1)
    emulator.blockChat(129)
    const refused = await send({ chat_id: 129, text: 'now', queue: false })
    t.equal(refused.status, 400)
    t.match(refused.body.message, /blocked/)
  })
})
