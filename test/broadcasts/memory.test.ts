// 100,000 recipients: accepted with a bounded heap (recipients are listed in
// chunks, none kept) and few bytes of Redis per recipient (the content is
// stored once), then cancelled. No worker runs (ROLE=api): the heap measured
// is the API's, and nothing is delivered.
// heapUsed counts garbage not yet collected, which V8 lets grow by whatever
// its heuristics like; so the live heap is sampled too, with a forced full GC
// every 2 s while the request runs.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'

const MB = 1024 * 1024

function exposeGc (): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

t.test('a 100,000-recipient broadcast', async t => {
  const gc = exposeGc()
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const recipients = Array.from({ length: 100_000 }, (_, i) => 1_000_000_000 + i)
  const body = JSON.stringify({ recipients, text: 'Happy New Year from the studio!' })
  t.ok(body.length < 4 * MB)

  const redisBytes = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1])
  const redisBefore = await redisBytes()
  gc()
  const before = process.memoryUsage().heapUsed
  let peak = before
  let livePeak = before
  const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed) }, 10)
  const live = setInterval(() => { gc(); livePeak = Math.max(livePeak, process.memoryUsage().heapUsed) }, 2000)
  const started = Date.now()
  const res = await relay.call('POST', '/api/telegram/broadcasts', body)
  clearInterval(sample)
  clearInterval(live)
  const acceptMs = Date.now() - started
  const after = process.memoryUsage().heapUsed
  peak = Math.max(peak, after)
  gc()
  const retained = process.memoryUsage().heapUsed

  t.equal(res.status, 202, JSON.stringify(res.body))
  t.match(res.body, { recipients: 100_000, status: 'queued' })
  const mb = (n: number) => `${((n - before) / MB).toFixed(1)} MB`
  t.comment(`accepted in ${acceptMs} ms; heapUsed growth: peak ${mb(peak)}, after ${mb(after)} (garbage included); live peak ${mb(livePeak)}; retained ${mb(retained)}`)
  t.ok(after - before < 200 * MB, `heapUsed after the 202 grew ${mb(after)} (< 200 MB)`)
  t.ok(livePeak - before < 100 * MB, `live heap grew at most ${mb(livePeak)} while queueing (< 100 MB)`)
  t.ok(retained - before < 25 * MB, `nothing kept afterwards: ${mb(retained)}`)

  const id = res.body.id as string
  const perRecipient = (await redisBytes() - redisBefore) / 100_000
  t.ok(perRecipient <= 150, `Redis holds ${perRecipient.toFixed(1)} bytes per pending recipient (<= 150)`)
  t.equal(await redis.llen(keys.broadcastPending(id)), 100_000, 'every recipient listed')
  t.equal(await redis.hlen(keys.broadcastVariants(id)), 2, 'the content stored once (calls and their count)')
  t.equal(await redis.llen(keys.queues[3] as string), 0, 'no message made before a worker claims')
  const p = (await relay.call('GET', `/api/telegram/broadcasts/${id}?limit=5&cursor=99995`)).body
  t.match(p, { recipients: 100_000, pending: 100_000, status: 'in_progress' })
  t.same(p.results.map((r: { chat_id: number }) => r.chat_id), recipients.slice(99_995))
  t.notOk(p.next_cursor, 'last page')

  const cancel = await relay.call('DELETE', `/api/telegram/broadcasts/${id}`)
  t.match(cancel.body, { status: 'cancelled', cancelled: 100_000, not_cancelled: 0 })
  const done = (await relay.call('GET', `/api/telegram/broadcasts/${id}?limit=0`)).body
  t.match(done, { pending: 0, cancelled: 100_000, status: 'cancelled' })
})
