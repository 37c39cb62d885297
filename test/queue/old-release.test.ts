// Stored format: messages queued by the previous release (fixtures/e5f4737-messages.json,
// written by that release's own producer) are delivered by this one, with delivery events
// on (DELIVERY_EVENTS_URL): they carry no event destinations, so they send none, and a
// message queued now beside them does.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startRelay } from '../helpers/relay.ts'
import { redisClient, redisServer, restoreKeys, type KeyDump } from '../helpers/redis.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { waitFor } from '../helpers/wait.ts'

interface Fixture {
  ids: Record<string, string>
  keys: KeyDump
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/e5f4737-messages.json', import.meta.url), 'utf8')) as Fixture

t.test('messages written by e5f4737 deliver', async t => {
  const redis = await redisServer(t)
  const client = redisClient(t, redis.url)
  await restoreKeys(client, fixture.keys)
  const receiver = await startReceiver(t, 'delivery-events-secret-0123456789', '/all')
  const relay = await startRelay(t, { redis, env: { REDIS_PREFIX: 'old', DELIVERY_EVENTS_URL: receiver.url, DELIVERY_EVENTS_SECRET: 'delivery-events-secret-0123456789' } })
  const { emulator } = relay

  await waitFor(() => emulator.received(7001).length === 1 && emulator.received(7002).length === 2 && emulator.received(7003).length === 1, 'the old messages delivered')
  t.same(emulator.received(7002).map(m => m.text), ['part one', 'part two'], 'parts in order')
  for (const id of Object.values(fixture.ids)) {
    t.match((await relay.call('GET', `/api/telegram/messages/${id}`)).body, { status: 'sent' }, id)
  }
  t.match((await relay.call('GET', `/api/telegram/messages/${fixture.ids.text}`)).body, { metadata: { booking: 1 } })

  const fresh = await relay.send({ chat_id: 7001, text: 'queued by this release' })
  await waitFor(() => receiver.received.some(r => r.body.id === fresh.body.id), 'the new message\'s event')
  t.notOk(receiver.received.some(r => Object.values(fixture.ids).includes(String(r.body.id))), 'no events for messages that never asked for them')
})
