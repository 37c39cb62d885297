// The bot-operations system's SQS consumers, their calls unchanged.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

const CHANNEL = -1001234567890

t.test('bot operations', async t => {
  const relay = await startRelay(t)
  const { emulator, call } = relay
  const redis = redisClient(t, relay.redis.url)
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body

  t.test('invite with subscription_id and order_id together, max_retries', async t => {
    const res = await call('POST', `/api/telegram/channels/${CHANNEL}/members`, { user_id: 555001, subscription_id: 'sub-77', order_id: 'A-1042', max_retries: 7 })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(() => emulator.received(555001).length === 1, 'the link reached the user')
    const link = emulator.calls.find(c => c.method === 'createChatInviteLink' && c.params.member_limit === 1 && c.params.name === 'order A-1042')
    t.ok(link, 'a one-use link named after the order')
    const s = await status(res.body.id)
    t.equal(s.max_attempts, 7, 'max_retries is attempts')
    const calls = JSON.parse(await redis.hget(relay.app.queue.keys.msg(res.body.id), 'p') ?? '[]') as Array<{ params: Record<string, unknown> }>
    t.match(calls[0]?.params, { order_id: 'A-1042', subscription_id: 'sub-77' }, 'both recorded')
    const again = await call('POST', `/api/telegram/channels/${CHANNEL}/members`, { user_id: 555001, subscription_id: 'sub-77', order_id: 'A-1042', max_retries: 7 })
    t.equal(again.body.id, res.body.id, 'the same invite within 5 minutes is the first one')
    const other = await call('POST', `/api/telegram/channels/${CHANNEL}/members`, { user_id: 555001, subscription_id: 'sub-78', order_id: 'A-1042' })
    t.not(other.body.id, res.body.id, 'another subscription is another invite')
  })

  t.test('remove with subscription_id', async t => {
    const res = await call('DELETE', `/api/telegram/channels/${CHANNEL}/members/555002`, { reason: 'expiry', subscription_id: 'sub-77' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(async () => (await status(res.body.id)).status === 'sent', 'removed')
    t.same(emulator.calls.filter(c => c.params.user_id === 555002).map(c => c.method), ['banChatMember', 'unbanChatMember'])
  })

  t.test('verify-permissions with listing_id echoes it', async t => {
    const res = await call('POST', `/api/telegram/channels/${CHANNEL}/verify-permissions`, { listing_id: 'lst-9' })
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.match(res.body, { chat_id: CHANNEL, listing_id: 'lst-9', ok: true })
    const none = await call('POST', `/api/telegram/channels/${CHANNEL}/verify-permissions`)
    t.equal(none.status, 200)
    t.notOk('listing_id' in none.body)
    t.equal((await call('POST', `/api/telegram/channels/${CHANNEL}/verify-permissions`, { listing: 1 })).status, 400)
  })
})
