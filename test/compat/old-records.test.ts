// Messages stored by the previous release (fixtures/old-records.json, written
// by fixtures/write-old-records.ts at e5f4737: no per-message backoff or
// timeout fields) are delivered by this one, alongside new messages that have them.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient, redisServer, restoreKeys, type KeyDump } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

interface Fixture { messages: string[], keys: KeyDump }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/old-records.json', import.meta.url), 'utf8')) as Fixture

t.test('records of the previous release deliver', async t => {
  const server = await redisServer(t)
  const redis = redisClient(t, server.url)
  await restoreKeys(redis, fixture.keys)
  const relay = await startRelay(t, { redis: server })
  const fresh = await relay.send({ chat_id: 504, text: 'new release', priority: 1, backoff: { type: 'fixed', delay: 100 }, timeout: 900 })
  t.equal(fresh.status, 202)
  await waitFor(() => [501, 502, 504].every(c => relay.emulator.received(c).length === 1) && relay.emulator.received(503).length === 2, 'every old message, and the new one')
  for (const id of fixture.messages) {
    const s = (await relay.call('GET', `/api/telegram/messages/${id}`)).body
    t.equal(s.status, 'sent', id)
  }
  t.match(relay.emulator.received(501)[0], { text: '<b>old release</b> high' })
  t.match((await relay.call('GET', `/api/telegram/messages/${fixture.messages[1]}`)).body, { metadata: { booking: 7 }, idempotency_key: 'old-7', max_attempts: 3 })
})
