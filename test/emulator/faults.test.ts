// Each fault as a client sees it, and which ones leave a recorded message.
import t from 'tap'
import { call, emulator, outcome } from './helpers.ts'
import { startEmulator } from '../../src/emulator/index.ts'

const send = (text: string): Record<string, unknown> => ({ chat_id: 1, text })

t.test('reset: the connection drops before the request is read; nothing recorded', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ resetRate: 1 })
  t.match(await outcome(call(emu, 'sendMessage', send('x'))), /^(ECONNRESET|UND_ERR_SOCKET)$/)
  t.equal(emu.messages.length, 0)
  t.equal(emu.stats.resets, 1)
})

t.test('timeout: no answer until the client gives up; nothing recorded', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ timeoutRate: 1 })
  const started = Date.now()
  t.equal(await outcome(call(emu, 'sendMessage', send('x'), { headersTimeout: 300 })), 'UND_ERR_HEADERS_TIMEOUT')
  t.ok(Date.now() - started >= 290)
  t.equal(emu.messages.length, 0)
  t.equal(emu.stats.timeouts, 1)
  // A held request must not keep close() waiting.
  const pending = outcome(call(emu, 'sendMessage', send('y'), { headersTimeout: 60_000 }))
  await emu.waitFor(() => emu.stats.timeouts === 2)
  const closing = Date.now()
  await emu.close()
  t.ok(Date.now() - closing < 1000, 'close() destroys held sockets')
  t.match(await pending, /^(ECONNRESET|UND_ERR_SOCKET)$/)
})

t.test('serverError: 500 in Telegram\'s shape; nothing recorded', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ serverErrorRate: 1 })
  t.same(await call(emu, 'sendMessage', send('x')), {
    status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' }
  })
  t.equal(emu.messages.length, 0)
  t.equal(emu.stats.serverErrors, 1)
})

t.test('lostResponse: delivered and recorded, but the client only sees the connection drop', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ lostResponseRate: 1 })
  t.match(await outcome(call(emu, 'sendMessage', send('delivered'))), /^(ECONNRESET|UND_ERR_SOCKET)$/)
  t.same(emu.messages.map(m => m.text), ['delivered'])
  t.equal(emu.stats.lostResponses, 1)
  t.equal(emu.stats.accepted, 1)
  t.equal(await outcome(call(emu, 'sendMessage', { chat_id: 1 })), '400 Bad Request: message text is empty', 'a refused call is answered')
})

t.test('latency, and faults only on the chosen methods', async t => {
  const emu = await emulator(t, { limits: false })
  emu.setFaults({ latencyMs: [80, 120] })
  let started = Date.now()
  t.equal(await outcome(call(emu, 'sendMessage', send('slow'))), '200 ok')
  t.ok(Date.now() - started >= 75, 'delayed')
  started = Date.now()
  await call(emu, 'getMe')
  t.ok(Date.now() - started < 75, 'by default only send* methods are affected')

  emu.setFaults({ serverErrorRate: 1, methods: ['getMe'] })
  t.equal(await outcome(call(emu, 'getme')), '500 Internal Server Error')
  t.equal(await outcome(call(emu, 'sendMessage', send('fine'))), '200 ok')
  emu.setFaults({})
  t.equal(await outcome(call(emu, 'getMe')), '200 ok', '{} clears')
  t.throws(() => emu.setFaults({ resetRate: 0.6, serverErrorRate: 0.6 }), RangeError)
  t.throws(() => emu.setFaults({ timeoutRate: -1 }), RangeError)
})

t.test('a seed makes the fault sequence reproducible', async t => {
  const run = async (): Promise<string[]> => {
    const emu = await startEmulator({ limits: false, seed: 7 })
    try {
      emu.setFaults({ serverErrorRate: 0.3, lostResponseRate: 0.2, resetRate: 0.2 })
      const seen: string[] = []
      for (let i = 0; i < 25; i++) seen.push(await outcome(call(emu, 'sendMessage', send(`m${i}`))))
      return seen
    } finally {
      await emu.close()
    }
  }
  const first = await run()
  t.same(await run(), first)
  t.ok(new Set(first).size >= 3, `a mix of outcomes: ${[...new Set(first)].join(', ')}`)
})
