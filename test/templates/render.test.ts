// Rendering with the shipped templates: hostile data stays inert and valid, bad
// data is refused with every bad field named, booking events pick their template
// and get buttons.
import t from 'tap'
import type { BookingData } from '../../src/schemas/booking.ts'
import { parseBookingCallback, TemplateError } from '../../src/templates/index.ts'
import { booking, htmlProblems, loadCatalog, TEMPLATE_NAMES } from './fixtures/index.ts'

const catalog = await loadCatalog()

function refusal (fn: () => unknown): TemplateError {
  try {
    fn()
  } catch (err) {
    if (err instanceof TemplateError) return err
    throw err
  }
  throw new Error('did not throw')
}

const render = (b: unknown, language = 'ru') => catalog.render('booking_notification', language, { booking: b })

t.test('markup and quotes in data are escaped, not interpreted', async t => {
  const rendered = render({ ...booking, client_name: '<b>Ivan</b> & "Co"', notes: '</blockquote><a href="x">hi</a> &amp; <script>', studio: 'O\'Brien\'s' })
  t.match(rendered.text, '&lt;b&gt;Ivan&lt;/b&gt; &amp; &quot;Co&quot;')
  t.match(rendered.text, '&lt;/blockquote&gt;&lt;a href=&quot;x&quot;&gt;hi&lt;/a&gt; &amp;amp; &lt;script&gt;')
  t.match(rendered.text, 'O\'Brien\'s', 'apostrophes stay readable')
  t.same(await htmlProblems(rendered.text), [], 'valid Telegram HTML')
})

t.test('template syntax in data is just text', async t => {
  const rendered = render({ ...booking, client_name: '{{ 7 * 7 }} {% raw %}', notes: '$' + '{process.env.HOME}' })
  t.match(rendered.text, '{{ 7 * 7 }} {% raw %}')
  t.match(rendered.text, '$' + '{process.env.HOME}')
  t.notMatch(rendered.text, '49')
})

t.test('emoji, other scripts and invisible characters survive', async t => {
  const name = '👩‍👩‍👧 Ærøskøbing محمد 山田 \u200b'
  const rendered = render({ ...booking, client_name: name }, 'en')
  t.match(rendered.text, name.trim())
  t.same(await htmlProblems(rendered.text), [], 'valid Telegram HTML')
})

t.test('a 5,000-character name and notes: long but valid', async t => {
  const name = 'Я'.repeat(4999) + '&'
  const notes = ('<i>заметка</i> & ' + 'x'.repeat(80) + '\n').repeat(50)
  const rendered = render({ ...booking, client_name: name, notes })
  t.ok(rendered.text.length > 9000, `length ${rendered.text.length}`)
  t.match(rendered.text, 'Я'.repeat(4999) + '&amp;')
  t.notMatch(rendered.text, '<i>')
  t.same(await htmlProblems(rendered.text), [], 'valid Telegram HTML')
})

t.test('missing fields are each named; nothing is rendered', async t => {
  const { client_name: _n, people_count: _p, time_slots: _s, ...partial } = booking
  const err = refusal(() => render(partial))
  t.equal(err.code, 'INVALID_DATA')
  t.equal(err.statusCode, 400)
  t.same(err.details, [
    { field: 'data.booking.time_slots', message: 'is required' },
    { field: 'data.booking.client_name', message: 'is required' },
    { field: 'data.booking.people_count', message: 'is required' }
  ])
  t.match(err.message, 'data.booking.client_name is required')
})

t.test('wrong types and values are each named', async t => {
  const bad = {
    ...booking,
    id: 1.5,
    date: '15.12.2024',
    time_slots: ['10:00-12:00', '25:00'],
    people_count: '3',
    total_price: -1,
    client_phone: 79991234567,
    status: ''
  }
  const err = refusal(() => render(bad))
  const byField = Object.fromEntries(err.details.map(d => [d.field, d.message]))
  t.same(Object.keys(byField).sort(), [
    'data.booking.client_phone', 'data.booking.date', 'data.booking.id', 'data.booking.people_count',
    'data.booking.status', 'data.booking.time_slots[1]', 'data.booking.total_price'
  ])
  t.equal(byField['data.booking.id'], 'must be a non-negative integer or a string without spaces')
  t.equal(byField['data.booking.date'], 'must be a date as YYYY-MM-DD or an ISO 8601 date-time')
  t.equal(byField['data.booking.time_slots[1]'], 'must be a time slot as HH:MM or HH:MM-HH:MM')
  t.equal(byField['data.booking.people_count'], 'must be an integer')
  t.equal(byField['data.booking.total_price'], 'must be ≥ 0')
  t.equal(byField['data.booking.client_phone'], 'must be a non-empty string')
  t.equal(byField['data.booking.status'], 'must not be empty')
})

t.test('dates that look right but are not', async t => {
  const err = refusal(() => render({ ...booking, date: '2023-02-29', created_at: '2024-02-30T10:00:00Z' }))
  t.same(err.details, [
    { field: 'data.booking.date', message: 'is not a real date: 2023-02-29' },
    { field: 'data.booking.created_at', message: 'is not a real date: 2024-02-30T10:00:00Z' }
  ])
  t.ok(render({ ...booking, date: '2024-02-29' }), 'a leap day is fine')
})

t.test('data that is not an object, unknown fields, bad enums', async t => {
  for (const data of [null, 'text', 42, []]) {
    t.same(refusal(() => catalog.render('system_notification', 'ru', data)).details, [{ field: 'data', message: 'must be an object' }], String(data))
  }
  t.same(refusal(() => catalog.render('system_notification', 'ru', undefined)).details, [{ field: 'data', message: 'is required' }])
  t.same(refusal(() => catalog.render('system_notification', 'ru', { title: 'x', message: 'y', colour: 'red' })).details,
    [{ field: 'data.colour', message: 'is not an allowed field' }])
  t.same(refusal(() => catalog.render('system_notification', 'ru', { title: 'x', message: 'y', level: 'fatal' })).details,
    [{ field: 'data.level', message: 'must be one of "info", "warning", "error"' }])
  t.same(refusal(() => catalog.render('system_notification', 'ru', { title: '', message: 'y', details: [1] })).details, [
    { field: 'data.title', message: 'must not be empty' },
    { field: 'data.details', message: 'must be a string or an object' }
  ])
  t.ok(render({ ...booking, crm_id: 'abc', tags: ['vip'] }), 'the backend may send booking fields we do not know')
})

t.test('system_notification variants', async t => {
  const plain = catalog.render('system_notification', 'en', { title: 'Deployed', message: 'v1.2 is live' })
  t.equal(plain.text, 'ℹ️ <b>Info: Deployed</b>\n\nv1.2 is live')
  const pre = catalog.render('system_notification', 'ru', { title: 'Сбой', message: 'Трассировка:', level: 'error', details: 'Error: <boom>\n  at x (a.ts:1)' })
  t.equal(pre.text, '🚨 <b>Ошибка: Сбой</b>\n\nТрассировка:\n\n<pre>Error: &lt;boom&gt;\n  at x (a.ts:1)</pre>')
  t.same(await htmlProblems(pre.text), [], 'valid Telegram HTML')
})

t.test('unknown template', async t => {
  const err = refusal(() => catalog.render('booking_nope', 'ru', {}))
  t.equal(err.code, 'UNKNOWN_TEMPLATE')
  t.equal(err.statusCode, 404)
  t.match(err.message, 'Unknown template "booking_nope"; templates: ' + TEMPLATE_NAMES.join(', '))
})

t.test('languages: unknown, default, and forms of a tag', async t => {
  const err = refusal(() => catalog.render('system_notification', 'de', { title: 'x', message: 'y' }))
  t.equal(err.code, 'UNKNOWN_LANGUAGE')
  t.equal(err.message, 'Unknown language "de"; languages: en, ru')
  const data = { title: 'x', message: 'y' }
  t.has(catalog.render('system_notification', undefined, data), { language: 'ru', requestedLanguage: 'ru', fallback: false })
  t.has(catalog.render('system_notification', '', data), { language: 'ru' })
  for (const tag of ['en', 'EN', 'en-US', 'en_GB']) {
    t.has(catalog.render('system_notification', tag, data), { language: 'en', requestedLanguage: tag, fallback: false, parseMode: 'HTML' }, tag)
  }
  t.equal(refusal(() => catalog.render('nope', 'de', {})).code, 'UNKNOWN_TEMPLATE', 'the template is checked first')
})

t.test('list()', async t => {
  const list = catalog.list()
  t.same(list.map(i => i.name), TEMPLATE_NAMES)
  for (const info of list) {
    t.same(info.languages, ['en', 'ru'], info.name)
    t.equal(info.variables.type, 'object')
    t.ok(info.description.length > 0)
  }
  t.ok(list.find(i => i.name === 'booking_update')?.variables.properties.previous, 'variables are the JSON schema')
})

t.test('booking events pick their template', async t => {
  const expected = { created: 'booking_notification', confirmed: 'booking_confirmation', cancelled: 'booking_cancellation', reminder: 'booking_reminder', updated: 'booking_update' } as const
  for (const [event, template] of Object.entries(expected)) {
    const rendered = catalog.renderBooking({ booking, event: event as keyof typeof expected })
    t.equal(rendered.template, template, event)
    t.equal(rendered.language, 'ru')
    t.equal(rendered.replyMarkup, undefined, 'no buttons unless asked')
    t.equal(rendered.text, catalog.render(template, 'ru', { booking }).text)
  }
  const update = catalog.renderBooking({ booking, event: 'updated', language: 'en', previous: { people_count: 2 } })
  t.match(update.text, '• Guests: <s>2 people</s> → 4 people')
  const created = catalog.renderBooking({ booking, event: 'created', previous: { people_count: 2 } })
  t.notMatch(created.text, '2 people', 'previous is only for updates')
  t.equal(refusal(() => catalog.renderBooking({ booking, event: 'deleted' as never })).details[0]?.field, 'event')
})

t.test('booking fields are named relative to the request body', async t => {
  const err = refusal(() => catalog.renderBooking({ booking: { ...booking, client_name: undefined } as unknown as BookingData, event: 'created' }))
  t.same(err.details, [{ field: 'booking.client_name', message: 'is required' }])
})

t.test('Confirm/Cancel buttons', async t => {
  const created = catalog.renderBooking({ booking, event: 'created', buttons: true })
  t.same(created.replyMarkup, {
    inline_keyboard: [[
      { text: '✅ Подтвердить', callback_data: 'bk:confirm:1042' },
      { text: '❌ Отменить', callback_data: 'bk:cancel:1042' }
    ]]
  })
  const en = catalog.renderBooking({ booking: { ...booking, id: 'BK-2024-0042' }, event: 'reminder', language: 'en', buttons: true })
  t.same(en.replyMarkup?.inline_keyboard[0]?.map(b => b.text), ['✅ Confirm', '❌ Cancel'])
  t.same(parseBookingCallback('bk:confirm:BK-2024-0042'), { action: 'confirm', bookingId: 'BK-2024-0042' })
  t.same(parseBookingCallback('bk:cancel:1042'), { action: 'cancel', bookingId: '1042' })
  t.equal(parseBookingCallback('bk:delete:1'), null)
  t.equal(parseBookingCallback('something else'), null)

  const confirmed = catalog.renderBooking({ booking: { ...booking, status: 'confirmed' }, event: 'confirmed', buttons: true })
  t.same(confirmed.replyMarkup?.inline_keyboard[0]?.map(b => 'callback_data' in b ? b.callback_data : ''), ['bk:cancel:1042'], 'a confirmed booking can only be cancelled')
  t.equal(catalog.renderBooking({ booking, event: 'cancelled', buttons: true }).replyMarkup, undefined, 'none when cancelled')
  t.equal(catalog.renderBooking({ booking: { ...booking, status: 'cancelled' }, event: 'updated', buttons: true }).replyMarkup, undefined, 'none for a cancelled booking')
})

t.test('callback_data stays within 64 bytes', async t => {
  const fits = 'a'.repeat(53)
  const rendered = catalog.renderBooking({ booking: { ...booking, id: fits }, event: 'created', buttons: true })
  for (const button of rendered.replyMarkup?.inline_keyboard.flat() ?? []) {
    t.ok('callback_data' in button && Buffer.byteLength(button.callback_data) <= 64)
  }
  for (const id of ['a'.repeat(54), 'я'.repeat(27)]) {
    const err = refusal(() => catalog.renderBooking({ booking: { ...booking, id }, event: 'created', buttons: true }))
    t.equal(err.code, 'INVALID_DATA')
    t.same(err.details, [{ field: 'booking.id', message: 'must be at most 53 bytes long to fit in button callback data' }])
  }
  t.ok(catalog.renderBooking({ booking: { ...booking, id: 'я'.repeat(27) }, event: 'created' }), 'fine without buttons')
})
