// The client's retries never queue a message twice: one idempotency_key per
// call, sent with every attempt. Across a Redis restart (503 with Retry-After,
// then 202) and across an attempt whose answer never came (Redis frozen until
// the client gave up on it, then the retry finds the first one's message).
import t from 'tap'
import { createClient } from 'tg-relay-client'
import { SERVICE_TOKEN, startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

interface Attempt { key: string | undefined, outcome: number | 'no answer' | 'pending' }

/** fetch that records each attempt's idempotency_key and what became of it */
function recordingFetch (attempts: Attempt[]): typeof fetch {
  return async (input, init) => {
    const key = (JSON.parse(String(init?.body ?? '{}')) as { idempotency_key?: string }).idempotency_key
    const attempt: Attempt = { key, outcome: 'pending' }
    attempts.push(attempt)
    try {
      const res = await fetch(input, init)
      attempt.outcome = res.status
      return res
    } catch (err) {
      attempt.outcome = 'no answer'
      throw err
    }
  }
}

t.test('a send retried across a Redis restart is queued once', async t => {
  const relay = await startRelay(t)
  const attempts: Attempt[] = []
  const client = createClient({ baseUrl: relay.url, token: SERVICE_TOKEN, retries: 5, fetch: recordingFetch(attempts) })
  await relay.redis.kill('SIGKILL')
  const sending = client.sendText(201, 'sent while Redis was down', {}, { priority: 'high' })
  await waitFor(() => attempts[0]?.outcome === 503, 'the first attempt answered 503')
  await relay.redis.restart()
  const accepted = await sending
  t.match(accepted, { status: 'queued', priority: 'high' })
  t.ok(attempts.length >= 2, `${attempts.length} attempts`)
  t.equal(attempts.at(-1)?.outcome, 202)
  t.ok(attempts.slice(0, -1).every(a => a.outcome === 503), 'the earlier ones were 503s')
  t.equal(new Set(attempts.map(a => a.key)).size, 1, 'every attempt carried the same idempotency_key')
  t.ok(attempts[0]?.key, 'made by the client')
  await waitFor(() => relay.emulator.received(201).length > 0, 'delivered', 20_000)
  await new Promise(resolve => setTimeout(resolve, 300))
  t.same(relay.emulator.received(201).map(m => m.text), ['sent while Redis was down'], 'exactly one message arrived')
})

t.test('an attempt whose answer was lost is not queued again by the retry', async t => {
  const relay = await startRelay(t)
  const pid = relay.redis.pid() as number
  t.teardown(() => { try { process.kill(pid, 'SIGCONT') } catch { /* gone */ } })
  const attempts: Attempt[] = []
  const client = createClient({ baseUrl: relay.url, token: SERVICE_TOKEN, timeoutMs: 800, retries: 6, fetch: recordingFetch(attempts) })
  // frozen, not dead: the first attempt's enqueue waits in Redis's socket and runs when it thaws
  process.kill(pid, 'SIGSTOP')
  const sending = client.sendText(202, 'the answer to this one is lost')
  await waitFor(() => attempts[0]?.outcome === 'no answer', 'the first attempt timed out')
  process.kill(pid, 'SIGCONT')
  const accepted = await sending
  t.equal(accepted.duplicate, true, 'the retry found the message the first attempt queued')
  t.equal(new Set(attempts.map(a => a.key)).size, 1, 'one idempotency_key for all attempts')
  await waitFor(() => relay.emulator.received(202).length > 0, 'delivered', 20_000)
  await new Promise(resolve => setTimeout(resolve, 300))
  t.equal(relay.emulator.received(202).length, 1, 'exactly one message arrived')
  const status = await client.getMessage({ path: { id: accepted.id } })
  t.match(status, { status: 'sent', idempotency_key: attempts[0]?.key })
})
