// The webhook secret and the bot token never reach a log line, even at trace
// level: setup, authenticated and refused webhook calls, commands, presses, and
// long polling (whose URL carries the token).
import t from 'tap'
import { Writable } from 'node:stream'
import type { LoggerOptions } from 'pino'
import { loggerOptions } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { callbackUpdate, startBot, textUpdate, user } from '../helpers/bot.ts'
import { BOT_TOKEN, TEST_ENV } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'
import { request } from 'undici'

function capture (): { logger: LoggerOptions, text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _enc, done) { chunks.push(String(chunk)); done() } })
  // Fastify passes `stream` on to pino; the redaction is the app's own
  const logger = { ...loggerOptions(loadConfig(TEST_ENV)), level: 'trace', stream }
  return { logger, text: () => chunks.join('') }
}

t.test('secrets stay out of the logs', async t => {
  const log = capture()
  const bot = await startBot(t, { logger: log.logger, env: { LOG_LEVEL: 'trace', TELEGRAM_ADMIN_CHAT_IDS: '5001' } })
  const secret = await bot.app.redis.get(bot.keys.webhookSecret) as string
  const { emulator } = bot
  t.equal(bot.app.log.level, 'trace')

  await emulator.pushUpdate(textUpdate(user(5001), '/start'))
  await emulator.pushUpdate(textUpdate(user(5001), '/status'))
  await emulator.pushUpdate(callbackUpdate(user(5001), 'bk:confirm:9', { message_id: 999, chat: { id: 5001, type: 'private' }, text: 'x' }))
  for (const wrong of [secret.slice(1), 'x']) {
    const res = await request(`${bot.url}/api/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': wrong }, body: '{}' })
    await res.body.dump()
    t.equal(res.statusCode, 401)
  }
  await emulator.pushUpdate({ update_id: 'not a number', message: { text: secret } })
  await waitFor(() => emulator.received(5001).length === 2, 'the replies')
  await bot.drained()

  const polling = capture()
  const poller = await startBot(t, { webhook: false, logger: polling.logger, env: { LOG_LEVEL: 'trace', TELEGRAM_ENABLE_WEBHOOKS: 'false' } })
  await poller.emulator.pushUpdate(textUpdate(user(5002), '/help'))
  await waitFor(() => poller.emulator.received(5002).length === 1, 'the polled reply')

  const text = log.text() + polling.text()
  t.ok(text.length > 1000, 'something was logged')
  t.match(text, /"level":20/, 'debug lines included')
  t.notOk(text.includes(secret), 'no webhook secret')
  t.notOk(text.includes(BOT_TOKEN), 'no bot token')
  t.notOk(text.includes(BOT_TOKEN.split(':')[1] as string), 'not even the token\'s secret half')
})
