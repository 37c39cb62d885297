// The resilient API's BullMQ-style options and queue counts, against a real
// relay and the emulator over HTTP.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { ADMIN } from '../helpers/admin.ts'
import { waitFor } from '../helpers/wait.ts'
import { messageBackoffDelay } from '../../src/queue/backoff.ts'

t.test('per-message backoff as BullMQ computes it', async t => {
  const o = { baseMs: 50, factor: 2, maxMs: 10_000 }
  t.equal(messageBackoffDelay(3, 'f:700', o), 700, 'fixed: the delay every time')
  t.equal(messageBackoffDelay(1, 'e:300', o), 300)
  t.equal(messageBackoffDelay(3, 'e:300', o), 1200, 'exponential: delay × 2^(n−1)')
  t.ok(messageBackoffDelay(1, '', o, () => 0) <= 50, 'none stored (old messages): the configured backoff')
})

t.test('resilient API', async t => {
  const relay = await startRelay(t)
  const { emulator, call } = relay
  const admin = (method: string, path: string) => call(method, path, undefined, ADMIN)
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body

  t.test('numeric priorities: 0 normal, 1 high, 2 critical, claimed in that order', async t => {
    await admin('POST', '/api/telegram/worker/stop')
    const sent: Array<[number, string]> = []
    for (const [p, chat] of [[0, 7100], [1, 7101], [2, 7102]] as const) {
      const res = await relay.send({ chat_id: chat, text: `priority ${p}`, priority: p })
      t.equal(res.status, 202)
      sent.push([chat, res.body.priority])
    }
    t.same(sent.map(s => s[1]), ['normal', 'high', 'critical'], 'the answer shows the name')
    t.equal((await relay.send({ chat_id: 7103, text: 'x', priority: 3 })).status, 400)
    await admin('POST', '/api/telegram/worker/start')
    await waitFor(() => [7100, 7101, 7102].every(c => emulator.received(c).length === 1), 'all three')
    const order = emulator.messages.filter(m => [7100, 7101, 7102].includes(m.chat_id as number)).map(m => m.chat_id)
    t.same(order, [7102, 7101, 7100], 'critical, high, normal')
  })

  t.test('backoff {type: fixed, delay} is the wait between attempts', async t => {
    emulator.setFaults({ serverErrorRate: 1 })
    const res = await relay.send({ chat_id: 7200, text: 'fixed backoff', backoff: { type: 'fixed', delay: 800 }, attempts: 5 })
    t.equal(res.status, 202)
    await waitFor(async () => (await status(res.body.id)).attempts >= 1, 'first attempt failed')
    const failedAt = Date.now()
    emulator.setFaults({})
    await waitFor(() => emulator.received(7200).length === 1, 'delivered after the backoff')
    // the test env's own backoff is ≤ 400 ms: 800 is the message's
    t.ok(Date.now() - failedAt >= 600, `waited ${Date.now() - failedAt} ms`)
  })

  t.test('timeout (ms per attempt): a slower answer is a failed attempt; others keep TELEGRAM_API_TIMEOUT', async t => {
    emulator.setFaults({ latencyMs: 500 })
    const quick = await relay.send({ chat_id: 7300, text: 'timeout 150', timeout: 150, attempts: 1 })
    const patient = await relay.send({ chat_id: 7301, text: 'no timeout' })
    await waitFor(async () => (await status(quick.body.id)).status === 'failed', 'failed after its one attempt').catch(async e => { t.comment(JSON.stringify(await status(quick.body.id))); throw e })
    t.match((await status(quick.body.id)).last_error, /timeout/i)
    await waitFor(async () => (await status(patient.body.id)).status === 'sent', 'the default timeout (1 s) waits')
    emulator.setFaults({})
  })

  t.test('GET /queue/stats in BullMQ terms, against the message log and the DLQ', async t => {
    await admin('POST', '/api/telegram/worker/stop')
    emulator.blockChat(7400)
    const waiting = await Promise.all([7401, 7402, 7403].map(chat => relay.send({ chat_id: chat, text: 'w' })))
    await relay.send({ chat_id: 7404, text: 'later', send_at: new Date(Date.now() + 3_600_000).toISOString() })
    const paused = (await call('GET', '/api/telegram/queue/stats')).body
    t.match(paused, { waiting: 0, paused: 3, delayed: 1, active: 0 })
    await relay.send({ chat_id: 7400, text: 'blocked' })
    await admin('POST', '/api/telegram/worker/start')
    await waitFor(async () => (await Promise.all(waiting.map(async w => (await status(w.body.id)).status))).every(s => s === 'sent'), 'sent')
    await waitFor(async () => (await call('GET', '/api/telegram/queue/dlq', undefined, ADMIN)).body.entries?.length >= 1, 'dead letters')
    const stats = (await call('GET', '/api/telegram/queue/stats')).body
    const log = (await call('GET', '/api/telegram/messages?status=sent&limit=100')).body.messages.length
    const dlq = (await call('GET', '/api/telegram/queue/dlq?limit=100', undefined, ADMIN)).body.entries.length
    t.same(Object.keys(stats).sort(), ['active', 'completed', 'delayed', 'failed', 'paused', 'waiting'])
    t.equal(stats.completed, log, 'completed = sent messages in the log')
    t.equal(stats.failed, dlq, 'failed = the DLQ')
    t.equal(stats.delayed, 1, 'the scheduled one')
    t.equal(stats.waiting + stats.active + stats.paused, 0)
  })

  t.test('/admin/queues opens the dashboard', async t => {
    const res = await call('GET', '/admin/queues')
    t.equal(res.status, 302)
    t.equal(res.headers.location, '/admin')
  })
})
