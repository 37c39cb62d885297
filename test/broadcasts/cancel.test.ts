// Cancelling a running broadcast: what has not gone out never does, and the
// counts add up (sent + cancelled = recipients).
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('cancel a broadcast midway', async t => {
  // 40 sends per second: 300 recipients take ~7 s, time enough to cancel
  const relay = await startRelay(t, { env: { TELEGRAM_RATE_LIMIT_REQUESTS: '40' } })
  const { emulator, call } = relay
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const chats = Array.from({ length: 300 }, (_, i) => 800_000 + i)
  const ours = () => emulator.received().filter(m => typeof m.chat_id === 'number' && m.chat_id >= 800_000 && m.chat_id < 800_300)

  const res = await call('POST', '/api/telegram/broadcasts', { recipients: chats, text: 'sale ends today' })
  t.equal(res.status, 202)
  const id = res.body.id as string
  await waitFor(() => ours().length >= 20, '20 delivered', 15_000)

  const cancel = await call('DELETE', `/api/telegram/broadcasts/${id}`)
  t.equal(cancel.status, 200)
  t.match(cancel.body, { id, status: 'cancelled', cancelled: Number, not_cancelled: Number })
  t.equal(cancel.body.cancelled + cancel.body.not_cancelled, 300, 'every message was looked at')
  t.ok(cancel.body.cancelled >= 150, `most were cancelled (${cancel.body.cancelled})`)

  // in-flight sends finish; then nothing is left anywhere in the queue
  await waitFor(async () => (await call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body.pending === 0, 'nothing pending', 10_000)
  const p = (await call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body
  t.equal(p.status, 'cancelled')
  t.equal(p.cancelled, cancel.body.cancelled)
  t.equal(p.sent + p.cancelled, 300, `sent ${p.sent} + cancelled ${p.cancelled} = 300`)
  t.equal(ours().length, p.sent, 'the emulator got exactly the sent ones')
  t.equal(new Set(ours().map(m => m.chat_id)).size, p.sent, 'each once')
  t.equal(await redis.zcard(keys.active), 0, 'nothing in flight')
  t.equal(await redis.zcard(keys.delayed), 0, 'nothing delayed')

  // every recipient is final: a cancelled message cannot be claimed any more
  const page = (await call('GET', `/api/telegram/broadcasts/${id}?limit=1000`)).body
  const byStatus: Record<string, number> = {}
  for (const r of page.results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1
  t.same(byStatus, { sent: p.sent, cancelled: p.cancelled })
  const cancelledChats = new Set(page.results.filter((r: { status: string }) => r.status === 'cancelled').map((r: { chat_id: number }) => r.chat_id))
  t.notOk(ours().some(m => cancelledChats.has(m.chat_id)), 'no cancelled recipient got it')

  t.test('cancelling again changes nothing', async t => {
    const again = await call('DELETE', `/api/telegram/broadcasts/${id}`)
    t.match(again.body, { cancelled: 0, not_cancelled: 300 })
  })
})
