// Channel member operations end to end: queued, delivered to
// the Bot API emulator through the worker's transports, in order per
// channel and user, deduplicated for 5 minutes.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

const CHANNEL = -1001234567890

t.test('channel members', async t => {
  const relay = await startRelay(t)
  const { emulator, call } = relay
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body
  const settled = (id: string, state: string) => waitFor(async () => (await status(id)).status === state, `${id} to be ${state}`)
  const invite = (body: Record<string, unknown>, channel: number | string = CHANNEL) => call('POST', `/api/telegram/channels/${channel}/members`, body)
  const remove = (user: number, body: Record<string, unknown>) => call('DELETE', `/api/telegram/channels/${CHANNEL}/members/${user}`, body)
  const callsFor = (user: number) => emulator.calls.filter(c => c.params.user_id === user)

  t.test('invite: a one-use link, then the link sent to the user', async t => {
    const expire = new Date(Date.now() + 86_400_000)
    const res = await invite({ user_id: 101, order_id: 'A-1042', expire_date: expire.toISOString(), message: 'Thanks for your order! Join here:' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { id: String, status: 'queued', operation: 'invite', priority: 'high' })
    await settled(res.body.id, 'sent')

    const created = emulator.calls.filter(c => c.method === 'createChatInviteLink' && c.params.chat_id === CHANNEL)
    t.equal(created.length, 1)
    t.match(created[0]?.params, { member_limit: 1, name: 'order A-1042', expire_date: Math.floor(expire.getTime() / 1000) })
    const got = emulator.received(101)
    t.equal(got.length, 1, 'one message to the user')
    const link = /https:\/\/t\.me\/\+\S+/.exec(got[0]?.text ?? '')?.[0]
    t.ok(link, `the message carries the link: ${got[0]?.text}`)
    t.match(got[0]?.text, /^Thanks for your order! Join here:\n/)

    const s = await status(res.body.id)
    t.same(s.message_ids, [got[0]?.message_id], 'the link message is the operation\'s message_id')
    t.match(s.note, `invite link ${link} for user 101`)
  })

  t.test('the default text is in the user\'s language', async t => {
    const res = await invite({ user_id: 102, subscription_id: 77, language: 'ru' })
    await settled(res.body.id, 'sent')
    t.match(emulator.received(102)[0]?.text, /^Ваша личная ссылка[^\n]*\nhttps:\/\/t\.me\/\+/)
    t.ok(emulator.calls.some(c => c.method === 'createChatInviteLink' && c.params.name === 'subscription 77'), 'the link is named after the subscription')
  })

  t.test('a repeated identical invite within 5 minutes: the same id, one link', async t => {
    const body = { user_id: 103, order_id: 'B-7' }
    const a = await invite(body)
    const b = await invite(body)
    t.equal(b.status, 202)
    t.equal(b.body.id, a.body.id)
    t.equal(b.body.duplicate, true)
    await settled(a.body.id, 'sent')
    t.equal(emulator.calls.filter(c => c.method === 'createChatInviteLink' && c.params.name === 'order B-7').length, 1, 'one link created')
    t.equal(emulator.received(103).length, 1, 'one message')
    const other = await invite({ user_id: 103, order_id: 'B-8' })
    t.not(other.body.id, a.body.id, 'another order is another operation')
  })

  t.test('remove: ban, then unban only if banned', async t => {
    const res = await remove(104, { reason: 'refund' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { operation: 'remove' })
    await settled(res.body.id, 'sent')
    t.same(callsFor(104).map(c => c.method), ['banChatMember', 'unbanChatMember'])
    t.match(callsFor(104)[1]?.params, { chat_id: CHANNEL, only_if_banned: true })
    t.match((await status(res.body.id)).note, /refund/)
    const again = await remove(104, { reason: 'refund' })
    t.equal(again.body.id, res.body.id, 'the same removal within 5 minutes is a duplicate')
  })

  t.test('invite then remove for the same user: applied in that order', async t => {
    // a slow invite: were the two not ordered, the removal would overtake it
    emulator.setFaults({ latencyMs: 300, methods: ['createChatInviteLink'] })
    t.teardown(() => emulator.setFaults({}))
    const a = await invite({ user_id: 105, order_id: 'C-1' })
    const b = await remove(105, { reason: 'cancellation' })
    await settled(b.body.id, 'sent')
    t.equal((await status(a.body.id)).status, 'sent', 'the invite finished first')
    const ban = callsFor(105).find(c => c.method === 'banChatMember')
    const message = emulator.received(105)[0]
    t.ok(ban && message && message.date <= ban.at, 'the link went out before the ban')
    t.same(callsFor(105).map(c => c.method), ['banChatMember', 'unbanChatMember'])
  })

  t.test('a user who blocked the bot: the invite dies with the link in its reason; a removal still runs', async t => {
    emulator.blockChat(106)
    const a = await invite({ user_id: 106, order_id: 'D-1' })
    await settled(a.body.id, 'dead')
    const s = await status(a.body.id)
    t.match(s.last_error, /sendMessage refused \(403 Forbidden: bot was blocked by the user\); the link https:\/\/t\.me\/\+\S+ was created but not delivered to user 106/)
    t.equal(s.attempts, 1, 'permanent: not retried')
    const b = await remove(106, { reason: 'expiry' })
    await settled(b.body.id, 'sent')
    t.same(callsFor(106).map(c => c.method), ['banChatMember', 'unbanChatMember'], 'not skipped as a "blocked chat"')
  })

  t.test('@channel usernames work as the channel', async t => {
    const res = await invite({ user_id: 107 }, '@studio_club')
    await settled(res.body.id, 'sent')
    t.ok(emulator.calls.some(c => c.method === 'createChatInviteLink' && c.params.chat_id === '@studio_club'))
  })

  t.test('bad requests: 400 naming the field', async t => {
    const cases: Array<[Promise<{ status: number, body: { details?: Array<{ field: string }> } }>, string]> = [
      [invite({ user_id: 0 }), 'body.user_id'],
      [invite({ user_id: 1, expire_date: '2001-01-01T00:00:00Z' }), 'body.expire_date'],
      [invite({ user_id: 1, colour: 'red' }), 'body.colour'],
      [invite({ user_id: 1 }, 'not-a-chat'), 'params.chat_id'],
      [remove(1, { reason: 'boredom' }), 'body.reason'],
      [remove(1, {}), 'body.reason']
    ]
    for (const [pending, field] of cases) {
      const res = await pending
      t.equal(res.status, 400)
      t.ok(res.body.details?.some(d => d.field === field), `names ${field}: ${JSON.stringify(res.body)}`)
    }
  })

  t.test('verify-permissions', async t => {
    const ok = await call('POST', `/api/telegram/channels/${CHANNEL}/verify-permissions`)
    t.equal(ok.status, 200)
    t.match(ok.body, { chat_id: CHANNEL, ok: true, is_admin: true, can_invite_users: true, can_restrict_members: true, status: 'administrator', missing: [] })
    emulator.removeChat(-1009999999999)
    const gone = await call('POST', '/api/telegram/channels/-1009999999999/verify-permissions')
    t.equal(gone.status, 200)
    t.match(gone.body, { ok: false, is_admin: false, reason: /chat not found/ })
  })
})
