// /__emulator/*: the controls for out-of-process users.
import t from 'tap'
import { request } from 'undici'
import { call, emulator, outcome } from './helpers.ts'
import type { Emulator } from '../../src/emulator/index.ts'

async function control (emu: Emulator, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number, body: { ok: boolean, result?: unknown, description?: string } }> {
  const res = await request(`${emu.url}/__emulator/${path}`, body === undefined
    ? { method }
    : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.statusCode, body: await res.body.json() as { ok: boolean, result?: unknown, description?: string } }
}

t.test('messages, calls and stats', async t => {
  const emu = await emulator(t, { limits: false })
  for (const chat of [1, 2, 1, 1]) await call(emu, 'sendMessage', { chat_id: chat, text: `to ${chat}` })
  await call(emu, 'getMe')
  const all = await control(emu, 'GET', 'messages')
  t.equal((all.body.result as unknown[]).length, 4)
  const newest = await control(emu, 'GET', 'messages?chat_id=1&limit=2')
  t.same((newest.body.result as Array<{ message_id: number }>).map(m => m.message_id), [2, 3], 'newest last')
  t.match(await control(emu, 'GET', 'calls?method=getMe'), { body: { result: [{ method: 'getMe' }] } })
  t.match(await control(emu, 'GET', 'stats'), { status: 200, body: { ok: true, result: { requests: 5, accepted: 4 } } })
})

t.test('faults, limits, chats, updates, reset', async t => {
  const emu = await emulator(t, { limits: false })
  t.same(await control(emu, 'POST', 'faults', { serverErrorRate: 1, seed: 3 }), { status: 200, body: { ok: true, result: true } })
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 1, text: 'x' })), '500 Internal Server Error')
  t.match(await control(emu, 'POST', 'faults', { serverErrorRate: 2 }), { status: 400, body: { ok: false } })
  t.match(await control(emu, 'POST', 'faults', { resetRate: 0.7, timeoutRate: 0.7 }), { status: 400, body: { description: /must not add up to more than 1/ } })
  await control(emu, 'POST', 'faults', {})

  await control(emu, 'POST', 'limits', { global: 30, perChat: 1, perGroup: 20 })
  for (const text of ['a', 'b']) await call(emu, 'sendMessage', { chat_id: 1, text })
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'c' })).status, 429)
  t.same(await control(emu, 'POST', 'limits', false), { status: 200, body: { ok: true, result: true } })
  t.equal((await call(emu, 'sendMessage', { chat_id: 1, text: 'd' })).status, 200)

  await control(emu, 'POST', 'chats', { chat_id: 5, state: 'blocked' })
  await control(emu, 'POST', 'chats', { chat_id: -6, state: 'migrated', migrate_to_chat_id: -1006 })
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 5, text: 'x' })), '403 Forbidden: bot was blocked by the user')
  t.match(await call(emu, 'sendMessage', { chat_id: -6, text: 'x' }), { body: { parameters: { migrate_to_chat_id: -1006 } } })
  t.match(await control(emu, 'POST', 'chats', { chat_id: 5, state: 'frozen' }), { status: 400 })

  t.same(await control(emu, 'POST', 'updates', { message: { text: 'hi' } }), { status: 200, body: { ok: true, result: true } })
  t.match(await call(emu, 'getUpdates'), { body: { result: [{ update_id: 1, message: { text: 'hi' } }] } })

  t.same(await control(emu, 'POST', 'reset'), { status: 200, body: { ok: true, result: true } })
  t.equal(emu.messages.length, 0)
  t.equal(emu.stats.requests, 0)
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 5, text: 'x' })), '200 ok', 'chat states cleared')
  t.same((await call(emu, 'getUpdates')).body.result, [], 'pending updates cleared')
})
