// Updates reach the bot through its webhook (with the secret header) or getUpdates.
import t from 'tap'
import Fastify from 'fastify'
import { call, emulator, result } from './helpers.ts'

t.test('pushUpdate POSTs to the webhook with the secret token', async t => {
  const emu = await emulator(t)
  const received: Array<{ secret: string | undefined, body: unknown }> = []
  let status = 200
  const hook = Fastify()
  hook.post('/api/telegram/webhook', async (request, reply) => {
    const secret = request.headers['x-telegram-bot-api-secret-token']
    received.push({ secret: typeof secret === 'string' ? secret : undefined, body: request.body })
    return await reply.code(status).send({ ok: status === 200 })
  })
  const url = await hook.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => hook.close())

  await result(emu, 'setWebhook', { url: `${url}/api/telegram/webhook`, secret_token: 'hook-secret_1' })
  await emu.pushUpdate({ message: { message_id: 1, text: '/start', chat: { id: 5, type: 'private' } } })
  await emu.pushUpdate({ update_id: 100, callback_query: { id: 'q1', data: 'confirm:1' } })
  await emu.pushUpdate({ message: { message_id: 2, text: 'next' } })
  t.same(received.map(r => r.secret), ['hook-secret_1', 'hook-secret_1', 'hook-secret_1'])
  t.same(received.map(r => (r.body as { update_id: number }).update_id), [1, 100, 101], 'update ids increase')
  t.match(received[0]?.body, { message: { text: '/start' } })

  const conflict = await call(emu, 'getUpdates')
  t.match(conflict, { status: 409, body: { error_code: 409, description: /^Conflict: can't use getUpdates method while webhook is active/ } })

  status = 401
  await t.rejects(emu.pushUpdate({ message: { text: 'refused' } }), /webhook .* refused update 102: Wrong response from the webhook: 401 Unauthorized/)
  t.match(await result(emu, 'getWebhookInfo'), { last_error_message: 'Wrong response from the webhook: 401 Unauthorized', last_error_date: Number })
})

t.test('getUpdates: long poll returns as soon as an update arrives; offset confirms', async t => {
  const emu = await emulator(t)
  const started = Date.now()
  const poll = result<Array<{ update_id: number }>>(emu, 'getUpdates', { timeout: 10 })
  setTimeout(() => { emu.pushUpdate({ message: { text: 'hello' } }).catch(t.threw) }, 100)
  const first = await poll
  t.ok(Date.now() - started < 2000, 'did not wait for the timeout')
  t.match(first, [{ update_id: 1, message: { text: 'hello' } }])

  await emu.pushUpdate({ message: { text: 'two' } })
  await emu.pushUpdate({ message: { text: 'three' } })
  t.same((await result<Array<{ update_id: number }>>(emu, 'getUpdates', { limit: 2 })).map(u => u.update_id), [1, 2], 'unconfirmed updates come again')
  t.same((await result<Array<{ update_id: number }>>(emu, 'getUpdates', { offset: 2 })).map(u => u.update_id), [2, 3])
  t.match(await result(emu, 'getWebhookInfo'), { pending_update_count: 2 })
  t.same(await result(emu, 'getUpdates', { offset: 4 }), [])
  t.same(await result(emu, 'getUpdates', { offset: 4, timeout: 1 }), [], 'an empty long poll ends at its timeout')
})

t.test('close() ends a pending long poll', async t => {
  const emu = await emulator(t)
  const poll = call(emu, 'getUpdates', { timeout: 30 }).catch(() => undefined)
  await new Promise(resolve => setTimeout(resolve, 50))
  const started = Date.now()
  await emu.close()
  await poll
  t.ok(Date.now() - started < 1000)
})
