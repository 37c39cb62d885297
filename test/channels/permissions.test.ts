// verify-permissions against every kind of answer getChatMember gives. The
// emulator always makes the bot a full administrator, so a small stub Bot API
// plays channels where it is not.
import t from 'tap'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN, TEST_ENV } from '../helpers/relay.ts'
import { redisServer } from '../helpers/redis.ts'
import { stubBotApi } from '../helpers/stub-bot-api.ts'

const BOT_ID = 424242

/** chat id → the bot's ChatMember there, or an error answer */
const CHATS: Record<string, { status: number, body: unknown }> = {
  '-1001': { status: 200, body: { ok: true, result: { status: 'creator', user: { id: BOT_ID } } } },
  '-1002': { status: 200, body: { ok: true, result: { status: 'administrator', user: { id: BOT_ID }, can_invite_users: true, can_restrict_members: false } } },
  '-1003': { status: 200, body: { ok: true, result: { status: 'member', user: { id: BOT_ID } } } },
  '-1004': { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot is not a member of the channel chat' } },
  '-1005': { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }
}

t.test('verify-permissions', async t => {
  const { apiUrl, asked } = await stubBotApi(t, ({ method, params }) => method === 'getMe'
    ? { status: 200, body: { ok: true, result: { id: BOT_ID, is_bot: true, first_name: 'Studio bot' } } }
    : CHATS[String(params.chat_id)] ?? { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } })

  const redis = await redisServer(t)
  const config = loadConfig({ ...TEST_ENV, REDIS_URL: redis.url, ROLE: 'api' })
  const app = await buildApp({ config, redisUrl: redis.url, telegram: { apiUrl, token: BOT_TOKEN }, adminToken: ADMIN_TOKEN, logger: false })
  t.teardown(() => app.close())
  const verify = async (chat: string) => {
    const res = await app.inject({ method: 'POST', url: `/api/telegram/channels/${chat}/verify-permissions`, headers: { authorization: `Bearer ${SERVICE_TOKEN}` } })
    return { status: res.statusCode, body: res.json() }
  }

  t.match(await verify('-1001'), { status: 200, body: { ok: true, status: 'creator', is_admin: true, can_invite_users: true, can_restrict_members: true, missing: [] } })
  t.match(await verify('-1002'), { status: 200, body: { ok: false, is_admin: true, can_invite_users: true, can_restrict_members: false, missing: ['can_restrict_members'] } })
  t.match(await verify('-1003'), { status: 200, body: { ok: false, status: 'member', is_admin: false, missing: ['administrator', 'can_invite_users', 'can_restrict_members'] } })
  t.match(await verify('-1004'), { status: 200, body: { ok: false, reason: '403: Forbidden: bot is not a member of the channel chat' } })
  t.match(await verify('-1005'), { status: 502, body: { error: 'Telegram unreachable' } }, 'an outage is not a "no"')
  t.same(asked.filter(a => a.method === 'getChatMember').map(a => a.params.user_id), [BOT_ID, BOT_ID, BOT_ID, BOT_ID, BOT_ID], 'asked about the bot itself')
  t.equal(asked.filter(a => a.method === 'getMe').length, 1, 'the bot\'s id is asked once')
})
