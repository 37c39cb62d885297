// With Telegram's limits on in both the relay and the emulator, a critical
// message overtakes a running low-priority broadcast (strict priorities in
// claim.lua) and nothing gets a 429.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('a critical message overtakes a running broadcast', async t => {
  const relay = await startRelay(t, {
    limits: { global: 30, perChat: 1, perGroup: 20 },
    env: { TELEGRAM_RATE_LIMIT_REQUESTS: '30', TELEGRAM_CHAT_RATE_INTERVAL: '1000' }
  })
  const { emulator, call, send } = relay
  const chats = Array.from({ length: 300 }, (_, i) => 900_000 + i)
  const isBroadcast = (chat: number | string) => typeof chat === 'number' && chat >= 900_000 && chat < 900_300

  const res = await call('POST', '/api/telegram/broadcasts', { recipients: chats, text: 'weekly digest' })
  t.equal(res.status, 202)
  t.equal(res.body.priority, 'low')
  await waitFor(() => emulator.messages.length >= 15, 'the broadcast to be under way', 15_000)

  const before = emulator.messages.length
  const urgent = await send({ chat_id: 42, text: 'Booking #42 cancelled by the client', priority: 'critical' })
  t.equal(urgent.status, 202)
  await waitFor(() => emulator.received(42).length === 1, 'the critical message', 10_000)
  const at = emulator.messages.findIndex(m => m.chat_id === 42)
  const overtaken = emulator.messages.slice(before, at).filter(m => isBroadcast(m.chat_id)).length
  t.ok(overtaken <= 60, `${overtaken} broadcast messages went out between its request and its delivery`)
  const progress = (await call('GET', `/api/telegram/broadcasts/${res.body.id}?limit=0`)).body
  t.ok(progress.pending > 150, `most of the broadcast still pending (${progress.pending})`)
  t.equal(emulator.stats.tooManyRequests, 0, 'no 429')

  // the rest is not needed for this test
  t.equal((await call('DELETE', `/api/telegram/broadcasts/${res.body.id}`)).status, 200)
  await waitFor(async () => (await call('GET', `/api/telegram/broadcasts/${res.body.id}?limit=0`)).body.pending === 0, 'nothing pending', 10_000)
  t.equal(emulator.stats.tooManyRequests, 0, 'still no 429')
})
