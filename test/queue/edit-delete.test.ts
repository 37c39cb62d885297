// PATCH and DELETE of a message after the 202, against the emulator over HTTP: in place while
// it waits, editMessage* / deleteMessage in the chat's order once sent, with their events.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { waitFor } from '../helpers/wait.ts'

const SECRET = 'delivery-events-secret-0123456789'

t.test('edit and delete', async t => {
  const receiver = await startReceiver(t, SECRET, '/cb')
  const relay = await startRelay(t, { env: { DELIVERY_EVENTS_SECRET: SECRET } })
  const { emulator } = relay
  const calls = (method: string) => emulator.calls.filter(c => c.method === method)
  const get = async (id: string) => (await relay.call('GET', `/api/telegram/messages/${id}`)).body
  const sent = async (body: Record<string, unknown>) => {
    const res = await relay.send({ callback_url: receiver.url, ...body })
    t.equal(res.status, 202, JSON.stringify(res.body))
    await waitFor(async () => (await get(res.body.id)).status === 'sent', 'sent')
    return { id: res.body.id as string, ids: (await get(res.body.id)).message_ids as number[] }
  }
  const event = async (id: string, name: string) => {
    await waitFor(() => receiver.received.some(r => r.body.id === id && r.body.event === name), `${name} for ${id}`)
    return receiver.received.find(r => r.body.id === id && r.body.event === name)?.body
  }

  t.test('a sent text: editMessageText with its message_id, then message.edited', async t => {
    const m = await sent({ chat_id: 6001, text: 'Booking #42: <b>Monday</b> 10:00', parse_mode: 'HTML' })
    const res = await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { text: 'Booking #42: <b>Friday</b> 10:00' })
    t.equal(res.status, 202, JSON.stringify(res.body))
    t.match(res.body, { id: m.id, status: 'sent', edit: 'queued', edit_id: String, parts: 1 })
    await waitFor(() => calls('editMessageText').length === 1, 'the edit at Telegram')
    t.same(calls('editMessageText')[0]?.params, { chat_id: 6001, message_id: m.ids[0], text: 'Booking #42: <b>Friday</b> 10:00', parse_mode: 'HTML' })
    t.match(await event(m.id, 'message.edited'), { status: 'sent', chat_id: 6001, message_ids: m.ids })
    t.ok((await get(m.id)).history.some((h: { event: string }) => h.event === 'edited'))

    const same = await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { text: 'Booking #42: <b>Friday</b> 10:00' })
    t.match(same, { status: 200, body: { edit: 'unchanged' } }, 'compared with what Telegram shows now')
    const buttons = await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { reply_markup: { inline_keyboard: [[{ text: 'Details', url: 'https://example.com/b/42' }]] } })
    t.equal(buttons.status, 202)
    await waitFor(() => calls('editMessageReplyMarkup').length === 1, 'the markup edit')
    t.match(calls('editMessageReplyMarkup')[0]?.params, { chat_id: 6001, message_id: m.ids[0], reply_markup: { inline_keyboard: [[{ text: 'Details' }]] } })
  })

  t.test('a sent photo: editMessageCaption; text on it is a 400', async t => {
    const m = await sent({ chat_id: 6002, photo: 'https://example.com/hall.jpg', caption: 'Hall A' })
    t.match(await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { text: 'x' }), { status: 400, body: { details: [{ field: 'body.text' }] } })
    t.equal((await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { caption: 'Hall B' })).status, 202)
    await waitFor(() => calls('editMessageCaption').length === 1, 'the caption edit')
    t.match(calls('editMessageCaption')[0]?.params, { chat_id: 6002, message_id: m.ids[0], caption: 'Hall B' })
  })

  t.test('a scheduled message changes in place and goes out as changed', async t => {
    const res = await relay.send({ chat_id: 6003, text: 'old text', send_at: new Date(Date.now() + 1500).toISOString(), callback_url: receiver.url })
    const patched = await relay.call('PATCH', `/api/telegram/messages/${res.body.id}`, { text: 'new <i>text</i>', parse_mode: 'HTML' })
    t.match(patched, { status: 200, body: { id: res.body.id, status: 'scheduled', edit: 'in-place', parts: 1 } })
    await waitFor(() => emulator.received(6003).length === 1, 'delivery')
    t.match(emulator.received(6003)[0], { text: 'new <i>text</i>', params: { parse_mode: 'HTML' } })
    t.equal(calls('editMessageText').filter(c => c.params.chat_id === 6003).length, 0, 'no Telegram edit')
    t.match(await event(res.body.id, 'message.edited'), { status: 'scheduled' })
  })

  t.test('DELETE a sent two-part message: deleteMessage per part, status deleted, message.deleted', async t => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} of the studio rules`).join('\n')
    const m = await sent({ chat_id: 6004, text: long })
    t.equal(m.ids.length, 2)
    const res = await relay.call('DELETE', `/api/telegram/messages/${m.id}`)
    t.match(res, { status: 202, body: { id: m.id, status: 'sent', delete: 'queued', delete_id: String } })
    await waitFor(async () => (await get(m.id)).status === 'deleted', 'deleted')
    t.same(calls('deleteMessage').filter(c => c.params.chat_id === 6004).map(c => c.params.message_id), m.ids)
    t.ok(emulator.received(6004).every(r => r.deleted_at !== undefined), 'gone from the chat')
    t.match(await event(m.id, 'message.deleted'), { status: 'deleted', message_ids: m.ids })
    t.equal((await relay.call('DELETE', `/api/telegram/messages/${m.id}`)).status, 409, 'deleted twice')
    t.equal((await relay.call('PATCH', `/api/telegram/messages/${m.id}`, { text: 'x' })).status, 409, 'a deleted message is not edited')
  })

  t.test('unknown 404, dead 409, empty body 400; a failed delete is noted, the message stays sent', async t => {
    t.equal((await relay.call('PATCH', '/api/telegram/messages/nope', { text: 'x' })).status, 404)
    t.equal((await relay.call('DELETE', '/api/telegram/messages/nope')).status, 404)
    emulator.blockChat(6005)
    const dead = await relay.send({ chat_id: 6005, text: 'x' })
    await waitFor(async () => (await get(dead.body.id)).status === 'dead', 'dead')
    t.equal((await relay.call('PATCH', `/api/telegram/messages/${dead.body.id}`, { text: 'y' })).status, 409)
    const m = await sent({ chat_id: 6006, text: 'z' })
    t.equal((await relay.call('PATCH', `/api/telegram/messages/${m.id}`, {})).status, 400)

    const old = emulator.received(6006)[0]
    if (old) old.date -= 49 * 3_600_000
    t.equal((await relay.call('DELETE', `/api/telegram/messages/${m.id}`)).status, 202)
    await waitFor(async () => (await get(m.id)).history.some((h: { event: string }) => h.event === 'delete-failed'), 'the failure noted')
    t.match(await get(m.id), { status: 'sent' })
  })
})
