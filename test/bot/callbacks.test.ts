// Booking buttons end to end: a notification with Confirm/Cancel goes out, a
// press comes back through the webhook, is answered, edits the message and
// reaches a stand-in booking backend, signed.
import t from 'tap'
import { callbackUpdate, startBot, user } from '../helpers/bot.ts'
import { startReceiver, type Received } from '../helpers/receiver.ts'
import { waitFor } from '../helpers/wait.ts'
import { parseTelegramHtml } from '../../src/telegram/html.ts'

const GROUP = -1001234567890
const SECRET = 'booking-events-secret-0123456789'

const booking = {
  id: 'B-77',
  service: 'portrait',
  date: '2024-12-15',
  time_slots: ['10:00-11:00'],
  client_name: 'Ivan',
  client_phone: '+79991234567',
  people_count: 2,
  total_price: 5000,
  status: 'pending'
}

t.test('booking buttons', async t => {
  const backend = await startReceiver(t, SECRET)
  const bot = await startBot(t, { env: { TELEGRAM_CHAT_ID: String(GROUP), BOOKING_EVENTS_URL: backend.url, BOOKING_EVENTS_SECRET: SECRET, QUEUE_DEFAULT_ATTEMPTS: '3' } })
  const { emulator } = bot
  const group = { id: GROUP, type: 'supergroup' }

  /** Sends a booking notification with buttons; returns the message as Telegram shows it in a callback. */
  async function notify (b: typeof booking) {
    const res = await bot.call('POST', '/api/telegram/booking-notification', { booking: b, event: 'created', language: 'en', buttons: true })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(() => emulator.received(GROUP).some(m => m.text?.includes(b.id)), 'the booking message')
    const sent = emulator.received(GROUP).find(m => m.text?.includes(b.id))
    const parsed = parseTelegramHtml(sent?.text ?? '')
    const text = parsed.ok ? parsed.tokens.map(x => x.type === 'text' ? x.text : '').join('') : ''
    return { message_id: sent?.message_id as number, chat: group, text }
  }
  const calls = (method: string) => emulator.calls.filter(c => c.method === method)

  t.test('Confirm: answered, message edited without buttons, event POSTed and signed', async t => {
    const message = await notify(booking)
    await emulator.pushUpdate(callbackUpdate(user(501, 'en', { first_name: 'Olga', username: 'olga' }), 'bk:confirm:B-77', message, 'cb-1'))

    await waitFor(() => calls('answerCallbackQuery').some(c => c.params.callback_query_id === 'cb-1'), 'the answer')
    t.equal(calls('answerCallbackQuery').find(c => c.params.callback_query_id === 'cb-1')?.params.text, 'Booking #B-77 confirmed')

    await waitFor(() => calls('editMessageText').length === 1, 'the edit')
    const edit = calls('editMessageText')[0]?.params ?? {}
    t.equal(edit.chat_id, GROUP)
    t.equal(edit.message_id, message.message_id)
    t.ok(String(edit.text).startsWith(message.text), 'the original text is kept')
    t.match(edit.text, /✅ Confirmed by Olga \(@olga\), /)
    t.notOk(edit.reply_markup, 'the buttons are gone')

    await waitFor(() => backend.received.length === 1, 'the booking event')
    const event = backend.received[0] as Received
    t.ok(event.signed, 'X-TG-Relay-Signature is the HMAC-SHA256 of the raw body')
    t.match(event.body, { id: 'cb-1', event: 'booking.confirmed', booking_id: 'B-77', action: 'confirm', chat_id: GROUP, message_id: message.message_id, user: { id: 501, username: 'olga', first_name: 'Olga' } })
    t.ok(Date.parse(String(event.body.at)) > Date.now() - 60_000, 'at is an ISO time')

    const recorded = await bot.app.redis.hgetall(bot.keys.booking('B-77'))
    t.match(JSON.parse(recorded.confirm ?? '{}'), { callback_id: 'cb-1', user_id: 501, chat_id: GROUP })
  })

  t.test('a second Confirm (another admin, a stale copy) is answered "already", nothing sent again', async t => {
    const message = await notify(booking)
    await emulator.pushUpdate(callbackUpdate(user(502, 'ru'), 'bk:confirm:B-77', message, 'cb-2'))
    await waitFor(() => calls('answerCallbackQuery').some(c => c.params.callback_query_id === 'cb-2'), 'the answer')
    t.equal(calls('answerCallbackQuery').find(c => c.params.callback_query_id === 'cb-2')?.params.text, 'Бронирование №B-77 уже подтверждено')
    await bot.drained()
    t.equal(calls('editMessageText').length, 1)
    t.equal(backend.received.length, 1)
  })

  t.test('Cancel, with the backend failing twice: retried until it takes the event', async t => {
    const message = await notify({ ...booking, id: 'B-78' })
    backend.failWith(503, 500)
    await emulator.pushUpdate(callbackUpdate(user(503, 'ru'), 'bk:cancel:B-78', message, 'cb-3'))
    await waitFor(() => backend.received.some(r => r.body.booking_id === 'B-78'), 'the event, after two failures')
    t.match(backend.received.find(r => r.body.booking_id === 'B-78'), { signed: true, body: { event: 'booking.cancelled', action: 'cancel' } })
    await waitFor(() => calls('editMessageText').length === 2, 'the edit')
    t.match(calls('editMessageText')[1]?.params.text, /❌ Отменил\(а\) User503 \(@user503\), /)
  })

  t.test('a backend refusal (403) dead-letters that event with the reason, and blocks nothing', async t => {
    const message = await notify({ ...booking, id: 'B-80' })
    backend.failWith(403)
    await emulator.pushUpdate(callbackUpdate(user(506, 'en'), 'bk:confirm:B-80', message, 'cb-6'))
    const { redis, queue } = bot.app
    await waitFor(async () => await redis.zcard(queue.keys.dlq) > 0, 'the dead letter')
    const [id] = await redis.zrange(queue.keys.dlq, 0, 0)
    const dead = await bot.call('GET', `/api/telegram/messages/${id}`)
    t.match(dead.body, { status: 'dead', last_error: /HTTP 403/ })
    t.equal(await redis.hexists(queue.keys.blocked, 'booking:B-80'), 0, 'the booking is not a blocked chat')
    t.equal(await redis.exists(queue.keys.pause), 0, 'Telegram delivery is not paused')
  })

  t.test('a button the bot does not know is still answered', async t => {
    await emulator.pushUpdate(callbackUpdate(user(504, 'en'), 'poll:yes', { message_id: 1, chat: { id: 504, type: 'private' } }, 'cb-4'))
    await waitFor(() => calls('answerCallbackQuery').some(c => c.params.callback_query_id === 'cb-4'), 'the answer')
    t.equal(calls('answerCallbackQuery').find(c => c.params.callback_query_id === 'cb-4')?.params.text, 'This button is no longer active.')
  })

  t.test('a message without text (e.g. inaccessible) only loses its buttons', async t => {
    const message = await notify({ ...booking, id: 'B-79' })
    await emulator.pushUpdate(callbackUpdate(user(505, 'en'), 'bk:confirm:B-79', { message_id: message.message_id, chat: group }, 'cb-5'))
    await waitFor(() => calls('editMessageReplyMarkup').length === 1, 'the markup edit')
    t.same(calls('editMessageReplyMarkup')[0]?.params.reply_markup, { inline_keyboard: [] })
  })
})
