// Long polling with TELEGRAM_ENABLE_WEBHOOKS=false: updates waiting at the
// emulator are fetched with getUpdates and handled like webhook ones, by one
// process per Redis.
import t from 'tap'
import { callbackUpdate, startBot, textUpdate, user } from '../helpers/bot.ts'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('long polling', async t => {
  const bot = await startBot(t, { webhook: false, env: { TELEGRAM_ENABLE_WEBHOOKS: 'false' } })
  const { emulator } = bot

  t.test('updates pushed without a webhook are picked up and answered', async t => {
    await emulator.pushUpdate(textUpdate(user(4001, 'ru'), '/start from-poll'))
    await emulator.pushUpdate(callbackUpdate(user(4001, 'en'), 'nothing:here', { message_id: 1, chat: { id: 4001, type: 'private' } }, 'cb-poll'))
    await waitFor(() => emulator.received(4001).length === 1, 'the /start reply')
    t.match(emulator.received(4001)[0]?.text, /^Здравствуйте/)
    t.equal((await bot.app.redis.hgetall(bot.keys.chat(4001))).payload, 'from-poll')
    await waitFor(() => emulator.calls.some(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === 'cb-poll'), 'the answer')
    // a poll is recorded when it returns: the one that brought the updates
    t.match(emulator.calls.find(c => c.method === 'getUpdates')?.params, { allowed_updates: ['message', 'callback_query', 'my_chat_member'], timeout: Number })
    t.ok((bot.app.bot.poller?.state().offset ?? 0) > 1, 'the next poll confirms what was handled')
  })

  t.test('the webhook receiver is off and setup refuses', async t => {
    t.equal((await bot.call('POST', '/api/telegram/webhook', {})).status, 404)
    const res = await bot.admin('POST', '/api/telegram/webhook/setup', { url: 'https://example.com/hook' })
    t.equal(res.status, 409)
    t.match(res.body.message, /TELEGRAM_ENABLE_WEBHOOKS=false/)
    const info = await bot.admin('GET', '/api/telegram/webhook')
    t.match(info.body, { webhooks_enabled: false, poller: { running: true, leader: true } })
  })

  t.test('a second process on the same Redis does not poll', async t => {
    const second = await startRelay(t, { redis: bot.redis, emulator, env: { TELEGRAM_ENABLE_WEBHOOKS: 'false' } })
    await waitFor(() => second.app.bot.poller?.state().running === true, 'the second poller to start')
    t.equal(second.app.bot.poller?.state().leader, false)
    t.equal(bot.app.bot.poller?.state().leader, true)
    await emulator.pushUpdate(textUpdate(user(4002), '/help'))
    await waitFor(() => emulator.received(4002).length === 1, 'the reply')
    t.equal(second.app.bot.poller?.state().leader, false, 'still only the first')
  })

  t.test('stop releases the lock', async t => {
    await bot.app.bot.poller?.stop()
    t.equal(await bot.app.redis.exists(bot.keys.pollerLock), 0)
  })
})
