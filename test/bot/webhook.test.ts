// The webhook receiver and its admin routes: secret check, dedup, bad
// updates, the per-user rate limit, setup/info/delete.
import t from 'tap'
import { request } from 'undici'
import { startBot, textUpdate, user, type BotRelay } from '../helpers/bot.ts'
import { waitFor } from '../helpers/wait.ts'
import { SERVICE_TOKEN } from '../helpers/relay.ts'

/** A raw POST to the webhook, as anyone on the internet could send it. */
async function post (bot: BotRelay, body: string, secret?: string): Promise<{ status: number, body: string }> {
  const res = await request(`${bot.url}/api/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    body
  })
  return { status: res.statusCode, body: await res.body.text() }
}

t.test('webhook receiver', async t => {
  const bot = await startBot(t)
  const { emulator } = bot
  const secret = await bot.app.redis.get(bot.keys.webhookSecret) as string
  t.match(secret, /^[A-Za-z0-9_-]{40,}$/, 'a generated secret is stored for every process')
  const stats = () => bot.app.redis.hgetall(bot.app.queue.keys.stats)

  t.test('a missing, wrong or different-length secret is a 401 and queues nothing', async t => {
    const update = JSON.stringify(textUpdate(user(3001), '/help', { updateId: 900_001 }))
    const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')
    for (const [what, given] of [['missing', undefined], ['wrong', wrong], ['shorter', 'x'], ['longer', secret + secret], ['empty', '']] as const) {
      const res = await post(bot, update, given)
      t.equal(res.status, 401, what)
      t.match(JSON.parse(res.body), { error: 'Unauthorized' })
    }
    await bot.drained()
    t.equal(emulator.received(3001).length, 0)
    t.equal(await bot.app.redis.exists(bot.keys.update(900_001)), 0, 'not even marked as seen')
  })

  t.test('the right secret: 200 at once, the reply follows through the queue', async t => {
    const res = await post(bot, JSON.stringify(textUpdate(user(3002), '/help', { updateId: 900_002 })), secret)
    t.equal(res.status, 200)
    t.same(JSON.parse(res.body), { ok: true })
    await waitFor(() => emulator.received(3002).length === 1, 'the reply')
  })

  t.test('a malformed update or body is a 200 and ignored', async t => {
    for (const body of ['{"update_id":"seven"}', '{"hello":"world"}', '[1,2,3]', 'null', '{not json', '', JSON.stringify({ update_id: 900_003, message: { text: '/help' } })]) {
      const res = await post(bot, body, secret)
      t.equal(res.status, 200, body)
    }
    // an update type the bot does not read
    t.equal((await post(bot, JSON.stringify({ update_id: 900_004, poll: { id: '1', question: '?', options: [] } }), secret)).status, 200)
    await bot.drained()
    t.equal(emulator.messages.length, 1, 'nothing but the earlier reply was sent')
  })

  t.test('a repeated update_id is handled once', async t => {
    const update = textUpdate(user(3003), '/help', { updateId: 900_005 })
    await emulator.pushUpdate(update)
    await emulator.pushUpdate(update)
    t.equal((await post(bot, JSON.stringify(update), secret)).status, 200)
    await waitFor(() => emulator.received(3003).length === 1, 'the reply')
    await bot.drained()
    t.equal(emulator.received(3003).length, 1)
    t.equal((await stats()).bot_duplicate_updates, '2')
  })

  t.test('a flood of 15 updates in a minute: 10 answered, one notice, then silence, counted', async t => {
    const from = user(3004, 'en')
    for (let i = 0; i < 15; i++) await emulator.pushUpdate(textUpdate(from, '/help'))
    await waitFor(() => emulator.received(3004).length >= 11, '11 messages')
    await bot.drained()
    const texts = emulator.received(3004).map(m => m.text)
    t.equal(texts.length, 11)
    t.equal(texts.filter(x => x?.startsWith('Commands:')).length, 10)
    t.match(texts[10], /too much, too fast/)
    t.equal((await stats()).bot_rate_limited, '5')
    t.same(await bot.app.redis.hgetall(bot.keys.rateLimited), { 3004: '5' })
    // another user is not affected
    await emulator.pushUpdate(textUpdate(user(3005), '/help'))
    await waitFor(() => emulator.received(3005).length === 1, 'another user\'s reply')
  })
})

t.test('webhook admin routes', async t => {
  const bot = await startBot(t, { webhook: false, env: { TELEGRAM_WEBHOOK_URL: 'https://relay.example.com/api/telegram/webhook' } })
  const { emulator } = bot
  const setWebhook = () => emulator.calls.filter(c => c.method === 'setWebhook')

  t.test('admin only', async t => {
    t.equal((await bot.call('POST', '/api/telegram/webhook/setup', {}, { authorization: '' })).status, 401)
    t.equal((await bot.call('POST', '/api/telegram/webhook/setup', {})).status, 403, 'the service token is not enough')
    t.equal((await bot.call('GET', '/api/telegram/webhook', undefined, { authorization: `Bearer ${SERVICE_TOKEN}` })).status, 403)
    t.equal((await bot.call('DELETE', '/api/telegram/webhook', undefined, { authorization: '' })).status, 401)
  })

  t.test('setup defaults to TELEGRAM_WEBHOOK_URL, always sends a secret, reuses it', async t => {
    const first = await bot.admin('POST', '/api/telegram/webhook/setup')
    t.equal(first.status, 200, JSON.stringify(first.body))
    t.same(first.body, { ok: true, url: 'https://relay.example.com/api/telegram/webhook', allowed_updates: ['message', 'callback_query', 'my_chat_member'], drop_pending_updates: false, secret_source: 'generated' })
    const again = await bot.admin('POST', '/api/telegram/webhook/setup', { url: 'https://other.example.com/hook', drop_pending_updates: true, allowed_updates: ['message'] })
    t.equal(again.status, 200)
    t.equal(again.body.secret_source, 'stored')
    const [a, b] = setWebhook()
    t.match(a?.params, { url: 'https://relay.example.com/api/telegram/webhook', secret_token: /^[A-Za-z0-9_-]+$/ })
    t.match(b?.params, { url: 'https://other.example.com/hook', drop_pending_updates: true, allowed_updates: ['message'] })
    t.equal(b?.params.secret_token, a?.params.secret_token, 'the same secret both times')
    t.notMatch(JSON.stringify(first.body) + JSON.stringify(again.body), String(a?.params.secret_token), 'never shown')
  })

  t.test('bad setup bodies are 400s', async t => {
    t.equal((await bot.admin('POST', '/api/telegram/webhook/setup', { url: 'ftp://x' })).status, 400)
    t.equal((await bot.admin('POST', '/api/telegram/webhook/setup', { allowed_updates: ['nonsense'] })).status, 400)
    t.equal((await bot.admin('POST', '/api/telegram/webhook/setup', { surprise: 1 })).status, 400)
  })

  t.test('GET shows getWebhookInfo; DELETE removes the webhook', async t => {
    const info = await bot.admin('GET', '/api/telegram/webhook')
    t.equal(info.status, 200)
    t.match(info.body, { url: 'https://other.example.com/hook', pending_update_count: 0, allowed_updates: ['message'], webhooks_enabled: true })
    const del = await bot.admin('DELETE', '/api/telegram/webhook?drop_pending_updates=true')
    t.same(del.body, { ok: true })
    t.equal((await bot.admin('GET', '/api/telegram/webhook')).body.url, '')
  })
})

t.test('setup without any URL is a 400; a configured secret is used as is', async t => {
  const bot = await startBot(t, { webhook: false, env: { TELEGRAM_WEBHOOK_SECRET: 'configured_Secret-123' } })
  const res = await bot.admin('POST', '/api/telegram/webhook/setup', {})
  t.equal(res.status, 400)
  t.match(res.body, { details: [{ field: 'body.url' }] })
  const ok = await bot.admin('POST', '/api/telegram/webhook/setup', { url: `${bot.url}/api/telegram/webhook` })
  t.equal(ok.body.secret_source, 'config')
  t.equal(bot.emulator.calls.find(c => c.method === 'setWebhook')?.params.secret_token, 'configured_Secret-123')
  t.equal(await bot.app.redis.exists(bot.keys.webhookSecret), 0, 'nothing stored')
  t.equal((await post(bot, JSON.stringify(textUpdate(user(3101), '/help')), 'configured_Secret-123')).status, 200)
  t.equal((await post(bot, JSON.stringify(textUpdate(user(3101), '/help')), 'configured_Secret-124')).status, 401)
})
