// tg-relay-client against a running tg-relay and the Bot API emulator: every
// operation is a method, each resilient-API method queues what it says (as
// the emulator receives it) and reports what the status API says, errors are
// typed, and retries never queue twice.
import t from 'tap'
import { createClient, OPERATIONS, TgRelayError, type TgRelayClient } from 'tg-relay-client'
import { ADMIN_TOKEN, BOT_TOKEN, SERVICE_TOKEN, startRelay } from '../helpers/relay.ts'
import { waitFor } from '../helpers/wait.ts'
import { buildOpenApiDocument } from '../../src/openapi.ts'

// Never called: `npm run typecheck` proves the generated types reach the methods.
export function typedFromTheDocument (client: TgRelayClient): void {
  // @ts-expect-error getMessage needs path.id
  client.getMessage()
  // @ts-expect-error a send needs chat_id
  client.send({ body: { text: 'x' } })
  // @ts-expect-error attempts is a number
  client.sendText(1, 'x', {}, { attempts: 'many' })
  // @ts-expect-error status is a message state
  client.listMessages({ query: { status: 'lost' } })
  client.listMessages()
  client.getBroadcast({ path: { id: 'b1' }, query: { limit: 10 } }).then(b => b.delivery_rate)
}

t.test('a client method for every operation in the document', async t => {
  const relay = await startRelay(t)
  const served = await relay.call('GET', '/docs/json')
  const offline = await buildOpenApiDocument()
  const client = createClient({ baseUrl: relay.url, token: SERVICE_TOKEN })
  for (const doc of [served.body as typeof offline, offline]) {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const id = op.operationId as keyof typeof client
        t.type(client[id], 'function', `${method.toUpperCase()} ${path}: client.${String(id)}()`)
        t.match(OPERATIONS[id as keyof typeof OPERATIONS], { method: method.toUpperCase(), path }, `${String(id)} calls ${method.toUpperCase()} ${path}`)
      }
    }
  }
})

t.test('the resilient API names against the emulator', async t => {
  const relay = await startRelay(t)
  const { emulator } = relay
  const client = createClient({ baseUrl: relay.url, token: SERVICE_TOKEN })
  const admin = createClient({ baseUrl: relay.url, token: ADMIN_TOKEN })
  const delivered = async (id: string) => {
    let last: unknown
    await waitFor(async () => {
      const s = await client.getJobStatus(id)
      last = s.message
      return s.state === 'completed'
    }, `message ${id} delivered`, 15_000).catch((err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(last)}`) })
    return await client.getJobStatus(id)
  }

  t.test('sendText: HTML text with options and delivery options; getJobStatus follows it', async t => {
    const accepted = await client.sendText(101, '<b>Booking #42</b> confirmed', { parse_mode: 'HTML', disable_notification: true }, { priority: 'high', metadata: { booking: 42 } })
    t.match(accepted, { id: /^\S+$/, status: 'queued', priority: 'high' })
    const status = await delivered(accepted.id)
    t.match(status, { id: accepted.id, state: 'completed', progress: 100, attemptsMade: 1, failedReason: null })
    t.same(status.message.metadata, { booking: 42 }, 'metadata comes back in the status')
    const stats = await client.getQueueStats()
    t.same(Object.keys(stats).sort(), ['active', 'completed', 'delayed', 'failed', 'paused', 'waiting'], 'getQueueStats: BullMQ\'s counts')
    t.ok(stats.completed >= 1, `completed ${stats.completed}`)
    const sent = emulator.received(101)
    t.equal(sent.length, 1)
    t.equal(sent[0]?.text, '<b>Booking #42</b> confirmed')
    t.equal(sent[0]?.params.disable_notification, true)
  })

  t.test('sendPhoto, sendDocument, sendVoice: URL, file_id, Buffer and Blob (multipart)', async t => {
    // a file_id the emulator issued, as Telegram issues them
    const issued = await fetch(`${emulator.url}/bot${BOT_TOKEN}/sendDocument`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 999, document: 'https://example.com/terms.pdf' }) })
    const fileId = ((await issued.json()) as { result: { document: { file_id: string } } }).result.document.file_id
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('not really a jpeg')])
    const ids = [
      (await client.sendPhoto(102, 'https://example.com/a.jpg', { caption: 'by URL' })).id,
      (await client.sendPhoto(102, jpeg, { caption: 'uploaded', filename: 'studio.jpg' }, { idempotency_key: 'photo-upload-1' })).id,
      (await client.sendDocument(102, new File(['invoice body'], 'invoice-42.pdf', { type: 'application/pdf' }), { caption: 'your invoice' })).id,
      (await client.sendVoice(102, new Uint8Array([1, 2, 3, 4]))).id,
      (await client.sendDocument(102, fileId)).id
    ]
    for (const id of ids) await delivered(id)
    const sent = emulator.received(102)
    t.same(sent.map(m => m.method), ['sendPhoto', 'sendPhoto', 'sendDocument', 'sendVoice', 'sendDocument'], 'in order')
    t.equal(sent[0]?.params.photo, 'https://example.com/a.jpg')
    t.equal(sent[0]?.caption, 'by URL')
    t.match(sent[1]?.params.photo, { filename: 'studio.jpg', size: jpeg.length }, 'the Buffer went up as a file')
    t.equal(sent[1]?.caption, 'uploaded')
    t.match(sent[2]?.params.document, { filename: 'invoice-42.pdf', mimetype: 'application/pdf', size: 12 }, 'a File keeps its name and type')
    t.match(sent[3]?.params.voice, { filename: 'voice', size: 4 })
    t.equal(sent[4]?.params.document, fileId)
    const again = await client.sendPhoto(102, jpeg, { filename: 'studio.jpg' }, { idempotency_key: 'photo-upload-1' })
    t.equal(again.id, ids[1], 'an upload with a repeated idempotency_key is the first message')
  })

  t.test('sendLocation', async t => {
    const { id } = await client.sendLocation(103, 55.7558, 37.6173, { priority: 'low' })
    await delivered(id)
    t.match(emulator.received(103)[0], { method: 'sendLocation', params: { latitude: 55.7558, longitude: 37.6173 } })
  })

  t.test('a failed job: getJobStatus says why; retryFailedJob and clearFailedJobs work the DLQ', async t => {
    emulator.blockChat(104)
    const { id } = await client.sendText(104, 'you blocked me')
    await waitFor(async () => (await client.getJobStatus(id)).state === 'failed', 'dead-lettered', 15_000)
    const failed = await client.getJobStatus(id)
    t.match(failed, { state: 'failed', progress: 0, attemptsMade: 1, failedReason: /blocked/ })
    t.equal((await client.getQueueStats()).failed, 1, 'getQueueStats counts it as failed')
    t.match(await admin.retryFailedJob(id), { id, status: 'queued' })
    await waitFor(async () => {
      const s = await client.getJobStatus(id)
      return s.state === 'failed' && s.message.history.filter(h => h.event === 'dead').length === 2
    }, 'dead again after the retry', 15_000)
    t.match(await admin.clearFailedJobs(), { deleted: 1 })
    t.match(await admin.listDeadLetters(), { total: 0, entries: [] })
    t.equal((await client.getQueueStats()).failed, 0)
  })

  t.test('typed errors: status, error, details', async t => {
    const bad = await client.sendText('not a chat', 'x').catch((e: unknown) => e)
    t.ok(bad instanceof TgRelayError)
    t.match(bad, { status: 400, error: 'Bad Request', details: [{ field: 'body.chat_id' }] })
    t.match(await client.getJobStatus('nosuchmessage').catch((e: unknown) => e), { status: 404, error: 'Not Found' })
    t.match(await client.clearFailedJobs().catch((e: unknown) => e), { status: 403, error: 'Forbidden' }, 'the service token is not an admin token')
    const anonymous = createClient({ baseUrl: relay.url, token: '' })
    t.match(await anonymous.listMessages().catch((e: unknown) => e), { status: 401 })
  })

  t.test('operations by operationId: templates, booking notification, message log, broadcasts, status', async t => {
    const booking = { id: 7, service: 'portrait', date: '2024-12-15', time_slots: ['10:00-11:00'], client_name: 'Ivan', client_phone: '+79991234567', people_count: 2, total_price: 5000, status: 'pending' }
    const preview = await client.previewTemplate({ path: { name: 'booking_notification' }, body: { language: 'en', data: { booking } } })
    t.match(preview, { template: 'booking_notification', language: 'en', parse_mode: 'HTML', parts: 1 })
    const notified = await client.bookingNotification({ body: { booking, event: 'created', language: 'en', chat_id: 105 } })
    t.match(notified, { status: 'queued', template: 'booking_notification', language: 'en' })
    const templated = await client.sendTemplated({ body: { template: 'system_notification', chat_id: 105, data: { title: 'Backup', message: 'done' } } })
    // a templated send may also answer 200 (queue:false); these were queued
    const queuedId = (r: object): string => 'id' in r && typeof r.id === 'string' ? r.id : t.fail(`not queued: ${JSON.stringify(r)}`) as never
    const notifiedId = queuedId(notified)
    const templatedId = queuedId(templated)
    await delivered(notifiedId)
    await delivered(templatedId)
    t.equal(emulator.received(105)[0]?.text, preview.text, 'what arrived is what the preview showed')
    t.match(emulator.received(105)[1]?.text, /Backup/)

    const log = await client.listMessages({ query: { chat_id: '105', status: 'sent' } })
    t.same(log.messages.map(m => m.id).sort(), [notifiedId, templatedId].sort())

    const broadcast = await client.createBroadcast({ body: { text: 'studio news', recipients: [106, 107] } })
    await waitFor(async () => (await client.getBroadcast({ path: { id: broadcast.id } })).sent === 2, 'broadcast sent', 15_000)
    t.match(await client.getBroadcast({ path: { id: broadcast.id }, query: { limit: 10 } }), { recipients: 2, sent: 2, results: [{ chat_id: 106, status: 'sent' }, { chat_id: 107, status: 'sent' }] })
    t.match((await client.listBroadcasts()).broadcasts, [{ id: broadcast.id }], 'the broadcast list')

    t.match(await admin.getStatus(), { mode: 'live', redis: { ok: true } })
    t.match(await admin.getPrometheusMetrics(), /tg_relay_messages_total\{event="sent"\} \d+/, 'text/plain comes back as text')
    t.match(await client.healthReady(), { status: 'ok' })
  })
})
