// Templated sends end to end: HTTP → render → queue → emulator.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'
import { parseTelegramHtml } from '../../src/telegram/html.ts'

const booking = {
  id: 123,
  service: 'Студия A',
  date: '2024-12-15',
  time_slots: ['10:00-11:00', '11:00-12:00'],
  client_name: '<b>Ivan</b> & "Co"',
  client_phone: '+79991234567',
  people_count: 5,
  total_price: 5000,
  status: 'pending'
}

t.test('templates over HTTP', async t => {
  const relay = await startRelay(t, { env: { TELEGRAM_CHAT_ID: '-1001234567890', DEFAULT_LANGUAGE: 'ru' } })
  const { emulator, call } = relay
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body

  t.test('booking notification arrives in TELEGRAM_CHAT_ID, escaped, formatted, with buttons', async t => {
    const res = await call('POST', '/api/telegram/booking-notification', { booking, event: 'created', language: 'ru', buttons: true, idempotency_key: 'bk-123-created' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { id: String, template: 'booking_notification', language: 'ru', fallback: false })
    await waitFor(async () => (await status(res.body.id)).status === 'sent', 'sent')
    const got = emulator.received(-1001234567890)
    t.equal(got.length, 1)
    const text = got[0]?.text ?? ''
    t.ok(parseTelegramHtml(text).ok, 'valid Telegram HTML')
    t.match(text, /&lt;b&gt;Ivan&lt;\/b&gt; &amp; &quot;Co&quot;/, 'client name escaped')
    t.match(text, /15 декабря 2024/)
    t.match(text, /5\u00a0000\u00a0₽/)
    t.match(text, /5 человек/)
    t.match(text, /\+7 \(999\) 123-45-67/)
    t.same((got[0]?.params.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat().map(b => b.callback_data), ['bk:confirm:123', 'bk:cancel:123'])
    const again = await call('POST', '/api/telegram/booking-notification', { booking, event: 'created', language: 'ru', buttons: true, idempotency_key: 'bk-123-created' })
    t.equal(again.body.id, res.body.id, 'a retried call from the backend notifies once')
  })

  t.test('English, to a given chat', async t => {
    const res = await call('POST', '/api/telegram/booking-notification', { booking: { ...booking, status: 'confirmed' }, event: 'confirmed', language: 'en', chat_id: 777 })
    t.equal(res.status, 202)
    await waitFor(() => emulator.received(777).length === 1, 'delivered')
    t.match(emulator.received(777)[0]?.text, /December 15, 2024/)
  })

  t.test('send-templated with every template, both languages', async t => {
    const list = await call('GET', '/api/telegram/templates')
    t.equal(list.status, 200)
    t.same(list.body.templates.map((x: { name: string }) => x.name).sort(), ['booking_cancellation', 'booking_confirmation', 'booking_notification', 'booking_reminder', 'booking_update', 'system_notification'])
    t.same(list.body.languages.sort(), ['en', 'ru'])
    const sys = await call('POST', '/api/telegram/send-templated', { template: 'system_notification', language: 'en', chat_id: 778, data: { title: 'Backup', message: 'Nightly backup failed.', level: 'error' }, priority: 'high' })
    t.equal(sys.status, 202, JSON.stringify(sys.body))
    await waitFor(() => emulator.received(778).length === 1, 'delivered')
    t.match(emulator.received(778)[0]?.text, /Backup/)
  })

  t.test('preview renders without sending', async t => {
    const before = emulator.messages.length
    const res = await call('POST', '/api/telegram/templates/booking_reminder/preview', { language: 'en', data: { booking: { ...booking, status: 'confirmed' } } })
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.equal(res.body.parse_mode, 'HTML')
    t.equal(res.body.parts, 1)
    t.match(res.body.text, /December 15, 2024/)
    t.equal(emulator.messages.length, before)
  })

  t.test('errors name the field and list what exists; nothing queued', async t => {
    const seq = await relay.app.redis.get(relay.app.queue.keys.seq)
    const missing = await call('POST', '/api/telegram/send-templated', { template: 'booking_notification', language: 'ru', chat_id: 1, data: { booking: { ...booking, client_name: undefined } } })
    t.equal(missing.status, 400)
    t.match(missing.body.details, [{ field: /client_name/ }])
    const wrong = await call('POST', '/api/telegram/booking-notification', { booking: { ...booking, people_count: 'five' }, event: 'created' })
    t.equal(wrong.status, 400)
    t.match(wrong.body.message, /people_count/)
    const unknown = await call('POST', '/api/telegram/send-templated', { template: 'birthday', chat_id: 1, data: {} })
    t.equal(unknown.status, 400)
    t.match(unknown.body.message, /booking_notification/, 'lists the templates that exist')
    const lang = await call('POST', '/api/telegram/send-templated', { template: 'system_notification', language: 'de', chat_id: 1, data: { title: 'x', message: 'y' } })
    t.equal(lang.status, 400)
    t.match(lang.body.message, /en.*ru|ru.*en/, 'lists the languages')
    const event = await call('POST', '/api/telegram/booking-notification', { booking, event: 'exploded' })
    t.equal(event.status, 400)
    t.equal(await relay.app.redis.get(relay.app.queue.keys.seq), seq, 'nothing queued')
  })

  t.test('a very long client name is split into valid parts, delivered in order', async t => {
    const res = await call('POST', '/api/telegram/booking-notification', { booking: { ...booking, client_name: 'Очень длинное имя '.repeat(300) }, event: 'created', chat_id: 779 })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.ok(res.body.parts >= 2)
    await waitFor(async () => (await status(res.body.id)).status === 'sent', 'sent')
    for (const m of emulator.received(779)) t.ok(parseTelegramHtml(m.text ?? '').ok)
    t.equal(emulator.received(779).length, res.body.parts)
  })
})
