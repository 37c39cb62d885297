// Delivery events end to end: the emulator over HTTP, a receiver started here that checks the
// signature on the raw bytes, a real redis-server. Each outcome a sender can hear about, the
// retries of a failing receiver, the global DELIVERY_EVENTS_URL, a bad callback_url.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { startReceiver, type Receiver } from '../helpers/receiver.ts'
import { ADMIN } from '../helpers/admin.ts'
import { waitFor } from '../helpers/wait.ts'

const SECRET = 'delivery-events-secret-0123456789'

function eventsOf (r: Receiver, id: string): Array<Record<string, unknown>> {
  return r.received.filter(x => x.body.id === id).map(x => x.body)
}

t.test('delivery events', async t => {
  const receiver = await startReceiver(t, SECRET, '/cb')
  const global = await startReceiver(t, SECRET, '/all')
  const relay = await startRelay(t, { env: { DELIVERY_EVENTS_URL: global.url, DELIVERY_EVENTS_SECRET: SECRET } })
  const { emulator } = relay
  const send = async (body: Record<string, unknown>) => {
    const res = await relay.send({ callback_url: receiver.url, ...body })
    t.equal(res.status, 202, JSON.stringify(res.body))
    return res.body.id as string
  }
  const one = async (id: string, event: string) => {
    await waitFor(() => eventsOf(receiver, id).some(e => e.event === event), `${event} for ${id}`)
    return eventsOf(receiver, id).find(e => e.event === event) as Record<string, unknown>
  }

  t.test('message.sent: the whole payload, signed over the raw body, once', async t => {
    const id = await send({ chat_id: 5001, text: 'Booking #42 confirmed', metadata: { booking: 42 } })
    const event = await one(id, 'message.sent')
    const got = receiver.received.find(r => r.body.id === id)
    t.ok(got?.signed, 'X-TG-Relay-Signature: sha256=<hex HMAC-SHA256 of the raw body>')
    const sent = emulator.received(5001)[0]
    t.same(event, {
      event: 'message.sent',
      id,
      status: 'sent',
      chat_id: 5001,
      message_ids: [sent?.message_id],
      attempts: 1,
      metadata: { booking: 42 },
      at: event.at
    })
    t.ok(Math.abs(Date.parse(String(event.at)) - Date.now()) < 60_000, 'at: ISO 8601')
    await waitFor(() => eventsOf(global, id).length === 1, 'the same event at DELIVERY_EVENTS_URL')
    t.same(eventsOf(global, id)[0], event)
  })

  t.test('a receiver answering 500 twice still gets the event, once acknowledged', async t => {
    receiver.failWith(500, 500)
    const before = receiver.requests
    const id = await send({ chat_id: 5002, text: 'hello' })
    await one(id, 'message.sent')
    t.equal(receiver.requests - before, 3, 'two refusals, then taken')
    t.equal(eventsOf(receiver, id).length, 1)
    const queued = await relay.app.redis.hgetall(relay.app.queue.keys.stats)
    t.ok(Number(queued.events_queued) >= 2)
  })

  t.test('message.dead for a blocked chat, with the error', async t => {
    emulator.blockChat(5003)
    const id = await send({ chat_id: 5003, text: 'x' })
    const event = await one(id, 'message.dead')
    t.match(event, { status: 'dead', chat_id: 5003, message_ids: [], error: /403: Forbidden: bot was blocked by the user/ })
  })

  t.test('message.failed: no attempts left', async t => {
    emulator.setFaults({ serverErrorRate: 1, methods: ['sendMessage'] })
    const id = await send({ chat_id: 5008, text: 'x', attempts: 1 })
    const event = await one(id, 'message.failed')
    emulator.setFaults({})
    t.match(event, { status: 'failed', attempts: 1, error: /no attempts left; last error: 500/ })
  })

  t.test('message.expired and message.cancelled', async t => {
    await relay.call('POST', '/api/telegram/worker/stop', undefined, ADMIN)
    const expiring = await send({ chat_id: 5004, text: 'late', expires_at: new Date(Date.now() + 300).toISOString() })
    await new Promise(resolve => setTimeout(resolve, 400))
    await relay.call('POST', '/api/telegram/worker/start', undefined, ADMIN)
    t.match(await one(expiring, 'message.expired'), { status: 'expired', error: /expired/ })

    const later = await send({ chat_id: 5005, text: 'tomorrow', send_at: new Date(Date.now() + 3_600_000).toISOString() })
    t.equal((await relay.call('DELETE', `/api/telegram/messages/${later}`)).status, 200)
    t.match(await one(later, 'message.cancelled'), { status: 'cancelled', message_ids: [] })
  })

  t.test('bot replies send no events; a message without callback_url only to DELIVERY_EVENTS_URL', async t => {
    const res = await relay.send({ chat_id: 5006, text: 'no callback' })
    await waitFor(() => eventsOf(global, res.body.id).length === 1, 'the global event')
    t.equal(eventsOf(receiver, res.body.id).length, 0)
  })

  t.test('event latency after the send (printed: p50/p99 over 100 messages)', async t => {
    const ids: string[] = []
    for (let i = 0; i < 100; i++) ids.push(await send({ chat_id: 5200 + i, text: `latency ${i}` }))
    await waitFor(() => ids.every(id => eventsOf(receiver, id).length === 1), 'every event', 30_000)
    const lags = ids.map((id, i) => {
      const arrived = receiver.received.find(r => r.body.id === id)?.at ?? 0
      return arrived - (emulator.received(5200 + i)[0]?.date ?? 0)
    }).sort((a, b) => a - b)
    const p = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] as number
    t.comment(`event latency after the send: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${lags.at(-1)} ms`)
    t.ok(p(0.5) < 1000, 'well under a second at the median')
  })

  t.test('callback_url must be http(s): 400 naming it, nothing queued', async t => {
    for (const url of ['ftp://example.com/x', 'not a url', 'javascript:alert(1)', 'http://']) {
      const res = await relay.send({ chat_id: 5007, text: 'x', callback_url: url })
      t.equal(res.status, 400, url)
      t.match(res.body, { details: [{ field: /callback_url/ }] })
    }
    t.match(await relay.send({ chat_id: 5007, text: 'x', callback_url: receiver.url, queue: false }), { status: 400, body: { details: [{ field: 'body.callback_url' }] } }, 'a synchronous send has no events')
    t.equal(emulator.received(5007).length, 0)
  })

  t.test('broadcast.finished to the broadcast\'s callback_url, with the counts', async t => {
    emulator.blockChat(5103)
    const res = await relay.send({ chat_id: 1, text: 'x' }) // keep the worker warm
    t.equal(res.status, 202)
    const b = await relay.call('POST', '/api/telegram/broadcasts', { text: 'Studio news', recipients: [5101, 5102, 5103], callback_url: receiver.url, metadata: { campaign: 'dec' } })
    t.equal(b.status, 202, JSON.stringify(b.body))
    const event = await one(b.body.id, 'broadcast.finished')
    t.match(event, { status: 'finished', broadcast_id: b.body.id, metadata: { campaign: 'dec' }, counts: { recipients: 3, sent: 2, dead: 1, blocked: 1 } })
    t.equal(receiver.received.filter(r => r.body.broadcast_id === b.body.id).length, 1, 'only broadcast.finished goes to a broadcast\'s callback_url')
    await waitFor(() => global.received.filter(r => r.body.broadcast_id === b.body.id).length === 4, 'three message events and the finish at DELIVERY_EVENTS_URL')
  })
})
