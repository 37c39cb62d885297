// editMessageCaption, editMessageReplyMarkup and deleteMessage, with Telegram's refusals.
import t from 'tap'
import { call, emulator, result } from './helpers.ts'

type Message = Record<string, unknown> & { message_id: number }

t.test('editMessageCaption: a media caption changes; text messages and locations refuse', async t => {
  const emu = await emulator(t, { limits: false })
  const photo = await result<Message>(emu, 'sendPhoto', { chat_id: 7, photo: 'https://example.com/a.jpg', caption: 'Hall <b>A</b>', parse_mode: 'HTML' })
  const edited = await result<Message>(emu, 'editMessageCaption', { chat_id: 7, message_id: photo.message_id, caption: 'Hall <b>B</b>', parse_mode: 'HTML' })
  t.match(edited, { message_id: photo.message_id, caption: 'Hall B', caption_entities: [{ type: 'bold', offset: 5, length: 1 }], edit_date: Number })
  t.match(await call(emu, 'editMessageCaption', { chat_id: 7, message_id: photo.message_id, caption: 'Hall <b>B</b>', parse_mode: 'HTML' }),
    { status: 400, body: { description: /^Bad Request: message is not modified: / } })

  const text = await result<Message>(emu, 'sendMessage', { chat_id: 7, text: 'plain' })
  t.match(await call(emu, 'editMessageCaption', { chat_id: 7, message_id: text.message_id, caption: 'x' }),
    { status: 400, body: { description: 'Bad Request: there is no caption in the message to edit' } })
  t.match(await call(emu, 'editMessageText', { chat_id: 7, message_id: photo.message_id, text: 'x' }),
    { status: 400, body: { description: 'Bad Request: there is no text in the message to edit' } })

  const location = await result<Message>(emu, 'sendLocation', { chat_id: 7, latitude: 55.75, longitude: 37.61 })
  t.match(await call(emu, 'editMessageText', { chat_id: 7, message_id: location.message_id, text: 'x' }),
    { status: 400, body: { description: "Bad Request: message can't be edited" } })
  const keyboard = await result<Message>(emu, 'sendMessage', { chat_id: 7, text: 'pick', reply_markup: { keyboard: [[{ text: 'A' }]] } })
  t.match(await call(emu, 'editMessageText', { chat_id: 7, message_id: keyboard.message_id, text: 'x' }),
    { status: 400, body: { description: "Bad Request: message can't be edited" } }, 'a message with a reply keyboard is not editable')
  t.same(emu.calls.map(c => c.method), ['editMessageCaption'], 'refused calls are not recorded')
})

t.test('editMessageReplyMarkup: removing the buttons, then the same again is not modified', async t => {
  const emu = await emulator(t, { limits: false })
  const markup = { inline_keyboard: [[{ text: 'Confirm', callback_data: 'bk:confirm:1' }]] }
  const sent = await result<Message>(emu, 'sendMessage', { chat_id: 8, text: 'Booking', reply_markup: markup })
  const bare = await result<Message>(emu, 'editMessageReplyMarkup', { chat_id: 8, message_id: sent.message_id, reply_markup: { inline_keyboard: [] } })
  t.match(bare, { text: 'Booking', edit_date: Number })
  t.match(await call(emu, 'editMessageReplyMarkup', { chat_id: 8, message_id: sent.message_id, reply_markup: { inline_keyboard: [] } }),
    { status: 400, body: { description: /^Bad Request: message is not modified/ } })
})

t.test('deleteMessage: once; then neither deletable nor editable; after 48 h refused', async t => {
  const emu = await emulator(t, { limits: false })
  const sent = await result<Message>(emu, 'sendMessage', { chat_id: 9, text: 'to delete' })
  t.equal(await result(emu, 'deleteMessage', { chat_id: 9, message_id: sent.message_id }), true)
  t.type(emu.messages[0]?.deleted_at, 'number', 'the record says when it was deleted')
  t.match(await call(emu, 'deleteMessage', { chat_id: 9, message_id: sent.message_id }),
    { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message to delete not found' } })
  t.match(await call(emu, 'editMessageText', { chat_id: 9, message_id: sent.message_id, text: 'x' }),
    { status: 400, body: { description: 'Bad Request: message to edit not found' } })
  t.match(await call(emu, 'deleteMessage', { chat_id: 10, message_id: sent.message_id }),
    { status: 400, body: { description: 'Bad Request: message to delete not found' } }, 'the same id in another chat is another message')
  t.match(await call(emu, 'deleteMessage', { chat_id: 9 }),
    { status: 400, body: { description: /message_id/ } }, 'message_id is required (bot-api.json)')

  const old = await result<Message>(emu, 'sendMessage', { chat_id: 9, text: 'old' })
  const record = emu.messages.find(m => m.message_id === old.message_id && m.chat_id === 9)
  if (record) record.date -= 49 * 3_600_000
  t.match(await call(emu, 'deleteMessage', { chat_id: 9, message_id: old.message_id }),
    { status: 400, body: { description: "Bad Request: message can't be deleted for everyone" } })
  emu.blockChat(9)
  t.match(await call(emu, 'deleteMessage', { chat_id: 9, message_id: old.message_id }), { status: 403 }, 'a blocked chat refuses first')
  t.same(emu.calls.map(c => c.method), ['deleteMessage'])
})
