// Pause and resume are shared by every worker through Redis: two complete
// tg-relay instances on one Redis and one emulator; stop through one, the
// other stops claiming too; start through the other, both deliver again.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { asAdmin } from '../helpers/admin.ts'

t.test('worker stop/start across instances', async t => {
  const a = await startRelay(t)
  const b = await startRelay(t, { redis: a.redis, emulator: a.emulator })
  const redis = redisClient(t, a.redis.url)
  const keys = a.app.queue.keys
  const emulator = a.emulator
  await waitFor(async () => (await asAdmin(a)('GET', '/api/telegram/queue/metrics')).body.workers.live.length === 2, 'both workers beat')

  const stop = await asAdmin(a)('POST', '/api/telegram/worker/stop')
  t.match(stop.body, { paused: true, since: String, by: /admin from/ })
  t.equal(await redis.exists(keys.paused), 1)
  t.equal((await asAdmin(b)('POST', '/api/telegram/worker/stop')).body.since, stop.body.since, 'pausing twice keeps the first pause')

  // messages sent through both instances; a scheduled one proves claims still
  // run (claim's housekeeping promotes it) while nothing is delivered
  const sends = [
    await a.send({ chat_id: 2001, text: 'via a' }),
    await b.send({ chat_id: 2002, text: 'via b' }),
    await b.send({ chat_id: 2003, text: 'scheduled', send_at: new Date(Date.now() + 300).toISOString() })
  ]
  const status = async (id: string) => (await asAdmin(b)('GET', `/api/telegram/messages/${id}`)).body.status
  await waitFor(async () => await status(sends[2]?.body.id) === 'queued', 'the scheduled one promoted by a claim')
  // both idle workers poll at least once a second (their BLPOP timeout):
  // give each a poll and a half, then check nothing went out
  const since = Date.now()
  await waitFor(() => Date.now() - since > 1500 || emulator.received().length > 0, 'two poll periods')
  t.equal(emulator.received().length, 0, 'no worker claimed while paused')
  for (const s of sends) t.equal(await status(s.body.id), 'queued')
  const metrics = (await asAdmin(b)('GET', '/api/telegram/queue/metrics')).body
  t.equal(metrics.rate_limiter.paused, true)
  t.equal(metrics.depth.normal, 3)
  t.equal((await asAdmin(a)('GET', '/api/telegram/status')).body.paused, true)

  const startedAt = Date.now()
  t.same((await asAdmin(b)('POST', '/api/telegram/worker/start')).body, { paused: false })
  await waitFor(() => emulator.received().length === 3, 'all three delivered after start', 5000)
  t.ok(Date.now() - startedAt < 5000, 'idle workers woke')
  t.comment(`delivered ${Date.now() - startedAt} ms after start`)
  t.equal(await redis.exists(keys.paused), 0)

  // delivery goes on normally
  const more = Array.from({ length: 40 }, (_, i) => a.send({ chat_id: 2100 + i, text: `m${i}` }))
  await Promise.all(more)
  await waitFor(() => emulator.received().length === 43, '40 more delivered')
  t.equal(new Set(emulator.received().map(m => m.text)).size, 43, 'no duplicates')
})
