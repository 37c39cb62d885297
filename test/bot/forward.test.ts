// Update forwarding: what the bot does not answer itself reaches UPDATES_FORWARD_URL, signed,
// through the outbound lane; its own commands and booking buttons do not.
import t from 'tap'
import { callbackUpdate, startBot, textUpdate, user } from '../helpers/bot.ts'
import { startReceiver } from '../helpers/receiver.ts'
import { waitFor } from '../helpers/wait.ts'

const SECRET = 'updates-forward-secret-0123456789'

t.test('update forwarding', async t => {
  const receiver = await startReceiver(t, SECRET, '/updates')
  const bot = await startBot(t, { env: { UPDATES_FORWARD_URL: receiver.url, UPDATES_FORWARD_SECRET: SECRET } })
  const { emulator } = bot
  const forwarded = (updateId: number) => receiver.received.find(r => r.body.update_id === updateId)
  const answers = (id: string) => emulator.calls.filter(c => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id)

  t.test('webhook setup asks Telegram for every default update type', async t => {
    const info = await bot.admin('GET', '/api/telegram/webhook')
    t.ok(info.body.allowed_updates.includes('edited_message') && info.body.allowed_updates.includes('my_chat_member'))
    t.notOk(info.body.allowed_updates.includes('chat_member'), 'not the opt-in ones')
  })

  t.test('a plain message is forwarded as Telegram sent it, signed; the bot does not answer it', async t => {
    const update = textUpdate(user(4001, 'en'), 'Can I move my booking to Friday?', { updateId: 900001 })
    await emulator.pushUpdate(update)
    await waitFor(() => forwarded(900001) !== undefined, 'the forwarded update')
    const got = forwarded(900001)
    t.ok(got?.signed, 'X-TG-Relay-Signature is the HMAC-SHA256 of the raw body')
    t.same(got?.body, update)
    await bot.drained()
    t.equal(emulator.received(4001).length, 0, 'no hint reply')
  })

  t.test('own commands are answered, not forwarded; an unknown command is forwarded', async t => {
    await emulator.pushUpdate(textUpdate(user(4002, 'en'), '/help', { updateId: 900002 }))
    await emulator.pushUpdate(textUpdate(user(4002, 'en'), '/invoice 17', { updateId: 900003 }))
    await waitFor(() => forwarded(900003) !== undefined && emulator.received(4002).length === 1, 'the /help reply and the forward')
    await bot.drained()
    t.notOk(forwarded(900002), '/help is not forwarded')
    t.match(emulator.received(4002)[0]?.text, /\/start/)
  })

  t.test('a foreign button is answered empty and forwarded; a booking button is not forwarded', async t => {
    const message = { message_id: 5, chat: { id: 4003, type: 'private' }, text: 'Rate us' }
    await emulator.pushUpdate({ update_id: 900004, ...callbackUpdate(user(4003, 'en'), 'rate:5', message, 'cb-foreign') })
    await waitFor(() => forwarded(900004) !== undefined && answers('cb-foreign').length === 1, 'the forward and the answer')
    t.same(answers('cb-foreign')[0]?.params, { callback_query_id: 'cb-foreign' }, 'an empty answer: the button stops spinning')
    t.match(forwarded(900004)?.body, { callback_query: { id: 'cb-foreign', data: 'rate:5' } })

    await emulator.pushUpdate({ update_id: 900005, ...callbackUpdate(user(4003, 'en'), 'bk:confirm:B-1', message, 'cb-own') })
    await waitFor(() => answers('cb-own').length === 1, 'the booking answer')
    await bot.drained()
    t.notOk(forwarded(900005), 'booking buttons are the bot\'s own')
  })

  t.test('group chatter and my_chat_member are forwarded; a receiver failing twice still gets it, once', async t => {
    receiver.failWith(500, 503)
    const group = { id: -1004004, type: 'supergroup' }
    await emulator.pushUpdate(textUpdate(user(4004, 'en'), 'hi all', { updateId: 900006, chat: group }))
    await emulator.pushUpdate({
      update_id: 900007,
      my_chat_member: { chat: group, from: { id: 4004, is_bot: false, first_name: 'A' }, date: Math.floor(Date.now() / 1000), new_chat_member: { status: 'administrator' } }
    })
    await waitFor(() => forwarded(900006) !== undefined && forwarded(900007) !== undefined, 'both forwarded')
    await bot.drained()
    t.equal(receiver.requests, receiver.received.length + 2, 'two refused attempts')
    t.equal(receiver.received.filter(r => r.body.update_id === 900006).length, 1, 'acknowledged once, delivered once')
    t.ok(receiver.received.indexOf(forwarded(900006) as never) < receiver.received.indexOf(forwarded(900007) as never), 'one chat\'s updates in order')
    const { redis, queue } = bot.app
    const dead = await Promise.all((await redis.zrange(queue.keys.dlq, 0, -1)).map(id => redis.hget(queue.keys.msg(id), 'p')))
    t.notOk(dead.some(p => p?.includes('forwardUpdate')), 'no forward in the DLQ')
  })
})
