// Every route that calls Telegram while the client waits answers its failures
// the same way (src/telegram/call-error.ts): Telegram's own refusal is a 400
// with its description, its 429 a 429 with Retry-After, an outage a 502. A stub
// Bot API gives each answer on demand.
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN, TEST_ENV } from '../helpers/relay.ts'
import { redisServer } from '../helpers/redis.ts'
import { stubBotApi, type StubAnswer } from '../helpers/stub-bot-api.ts'

/** chat id (or the webhook url) → Telegram's answer */
const ANSWERS: Record<string, StubAnswer> = {
  refused: { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
  limited: { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } },
  down: { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }
}
const CHAT = { refused: 501, limited: 502, down: 503 } as const

t.test('one mapping for synchronous Telegram calls', async t => {
  const { apiUrl } = await stubBotApi(t, ({ method, params }) => {
    const which = Object.entries(CHAT).find(([, id]) => id === Math.abs(Number(params.chat_id)))?.[0] ?? String(params.url ?? '').split('/').pop()
    return method === 'getMe'
      ? { status: 200, body: { ok: true, result: { id: 1, is_bot: true, first_name: 'bot' } } }
      : ANSWERS[which ?? ''] ?? { status: 200, body: { ok: true, result: true } }
  })

  const redis = await redisServer(t)
  const config = loadConfig({ ...TEST_ENV, REDIS_URL: redis.url, ROLE: 'api', TELEGRAM_ENABLE_WEBHOOKS: 'true' })
  const app = await buildApp({ config, redisUrl: redis.url, telegram: { apiUrl, token: BOT_TOKEN }, adminToken: ADMIN_TOKEN, logger: false })
  t.teardown(() => app.close())
  const call = async (method: 'POST' | 'GET', url: string, token: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) })
    return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] }
  }
  const send = (chat: number) => call('POST', '/api/telegram/send', SERVICE_TOKEN, { chat_id: chat, text: 'now', queue: false })
  const verify = (chat: number) => call('POST', `/api/telegram/channels/-${chat}/verify-permissions`, SERVICE_TOKEN)
  const setup = (which: string) => call('POST', '/api/telegram/webhook/setup', ADMIN_TOKEN, { url: `https://relay.example.com/hook/${which}` })

  for (const [route, run] of [['send queue:false', send], ['verify-permissions', verify]] as const) {
    t.match(await run(CHAT.limited), { status: 429, retryAfter: '7', body: { error: 'Telegram rate limit', message: /429: Too Many Requests/ } }, `${route}: 429 with Retry-After`)
    t.match(await run(CHAT.down), { status: 502, body: { error: 'Telegram unreachable', message: /502: Bad Gateway/ } }, `${route}: an outage is a 502`)
  }
  t.match(await send(CHAT.refused), { status: 400, body: { error: 'Telegram refused sendMessage', message: /blocked/ } }, 'a refusal is a 400 with Telegram\'s description')
  t.match(await setup('limited'), { status: 429, retryAfter: '7' }, 'webhook setup: 429 with Retry-After')
  t.match(await setup('refused'), { status: 400, body: { error: 'Telegram refused setWebhook', message: /403/ } })
  t.match(await setup('down'), { status: 502, body: { error: 'Telegram unreachable' } })
})
