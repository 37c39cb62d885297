// The phStudio booking backend's calls, exactly as its Python client makes
// them, against a real relay: what arrives at the emulator, and that the old
// shape and tg-relay's own end as the same stored message.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'

const native = {
  id: 'bk-9f2c',
  service: 'Студия A',
  date: '2024-12-15',
  time_slots: ['10:00-12:00'],
  client_name: 'Иван Петров',
  client_phone: '+79991234567',
  people_count: 3,
  total_price: 5000,
  status: 'pending'
}

t.test('phStudio booking backend', async t => {
  const relay = await startRelay(t, { env: { TELEGRAM_CHAT_ID: '-1001234567890', DEFAULT_LANGUAGE: 'ru', DEFAULT_TIMEZONE: 'Europe/Moscow' } })
  const { emulator, call } = relay
  const redis = redisClient(t, relay.redis.url)
  // message records, not every key: the monitor writes its own (history, histograms) in the background
  const messages = async () => (await redis.keys(relay.app.queue.keys.msg('*'))).length
  const keys = relay.app.queue.keys
  let chat = 9000
  const stored = async (id: string) => JSON.parse(await redis.hget(keys.msg(id), 'p') ?? '[]') as Array<{ params: Record<string, unknown> }>
  /** posts to its own chat, waits for delivery, returns what arrived and what Redis holds */
  const deliver = async (path: string, body: Record<string, unknown>) => {
    const to = ++chat
    const res = await call('POST', path, { ...body, chat_id: to })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(() => emulator.received(to).length === 1, `delivered to ${to}`)
    const calls = await stored(res.body.id)
    // the chat differs by construction; everything else must be the same
    for (const c of calls) delete c.params.chat_id
    return { res, text: emulator.received(to)[0]?.text ?? '', calls }
  }

  t.test('BookingData.date as isoformat() with offset, without, or a date: the same day, the same message', async t => {
    const base = await deliver('/api/telegram/booking-notification', { booking: native, event: 'created', language: 'ru' })
    t.match(base.text, /воскресенье, 15 декабря 2024/)
    for (const date of ['2024-12-15T10:00:00+03:00', '2024-12-15T10:00:00', '2024-12-15T23:30:00.123456+05:00', '2024-12-15T00:15:00-08:00']) {
      const got = await deliver('/api/telegram/booking-notification', { booking: { ...native, date }, event: 'created', language: 'ru' })
      t.match(got.text, /воскресенье, 15 декабря 2024/, date)
      t.same(got.calls, base.calls, `${date}: stored exactly like the YYYY-MM-DD form`)
    }
  })

  t.test('timestamps without offset are shown in DEFAULT_TIMEZONE, with offset converted to it', async t => {
    const naive = await deliver('/api/telegram/booking-notification', { booking: { ...native, created_at: '2024-12-10T09:30:00' }, event: 'created', language: 'ru' })
    const aware = await deliver('/api/telegram/booking-notification', { booking: { ...native, created_at: '2024-12-10T06:30:00+00:00' }, event: 'created', language: 'ru' })
    t.match(naive.text, /10 декабря 2024, 09:30/)
    t.same(aware.calls, naive.calls, '06:30 UTC is 09:30 in Moscow')
  })

  t.test('no event: it follows booking.status; string id; queue: true', async t => {
    const cases: Array<[string, string, RegExp]> = [
      ['pending', 'created', /Новое бронирование #bk-9f2c/],
      ['new', 'created', /Новое бронирование/],
      ['confirmed', 'confirmed', /подтвержден/i],
      ['cancelled', 'cancelled', /отмен/i],
      ['canceled', 'cancelled', /отмен/i],
      ['completed', 'updated', /изменен|обновлен/i]
    ]
    for (const [status, event, heading] of cases) {
      const old = await deliver('/api/telegram/booking-notification', { booking: { ...native, status, date: '2024-12-15T10:00:00' }, queue: true })
      const own = await deliver('/api/telegram/booking-notification', { booking: { ...native, status }, event, language: 'ru' })
      t.match(old.text, heading, `${status} → ${event}`)
      t.same(old.calls, own.calls, `${status}: same stored message as event "${event}"`)
    }
  })

  t.test('queue: false sends now and answers with Telegram\'s result', async t => {
    const res = await call('POST', '/api/telegram/booking-notification', { booking: native, queue: false, chat_id: 8001 })
    t.equal(res.status, 200, JSON.stringify(res.body))
    t.match(res.body, { status: 'sent', message_ids: [Number] })
    t.equal(emulator.received(8001).length, 1, 'at the emulator before the answer')
    const templated = await call('POST', '/api/telegram/send-templated', { template_type: 'booking_confirmation', template_data: { booking: { ...native, status: 'confirmed' } }, chat_id: 8002, queue: false })
    t.equal(templated.status, 200, JSON.stringify(templated.body))
    t.equal(emulator.received(8002).length, 1)
  })

  t.test('send-templated: template_type, template_data with the flat fields', async t => {
    const flat = {
      booking_id: 'bk-9f2c',
      client_name: 'Иван Петров',
      client_phone: '+79991234567',
      service: 'Студия A',
      date: '15.12.2024',
      time: '10:00-12:00',
      people_count: 3,
      total_price: 5000,
      status: 'confirmed',
      confirmed_at: '2024-12-14T12:00:00'
    }
    const old = await deliver('/api/telegram/send-templated', { template_type: 'booking_confirmation', template_data: flat, language: 'ru', priority: 'HIGH' })
    t.equal(old.res.body.priority, 'high', 'HIGH is high')
    const { booking_id: id, time, ...rest } = flat
    const own = await deliver('/api/telegram/send-templated', { template: 'booking_confirmation', data: { booking: { ...rest, id, date: '2024-12-15', time_slots: [time] } }, language: 'ru', priority: 'high' })
    t.match(old.text, /15 декабря 2024/)
    t.same(old.calls, own.calls, 'flat fields store the same message as the nested booking')
    for (const date of ['2024-12-15', '2024-12-15T10:00:00+03:00']) {
      const other = await deliver('/api/telegram/send-templated', { template_type: 'booking_confirmation', template_data: { ...flat, date }, language: 'ru', priority: 'high' })
      t.same(other.calls, own.calls, `date ${date}`)
    }
    const cancelled = await deliver('/api/telegram/send-templated', { template_type: 'booking_cancellation', template_data: { ...flat, status: 'cancelled', reason: 'Клиент заболел', cancelled_at: '2024-12-14T15:00:00' }, language: 'ru' })
    t.match(cancelled.text, /Клиент заболел/, 'reason is the cancellation reason')
  })

  t.test('a missing flat field is a 400 naming it; nothing queued', async t => {
    const before = await messages()
    const { client_name: _, ...rest } = { booking_id: 1, client_name: 'x', client_phone: '+79991234567', service: 's', date: '15.12.2024', time: '10:00-12:00', people_count: 1, total_price: 1, status: 'pending' }
    const res = await call('POST', '/api/telegram/send-templated', { template_type: 'booking_notification', template_data: rest, chat_id: 8100 })
    t.equal(res.status, 400)
    t.ok(res.body.details.some((d: { field: string }) => /client_name$/.test(d.field)), JSON.stringify(res.body))
    const bad = await call('POST', '/api/telegram/send-templated', { template_type: 'booking_notification', template_data: { ...rest, client_name: 'x', date: '32.12.2024' }, chat_id: 8100 })
    t.equal(bad.status, 400)
    t.ok(bad.body.details.some((d: { field: string }) => /date$/.test(d.field)), JSON.stringify(bad.body))
    const neither = await call('POST', '/api/telegram/send-templated', { chat_id: 8100, data: {} })
    t.equal(neither.status, 400)
    t.match(neither.body.message, /template/)
    t.equal(await messages(), before, 'nothing queued')
  })

  t.test('priority names in any case; anything else a 400', async t => {
    for (const [given, shown] of [['HIGH', 'high'], ['Critical', 'critical'], ['low', 'low']]) {
      const res = await relay.send({ chat_id: 8200, text: 'p', priority: given })
      t.equal(res.status, 202)
      t.equal(res.body.priority, shown)
    }
    t.equal((await relay.send({ chat_id: 8200, text: 'p', priority: 'urgent' })).status, 400)
  })
})
