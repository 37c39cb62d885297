// Wire formats (JSON, urlencoded, multipart, query) and the refusals Telegram gives.
import t from 'tap'
import { request } from 'undici'
import { call, emulator, TOKEN, type Answer } from './helpers.ts'

t.test('urlencoded form: strings coerced per field type', async t => {
  const emu = await emulator(t)
  const res = await request(`${emu.url}/bot${TOKEN}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      chat_id: '-1001234567890',
      text: 'form <b>text</b>',
      parse_mode: 'HTML',
      disable_notification: 'true',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Open', url: 'https://example.com' }]] })
    }).toString()
  })
  const body = await res.body.json() as Answer['body']
  t.equal(res.statusCode, 200)
  t.match(body, { ok: true, result: { chat: { id: -1001234567890, type: 'supergroup' }, text: 'form text' } })
  t.same(emu.messages[0]?.params, {
    chat_id: -1001234567890,
    text: 'form <b>text</b>',
    parse_mode: 'HTML',
    disable_notification: true,
    reply_markup: { inline_keyboard: [[{ text: 'Open', url: 'https://example.com' }]] }
  }, 'numbers, booleans and JSON-serialized fields are parsed')
})

t.test('multipart upload: only size, name and type are kept', async t => {
  const emu = await emulator(t)
  const form = new FormData()
  form.set('chat_id', '7')
  form.set('caption', 'Contract')
  form.set('document', new Blob([Buffer.alloc(300_000, 1)], { type: 'application/pdf' }), 'contract.pdf')
  const res = await fetch(`${emu.url}/bot${TOKEN}/sendDocument`, { method: 'POST', body: form })
  const body = await res.json() as Answer['body']
  t.equal(res.status, 200)
  t.match(body.result, { document: { file_name: 'contract.pdf', mime_type: 'application/pdf', file_size: 300_000, file_id: String }, caption: 'Contract' })
  t.same({ ...emu.messages[0]?.params.document as object }, { filename: 'contract.pdf', mimetype: 'application/pdf', size: 300_000 })

  const photo = new FormData()
  photo.set('chat_id', '7')
  photo.set('photo', new Blob([Buffer.alloc(2048)], { type: 'image/jpeg' }), 'hall.jpg')
  const photoRes = await fetch(`${emu.url}/bot${TOKEN}/sendPhoto`, { method: 'POST', body: photo })
  t.match(await photoRes.json(), { ok: true, result: { photo: [{ width: 90 }, { width: 320 }, { width: 800, file_size: 2048 }] } })
})

t.test('multipart: a file over 50 MB is refused with 413', async t => {
  const emu = await emulator(t)
  const form = new FormData()
  form.set('chat_id', '7')
  form.set('document', new Blob([Buffer.alloc(50 * 1024 * 1024 + 1)]), 'big.bin')
  const res = await fetch(`${emu.url}/bot${TOKEN}/sendDocument`, { method: 'POST', body: form })
  t.equal(res.status, 413)
  t.same(await res.json(), { ok: false, error_code: 413, description: 'Request Entity Too Large' })
  t.equal(emu.messages.length, 0)
})

t.test('refusals', async t => {
  const emu = await emulator(t, { limits: false })
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['sendMessage', { text: 'no chat' }, 400, 'Bad Request: chat_id is empty'],
    ['sendMessage', { chat_id: 1 }, 400, 'Bad Request: message text is empty'],
    ['sendMessage', { chat_id: 1, text: '' }, 400, 'Bad Request: message text is empty'],
    ['sendMessage', { chat_id: 1, text: '   \n ' }, 400, 'Bad Request: message text is empty'],
    ['sendMessage', { chat_id: 1, text: '<b> </b>', parse_mode: 'HTML' }, 400, 'Bad Request: message text is empty'],
    ['sendMessage', { chat_id: true, text: 'x' }, 400, 'Bad Request: field "chat_id" must be of type Integer or String'],
    ['sendMessage', { chat_id: 1.5, text: 'x' }, 400, 'Bad Request: field "chat_id" must be of type Integer or String'],
    ['sendMessage', { chat_id: 'not-a-chat', text: 'x' }, 400, 'Bad Request: chat not found'],
    ['sendMessage', { chat_id: 1, text: 'x', disable_notification: 'maybe' }, 400, 'Bad Request: field "disable_notification" must be of type Boolean'],
    ['sendMessage', { chat_id: 1, text: '<b>x', parse_mode: 'HTML' }, 400, 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'],
    ['sendMessage', { chat_id: 1, text: 'x <y> z', parse_mode: 'HTML' }, 400, 'Bad Request: can\'t parse entities: Unsupported start tag "y" at byte offset 2'],
    ['sendMessage', { chat_id: 1, text: 'x', parse_mode: 'BBCode' }, 400, 'Bad Request: unsupported parse_mode'],
    ['sendMessage', { chat_id: 1, text: 'x'.repeat(4097) }, 400, 'Bad Request: message is too long'],
    ['sendMessage', { chat_id: 1, text: 'x', reply_markup: '{not json' }, 400, 'Bad Request: can\'t parse reply keyboard markup JSON object'],
    ['sendMessage', { chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] } }, 400, 'Bad Request: BUTTON_DATA_INVALID'],
    ['sendMessage', { chat_id: 1, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b' }]] } }, 400, 'Bad Request: can\'t parse inline keyboard button: Text buttons are unallowed in the inline keyboard'],
    ['sendPhoto', { chat_id: 1 }, 400, 'Bad Request: there is no photo in the request'],
    ['sendPhoto', { chat_id: 1, photo: 'no-such-file-id' }, 400, 'Bad Request: wrong file identifier/HTTP URL specified'],
    ['sendPhoto', { chat_id: 1, photo: 'https://example.com/a.jpg', caption: 'c'.repeat(1025) }, 400, 'Bad Request: message caption is too long'],
    ['sendLocation', { chat_id: 1, latitude: 'north', longitude: 1 }, 400, 'Bad Request: field "latitude" must be of type Float'],
    ['sendLocation', { chat_id: 1, longitude: 1 }, 400, 'Bad Request: latitude is empty'],
    ['getChatMember', { chat_id: 1, user_id: 'me' }, 400, 'Bad Request: field "user_id" must be of type Integer'],
    ['answerCallbackQuery', {}, 400, 'Bad Request: callback_query_id is empty'],
    ['sendSticker', { chat_id: 1 }, 404, 'Not Found'],
    ['', {}, 404, 'Not Found']
  ]
  for (const [method, params, status, description] of cases) {
    const answer = await call(emu, method, params)
    t.same(answer, { status, body: { ok: false, error_code: status, description } }, `${method} ${JSON.stringify(params).slice(0, 60)}`)
  }
  t.ok((await call(emu, 'sendMessage', { chat_id: 1, text: 'x'.repeat(4096) })).body.ok, '4096 is allowed')
  t.ok((await call(emu, 'sendMessage', { chat_id: 1, text: `<b>${'&amp;'.repeat(4096)}</b>`, parse_mode: 'HTML' })).body.ok, 'tags and entities do not count')
  t.equal(emu.messages.length, 2, 'refused calls record nothing')
  t.equal(emu.stats.rejected, cases.length)
})

t.test('tokens: bad format, wrong token, paths outside /bot', async t => {
  const emu = await emulator(t, { token: TOKEN })
  const unauthorized = { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }
  t.same(await call(emu, 'getMe', {}, { token: 'not-a-token' }), unauthorized)
  t.same(await call(emu, 'getMe', {}, { token: '42:other-token' }), unauthorized, 'only the configured token')
  t.equal((await call(emu, 'getMe')).status, 200)
  const res = await request(`${emu.url}/something/else`)
  t.equal(res.statusCode, 404)
  t.same(await res.body.json(), { ok: false, error_code: 404, description: 'Not Found' })
  const bad = await request(`${emu.url}/bot${TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"chat_id":' })
  t.equal(bad.statusCode, 400)
  t.match(await bad.body.json(), { ok: false, error_code: 400, description: /^Bad Request: / })
})
