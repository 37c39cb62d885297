// Upgrades lose nothing: records written by the previous release (commit
// e5f4737: single messages and broadcasts with one message per recipient,
// dumped by fixtures/write-e5f4737.ts) are loaded into Redis as they were and
// delivered by this code, and their status reads as before.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { startRelay } from '../helpers/relay.ts'
import { redisClient, redisServer, restoreKeys, type KeyDump } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

interface Fixture {
  ids: { single: string, high: string, broadcast: string, template: string }
  keys: KeyDump
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/e5f4737.json', import.meta.url), 'utf8')) as Fixture

t.test('messages and broadcasts queued by e5f4737 are delivered', async t => {
  const redis = await redisServer(t)
  await restoreKeys(redisClient(t, redis.url), fixture.keys)
  const relay = await startRelay(t, { redis })
  const { emulator, call } = relay

  const chats = [1001, 1002, 2001, 2002, 2003, '@oldchannel', 3001, 3002, 3003]
  await waitFor(() => emulator.messages.length >= chats.length, 'every old message delivered', 20_000)
  await new Promise(resolve => setTimeout(resolve, 200))
  t.equal(emulator.messages.length, chats.length, 'each exactly once')
  for (const chat of chats) t.equal(emulator.received(chat).length, 1, `chat ${chat} got its message`)
  t.match(emulator.received(1001)[0]?.text, /old.*single/, 'the HTML text as composed by the old release')
  t.match(emulator.received(3001)[0]?.text, /Old/, 'the template rendered by the old release')

  const single = (await call('GET', `/api/telegram/messages/${fixture.ids.single}`)).body
  t.match(single, { status: 'sent', metadata: { from: 'e5f4737' } })
  for (const [id, n] of [[fixture.ids.broadcast, 4], [fixture.ids.template, 3]] as const) {
    await waitFor(async () => (await call('GET', `/api/telegram/broadcasts/${id}?limit=10`)).body.pending === 0, 'broadcast counted', 10_000)
    const b = (await call('GET', `/api/telegram/broadcasts/${id}?limit=10`)).body
    t.match(b, { status: 'completed', recipients: n, sent: n, pending: 0 })
    t.equal(b.results.length, n, 'per-recipient results')
    t.ok(b.results.every((r: { status: string }) => r.status === 'sent'))
  }
})
