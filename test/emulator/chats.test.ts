// Chats in states Telegram refuses: blocked, gone, migrated.
import t from 'tap'
import { call, emulator, result } from './helpers.ts'

t.test('blocked, removed and migrated chats get Telegram\'s errors', async t => {
  const emu = await emulator(t, { limits: false })
  emu.blockChat(10)
  emu.blockChat('@gone_channel', 'Forbidden: bot was kicked from the channel chat')
  emu.removeChat(-20)
  emu.migrateChat(-30, -1001000000030)

  t.same(await call(emu, 'sendMessage', { chat_id: 10, text: 'x' }), {
    status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }
  })
  t.same(await call(emu, 'sendPhoto', { chat_id: '@Gone_Channel', photo: 'https://example.com/a.jpg' }), {
    status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the channel chat' }
  })
  t.same(await call(emu, 'sendMessage', { chat_id: '-20', text: 'x' }), {
    status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' }
  })
  t.same(await call(emu, 'createChatInviteLink', { chat_id: -20 }), {
    status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' }
  }, 'states apply to every method with a chat_id')
  t.same(await call(emu, 'sendMessage', { chat_id: -30, text: 'x' }), {
    status: 400,
    body: {
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001000000030 }
    }
  })
  t.match(await result(emu, 'sendMessage', { chat_id: -1001000000030, text: 'resent' }), { chat: { type: 'supergroup' } })
  t.equal(emu.messages.length, 1)
  t.equal(emu.stats.rejected, 5)

  emu.reset()
  t.equal((await call(emu, 'sendMessage', { chat_id: 10, text: 'unblocked after reset' })).status, 200)
  t.equal(emu.messages.length, 1, 'reset cleared the messages')
  t.same(emu.stats, { requests: 1, accepted: 1, rejected: 0, tooManyRequests: 0, resets: 0, timeouts: 0, serverErrors: 0, lostResponses: 0 })
  await emu.waitFor(() => emu.received(10).length === 1)
  await t.rejects(emu.waitFor(() => emu.received(11).length > 0, 50), /waitFor: condition still false after 50 ms/)
})
