// allow_paid_broadcast: those messages take from a rate of their own
// (TELEGRAM_PAID_RATE_LIMIT) instead of the bot's global one, while the
// emulator enforces Telegram's: 1000/s for paid sends, the global limit for
// the rest. Here the global limit is 5/s, so 150 recipients would need 30 s
// unpaid; paid they go out in well under a second of sending, with no 429.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('a paid broadcast is not held to the global rate', async t => {
  const relay = await startRelay(t, {
    limits: { global: 5, perChat: 1, perGroup: 20 },
    env: { TELEGRAM_RATE_LIMIT_REQUESTS: '5', TELEGRAM_PAID_RATE_LIMIT: '500', TELEGRAM_CHAT_RATE_INTERVAL: '1000' }
  })
  const { emulator, call } = relay
  const chats = Array.from({ length: 150 }, (_, i) => 910_000 + i)
  const res = await call('POST', '/api/telegram/broadcasts', { recipients: chats, text: 'paid', allow_paid_broadcast: true, priority: 'normal' })
  t.equal(res.status, 202, JSON.stringify(res.body))
  // unpaid this would take 30 s at 5/s
  await waitFor(() => emulator.received().length >= 150, 'all 150 delivered', 15_000)
  t.equal(emulator.stats.tooManyRequests, 0, 'no 429')
  t.ok(emulator.received().every(m => chats.includes(m.chat_id as number)), 'only the recipients')

  t.test('an unpaid message still waits for the global rate, and a paid one for its chat', async t => {
    const before = emulator.received().length
    for (let i = 0; i < 10; i++) t.equal((await relay.send({ chat_id: 920_000 + i, text: 'unpaid' })).status, 202)
    await new Promise(resolve => setTimeout(resolve, 500))
    t.ok(emulator.received().length - before <= 6, `at most the burst went out in 0.5 s (${emulator.received().length - before})`)
    // two paid messages to one chat: the second waits its chat's second
    await relay.send({ chat_id: 930_000, text: 'paid 1', allow_paid_broadcast: true })
    await relay.send({ chat_id: 930_000, text: 'paid 2', allow_paid_broadcast: true })
    await waitFor(() => emulator.received(930_000).length === 2, 'both paid messages', 10_000)
    t.equal(emulator.stats.tooManyRequests, 0, 'still no 429')
  })
})
