// A full outage: connections refused, then service again on the same port.
import t from 'tap'
import { request } from 'undici'
import { setTimeout as sleep } from 'node:timers/promises'
import { call, emulator, outcome } from './helpers.ts'

t.test('setOutage refuses connections and recovers on the same port', async t => {
  const emu = await emulator(t, { limits: false })
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 1, text: 'before' })), '200 ok')
  await emu.setOutage(true)
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 1, text: 'during' })), 'ECONNREFUSED')
  await emu.setOutage(true)
  await emu.setOutage(false)
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 1, text: 'after' })), '200 ok')
  t.same(emu.messages.map(m => m.text), ['before', 'after'])
  await Promise.all([emu.setOutage(true), emu.setOutage(false), emu.setOutage(true), emu.setOutage(false)])
  t.equal(await outcome(call(emu, 'getMe')), '200 ok', 'switches in quick succession run in order')
})

t.test('an outage drops open connections, and may be switched over HTTP with a duration', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ timeoutRate: 1 })
  const held = outcome(call(emu, 'sendMessage', { chat_id: 1, text: 'in flight' }))
  await emu.waitFor(() => emu.stats.timeouts === 1)
  emu.setFaults({})
  const res = await request(`${emu.url}/__emulator/outage`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: true, durationMs: 300 })
  })
  t.same(await res.body.json(), { ok: true, result: true })
  t.match(await held, /^(ECONNRESET|UND_ERR_SOCKET)$/)
  await sleep(50)
  t.equal(await outcome(call(emu, 'getMe')), 'ECONNREFUSED')
  await sleep(400)
  t.equal(await outcome(call(emu, 'getMe')), '200 ok', 'back after durationMs')
})

t.test('close() during an outage', async t => {
  const emu = await emulator(t)
  await emu.setOutage(true)
  await emu.close()
  await emu.close()
  t.pass('closes, twice')
})
