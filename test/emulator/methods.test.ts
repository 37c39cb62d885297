// Each method's happy path, with the result shapes Telegram returns.
import t from 'tap'
import { BOT_ID, call, emulator, result } from './helpers.ts'

const BOT = { id: BOT_ID, is_bot: true, first_name: 'tg-relay emulator', username: 'tg_relay_emulator_bot' }

type Message = Record<string, unknown> & { message_id: number, chat: { id: number, type: string }, date: number }

t.test('getMe', async t => {
  const emu = await emulator(t)
  t.match(await result(emu, 'getMe'), { ...BOT, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false })
  t.same(emu.calls.map(c => c.method), ['getMe'])
})

t.test('sendMessage: Message with per-chat ids, chat types, parsed HTML', async t => {
  const emu = await emulator(t, { limits: false })
  const first = await result<Message>(emu, 'sendMessage', {
    chat_id: 42,
    text: ' <b>Booking</b> &amp; <a href="https://example.com">details</a> ',
    parse_mode: 'HTML',
    reply_markup: { inline_keyboard: [[{ text: 'Confirm', callback_data: 'confirm:1' }]] }
  })
  t.same(first.from, BOT)
  t.same(first.chat, { id: 42, type: 'private', first_name: 'User 42' })
  t.equal(first.message_id, 1)
  t.ok(Math.abs(first.date - Date.now() / 1000) < 5, 'date in seconds')
  t.equal(first.text, 'Booking & details', 'tags stripped, entities decoded, ends trimmed')
  t.same(first.entities, [{ type: 'bold', offset: 0, length: 7 }, { type: 'text_link', offset: 10, length: 7, url: 'https://example.com' }])
  t.same(first.reply_markup, { inline_keyboard: [[{ text: 'Confirm', callback_data: 'confirm:1' }]] })
  t.equal((await result<Message>(emu, 'sendMessage', { chat_id: 42, text: 'again' })).message_id, 2)
  t.equal((await result<Message>(emu, 'sendMessage', { chat_id: 43, text: 'other chat' })).message_id, 1)

  t.match((await result<Message>(emu, 'sendMessage', { chat_id: -5, text: 'x' })).chat, { id: -5, type: 'group' })
  t.match((await result<Message>(emu, 'sendMessage', { chat_id: -1001234567890, text: 'x' })).chat, { id: -1001234567890, type: 'supergroup' })
  const channel = await result<Message>(emu, 'sendMessage', { chat_id: '@studio_news', text: 'x' })
  t.match(channel.chat, { type: 'channel', username: 'studio_news' })
  t.ok(channel.chat.id < -1000000000000, 'a channel gets a -100… id')

  t.equal(emu.messages.length, 6)
  t.match(emu.messages[0], { message_id: 1, method: 'sendMessage', chat_id: 42, text: ' <b>Booking</b> &amp; <a href="https://example.com">details</a> ' })
  t.same(emu.received(42).map(m => m.message_id), [1, 2])
  t.same(emu.received('@STUDIO_news').map(m => m.chat_id), ['@studio_news'], 'usernames match case-insensitively')
  t.same(emu.calls, [], 'sends are messages, not calls')
})

t.test('sendPhoto, sendDocument, sendVoice by URL and by file_id', async t => {
  const emu = await emulator(t, { limits: false })
  const photo = await result<Message & { photo: Array<{ file_id: string, width: number }> }>(emu, 'sendPhoto', {
    chat_id: 1, photo: 'https://example.com/studio.jpg', caption: '<i>Hall A</i>', parse_mode: 'HTML'
  })
  t.equal(photo.photo.length, 3)
  t.match(photo.photo[2], { file_id: /^AgAC/, file_unique_id: String, width: 800, height: 600 })
  t.equal(photo.caption, 'Hall A')
  t.same(photo.caption_entities, [{ type: 'italic', offset: 0, length: 6 }])
  const again = await result<{ photo: unknown }>(emu, 'sendPhoto', { chat_id: 1, photo: photo.photo[0]?.file_id })
  t.same(again.photo, photo.photo, 'a known file_id is the same file')

  const doc = await result<{ document: { file_id: string } }>(emu, 'sendDocument', { chat_id: 1, document: 'https://example.com/files/invoice.pdf' })
  t.match(doc.document, { file_id: /^BQAC/, file_unique_id: String, file_name: 'invoice.pdf' })
  const voice = await result<{ voice: unknown }>(emu, 'sendVoice', { chat_id: 1, voice: 'https://example.com/v.ogg', duration: 7 })
  t.match(voice.voice, { file_id: /^AwAC/, duration: 7, mime_type: 'audio/ogg' })

  t.same(emu.messages.map(m => m.method), ['sendPhoto', 'sendPhoto', 'sendDocument', 'sendVoice'])
  t.equal(emu.messages[0]?.caption, '<i>Hall A</i>')
})

t.test('sendLocation', async t => {
  const emu = await emulator(t)
  const message = await result<{ location: unknown }>(emu, 'sendLocation', { chat_id: 9, latitude: 55.7558, longitude: '37.6173', horizontal_accuracy: 10 })
  t.same(message.location, { latitude: 55.7558, longitude: 37.6173, horizontal_accuracy: 10 })
  t.same(emu.messages[0]?.params, { chat_id: 9, latitude: 55.7558, longitude: 37.6173, horizontal_accuracy: 10 })
})

t.test('answerCallbackQuery, banChatMember, unbanChatMember, getChatMember', async t => {
  const emu = await emulator(t)
  t.equal(await result(emu, 'answerCallbackQuery', { callback_query_id: '4382bfdwdsb323b2d9', text: 'Confirmed' }), true)
  t.match(await result(emu, 'getChatMember', { chat_id: -1001, user_id: BOT_ID }), {
    status: 'administrator', user: BOT, can_invite_users: true, can_restrict_members: true
  })
  t.same(await result(emu, 'getChatMember', { chat_id: -1001, user_id: 77 }), {
    status: 'member', user: { id: 77, is_bot: false, first_name: 'User 77' }
  })
  t.equal(await result(emu, 'banChatMember', { chat_id: -1001, user_id: 77, until_date: 0 }), true)
  t.match(await result(emu, 'getChatMember', { chat_id: -1001, user_id: 77 }), { status: 'kicked', until_date: 0 })
  t.equal(await result(emu, 'unbanChatMember', { chat_id: -1001, user_id: 77, only_if_banned: true }), true)
  t.match(await result(emu, 'getChatMember', { chat_id: -1001, user_id: 77 }), { status: 'left' })
  t.same(emu.calls.map(c => c.method), [
    'answerCallbackQuery', 'getChatMember', 'getChatMember', 'banChatMember', 'getChatMember', 'unbanChatMember', 'getChatMember'
  ])
  t.same(emu.calls[3]?.params, { chat_id: -1001, user_id: 77, until_date: 0 })
})

t.test('createChatInviteLink', async t => {
  const emu = await emulator(t)
  const link = await result<Record<string, unknown>>(emu, 'createChatInviteLink', { chat_id: '@studio_club', name: 'order 17', member_limit: 1 })
  t.match(link, {
    invite_link: /^https:\/\/t\.me\/\+[\w-]{16}$/,
    creator: BOT,
    creates_join_request: false,
    is_primary: false,
    is_revoked: false,
    name: 'order 17',
    member_limit: 1
  })
})

t.test('setWebhook, getWebhookInfo, deleteWebhook', async t => {
  const emu = await emulator(t)
  t.same(await result(emu, 'getWebhookInfo'), { url: '', has_custom_certificate: false, pending_update_count: 0 })
  t.equal(await result(emu, 'setWebhook', { url: 'https://relay.example.com/api/telegram/webhook', secret_token: 's3cret', allowed_updates: ['message', 'callback_query'] }), true)
  t.same(await result(emu, 'getWebhookInfo'), {
    url: 'https://relay.example.com/api/telegram/webhook',
    has_custom_certificate: false,
    pending_update_count: 0,
    max_connections: 40,
    allowed_updates: ['message', 'callback_query']
  })
  t.equal(await result(emu, 'deleteWebhook', { drop_pending_updates: true }), true)
  t.match(await result(emu, 'getWebhookInfo'), { url: '' })
  t.equal(await result(emu, 'setWebhook', { url: 'https://x.example.com/hook' }), true)
  t.equal(await result(emu, 'setWebhook', { url: '' }), true, 'an empty url removes the webhook')
  t.match(await result(emu, 'getWebhookInfo'), { url: '' })
})

t.test('editMessageText and editMessageReplyMarkup', async t => {
  const emu = await emulator(t, { limits: false })
  const sent = await result<Message>(emu, 'sendMessage', { chat_id: 5, text: 'Booking <b>pending</b>', parse_mode: 'HTML' })
  const edited = await result<Message>(emu, 'editMessageText', { chat_id: 5, message_id: sent.message_id, text: 'Booking <b>confirmed</b>', parse_mode: 'HTML' })
  t.match(edited, { message_id: sent.message_id, chat: { id: 5 }, text: 'Booking confirmed', edit_date: Number })
  t.same(edited.entities, [{ type: 'bold', offset: 8, length: 9 }])

  const same = await call(emu, 'editMessageText', { chat_id: 5, message_id: sent.message_id, text: 'Booking <b>confirmed</b>', parse_mode: 'HTML' })
  t.match(same, { status: 400, body: { description: /^Bad Request: message is not modified/ } })
  const missing = await call(emu, 'editMessageText', { chat_id: 5, message_id: 99, text: 'x' })
  t.match(missing, { status: 400, body: { description: 'Bad Request: message to edit not found' } })

  const markup = { inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel:1' }]] }
  const withMarkup = await result<Message>(emu, 'editMessageReplyMarkup', { chat_id: 5, message_id: sent.message_id, reply_markup: markup })
  t.match(withMarkup, { text: 'Booking confirmed', reply_markup: markup })
  t.equal(await result(emu, 'editMessageText', { inline_message_id: 'abc', text: 'inline' }), true)
  t.same(emu.calls.map(c => c.method), ['editMessageText', 'editMessageReplyMarkup', 'editMessageText'])
  t.equal(emu.messages.length, 1, 'edits are not new messages')
})

t.test('GET with a query string, and method names in any case', async t => {
  const emu = await emulator(t)
  const answer = await call(emu, 'SENDMESSAGE', { chat_id: '11', text: 'via GET' }, { get: true })
  t.match(answer, { status: 200, body: { ok: true, result: { chat: { id: 11 }, text: 'via GET' } } })
  t.equal(emu.messages[0]?.method, 'sendMessage')
})
