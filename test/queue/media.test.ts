// Media: URL, file_id and uploaded file (multipart), captions over 1024
// characters, location — end to end to the emulator.
import t from 'tap'
import { startRelay, SERVICE_TOKEN } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('media', async t => {
  const relay = await startRelay(t)
  const { emulator, send, call } = relay
  const status = async (id: string) => (await call('GET', `/api/telegram/messages/${id}`)).body
  const sent = (id: string) => waitFor(async () => (await status(id)).status === 'sent', `${id} sent`)
  const upload = async (fields: Record<string, string>, file?: { field: string, bytes: Buffer, name: string, type: string }) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    if (file) form.append(file.field, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
    // the runtime's fetch with its own FormData: undici's FormData cannot carry the runtime's Blob on Node 24
    const res = await fetch(`${relay.url}/api/telegram/send`, { method: 'POST', headers: { authorization: `Bearer ${SERVICE_TOKEN}` }, body: form })
    return { status: res.status, body: await res.json() as Record<string, unknown> }
  }

  t.test('photo by URL is passed to Telegram as a URL', async t => {
    const res = await send({ chat_id: 800, photo: 'https://example.com/studio.jpg', caption: '<b>Studio A</b>', parse_mode: 'HTML' })
    t.equal(res.status, 202)
    await sent(res.body.id)
    const m = emulator.received(800)[0]
    t.equal(m?.method, 'sendPhoto')
    t.equal(m?.params.photo, 'https://example.com/studio.jpg')
    t.equal(m?.caption, '<b>Studio A</b>')
  })

  t.test('uploaded photo: stored in Redis until delivered, sent as multipart, bytes removed after', async t => {
    const bytes = Buffer.alloc(200_000, 7)
    const res = await upload({ chat_id: '801', caption: 'uploaded', priority: 'high', disable_notification: 'true', metadata: '{"order":5}' }, { field: 'photo', bytes, name: 'studio.jpg', type: 'image/jpeg' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await sent(res.body.id as string)
    const m = emulator.received(801)[0]
    t.equal(m?.method, 'sendPhoto')
    t.match(m?.params.photo, { filename: 'studio.jpg', size: 200_000 })
    t.equal(m?.params.disable_notification, true)
    t.same((await status(res.body.id as string)).metadata, { order: 5 })
    const files = await relay.app.redis.keys(relay.app.queue.keys.file('*'))
    t.same(files, [], 'bytes deleted once Telegram has them')
  })

  t.test('document and voice uploads, a file_id reused', async t => {
    const doc = await upload({ chat_id: '802' }, { field: 'document', bytes: Buffer.from('%PDF-1.4 …'), name: 'invoice.pdf', type: 'application/pdf' })
    t.equal(doc.status, 202, JSON.stringify(doc.body))
    const voice = await upload({ chat_id: '802' }, { field: 'voice', bytes: Buffer.alloc(5000, 1), name: 'note.ogg', type: 'audio/ogg' })
    t.equal(voice.status, 202)
    await sent(voice.body.id as string)
    t.same(emulator.received(802).map(m => m.method), ['sendDocument', 'sendVoice'])
    // a file_id Telegram gave us, sent again without uploading
    const sync = await send({ chat_id: 803, photo: 'https://example.com/a.jpg', queue: false })
    const fileId = (sync.body.result[0].photo as Array<{ file_id: string }>)[0]?.file_id
    t.ok(fileId)
    const again = await send({ chat_id: 804, photo: fileId })
    await sent(again.body.id)
    t.equal(emulator.received(804)[0]?.params.photo, fileId)
  })

  t.test('a caption over 1024 characters continues as text, in order', async t => {
    const caption = 'Описание студии. '.repeat(120)
    const res = await send({ chat_id: 805, photo: 'https://example.com/b.jpg', caption })
    t.equal(res.status, 202)
    t.ok(res.body.parts >= 2)
    await sent(res.body.id)
    const got = emulator.received(805)
    t.same(got.map(m => m.method), ['sendPhoto', ...Array(res.body.parts - 1).fill('sendMessage')])
    t.ok((got[0]?.caption ?? '').length <= 1024)
    t.equal([got[0]?.caption, ...got.slice(1).map(m => m.text)].join(' ').replace(/\s+/g, ' ').trim(), caption.trim())
  })

  t.test('location', async t => {
    const res = await send({ chat_id: 806, location: { latitude: 55.75, longitude: 37.62 } })
    await sent(res.body.id)
    t.match(emulator.received(806)[0]?.params, { latitude: 55.75, longitude: 37.62 })
  })

  t.test('limits and bad uploads: 4xx naming the field, nothing queued', async t => {
    const seq = await relay.app.redis.get(relay.app.queue.keys.seq)
    const big = await upload({ chat_id: '807' }, { field: 'photo', bytes: Buffer.alloc(11 * 1024 * 1024), name: 'big.jpg', type: 'image/jpeg' })
    t.equal(big.status, 413)
    t.match(big.body.message, /10 MB/)
    const wrongField = await upload({ chat_id: '807' }, { field: 'sticker', bytes: Buffer.alloc(10), name: 'x', type: 'image/webp' })
    t.equal(wrongField.status, 400)
    t.match(wrongField.body.message, /sticker/)
    const badType = await upload({ chat_id: '807', disable_notification: 'maybe' }, { field: 'photo', bytes: Buffer.alloc(10), name: 'x.jpg', type: 'image/jpeg' })
    t.equal(badType.status, 400)
    t.match(badType.body.message, /disable_notification/)
    const badJson = await upload({ chat_id: '807', reply_markup: '{nope' }, { field: 'photo', bytes: Buffer.alloc(10), name: 'x.jpg', type: 'image/jpeg' })
    t.equal(badJson.status, 400)
    t.match(badJson.body.message, /reply_markup/)
    const noChat = await upload({}, { field: 'photo', bytes: Buffer.alloc(10), name: 'x.jpg', type: 'image/jpeg' })
    t.equal(noChat.status, 400)
    t.match(noChat.body.message, /chat_id/)
    t.equal(await relay.app.redis.get(relay.app.queue.keys.seq), seq, 'nothing queued')
    t.same(await relay.app.redis.keys(relay.app.queue.keys.file('*')), [], 'no orphan bytes')
  })
})
