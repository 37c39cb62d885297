// Telegram's limits as real 429s with retry_after; only successful sends cost quota.
import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { call, emulator } from './helpers.ts'
import { createRateLimiter, type SendTarget } from '../../src/emulator/limits.ts'

const tooMany = (retryAfter: number): unknown => ({
  status: 429,
  body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }
})

t.test('per chat: a burst of 2, then 1 per second', async t => {
  const emu = await emulator(t)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'a' })).status, 200)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'b' })).status, 200)
  t.same(await call(emu, 'sendMessage', { chat_id: 1, text: 'c' }), tooMany(1))
  t.equal((await call(emu, 'sendMessage', { chat_id: 2, text: 'other chats are not held up' })).status, 200)
  await sleep(1000)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'c again' })).status, 200)
  t.same(emu.received(1).map(m => m.text), ['a', 'b', 'c again'])
  t.equal(emu.stats.tooManyRequests, 1)
  emu.reset()
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'd' })).status, 200)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'e' })).status, 200)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'f' })).status, 429, 'reset() keeps the limits')
})

t.test('global: 30 per second per bot', async t => {
  const emu = await emulator(t)
  // At once, so that hardly any token comes back while they are in flight.
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => call(emu, 'sendMessage', { chat_id: i + 1, text: 'x' })))
  const accepted = answers.filter(a => a.status === 200).length
  t.ok(accepted >= 30 && accepted < 40, `${accepted} of 40 accepted`)
  for (const answer of answers.filter(a => a.status !== 200)) t.same(answer, tooMany(1))
  t.equal((await call(emu, 'sendMessage', { chat_id: 50, text: 'x' }, { token: '777:another-bot' })).status, 200, 'another bot has its own quota')
  t.equal((await call(emu, 'sendMessage', { chat_id: 51, text: 'x', allow_paid_broadcast: true })).status, 200, 'paid broadcasts go up to 1000/s')
})

t.test('token buckets, on a fake clock', async t => {
  const limiter = createRateLimiter({ global: 30, perChat: 1, perGroup: 20 })
  const to = (chat: string, group = false): SendTarget => ({ bot: '1', chat, group, paid: false })
  t.equal(limiter.acquire(to('a'), 0), 0)
  t.equal(limiter.acquire(to('a'), 0), 0)
  t.equal(limiter.acquire(to('a'), 0), 1, 'the third at once waits a second')
  t.equal(limiter.acquire(to('a'), 999), 1, '0.001 s left rounds up to 1')
  t.equal(limiter.acquire(to('a'), 1000), 0)
  const groupOnly = createRateLimiter({ global: 1000, perChat: 1000, perGroup: 20 })
  for (let i = 0; i < 20; i++) t.equal(groupOnly.acquire(to('-5', true), i), 0)
  t.equal(groupOnly.acquire(to('-5', true), 20), 3, 'the 21st waits for the next token, 3 s away')
  t.equal(groupOnly.acquire(to('-5', true), 3020), 0)
  t.equal(groupOnly.acquire(to('-5', true), 3020), 3)
  const global = createRateLimiter({ global: 30, perChat: 1, perGroup: 20 })
  for (let i = 0; i < 30; i++) t.equal(global.acquire(to(`c${i}`), 0), 0)
  t.equal(global.acquire(to('c30'), 0), 1)
  t.equal(global.acquire(to('c30'), 34), 0, 'one token back after 1/30 s')
})

t.test('groups and channels: 20 per minute', async t => {
  const emu = await emulator(t)
  emu.setLimits({ global: 1000, perChat: 1000, perGroup: 20 })
  for (const chat of [-100, '@studio_news']) {
    for (let i = 0; i < 20; i++) {
      const answer = await call(emu, 'sendMessage', { chat_id: chat, text: `m${i}` })
      if (answer.status !== 200) t.fail(`send ${i} to ${chat} refused: ${answer.body.description ?? ''}`)
    }
    t.same(await call(emu, 'sendMessage', { chat_id: chat, text: 'one too many' }), tooMany(3), `${chat}: a token every 3 s`)
  }
  t.equal((await call(emu, 'sendMessage', { chat_id: 100, text: 'private chats are not groups' })).status, 200)
})

t.test('refused and failed calls cost nothing', async t => {
  const emu = await emulator(t)
  for (let i = 0; i < 5; i++) await call(emu, 'sendMessage', { chat_id: 1, text: '<b>bad', parse_mode: 'HTML' })
  emu.blockChat(2)
  for (let i = 0; i < 5; i++) await call(emu, 'sendMessage', { chat_id: 2, text: 'blocked' })
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'a' })).status, 200)
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'b' })).status, 200)
  t.equal(emu.stats.tooManyRequests, 0)
})

t.test('limits: false (benchmarks), and setLimits switches at runtime', async t => {
  const emu = await emulator(t, { limits: false })
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => call(emu, 'sendMessage', { chat_id: -1, text: `m${i}` })))
  t.ok(answers.every(a => a.status === 200), '200 sends to one group at once')
  emu.setLimits({ global: 30, perChat: 1, perGroup: 20 })
  await call(emu, 'sendMessage', { chat_id: 5, text: 'a' })
  await call(emu, 'sendMessage', { chat_id: 5, text: 'b' })
  t.equal((await call(emu, 'sendMessage', { chat_id: 5, text: 'c' })).status, 429)
  emu.setLimits(false)
  t.equal((await call(emu, 'sendMessage', { chat_id: 5, text: 'd' })).status, 200)
})
