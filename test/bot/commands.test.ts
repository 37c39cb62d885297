// Commands end to end: emulator → webhook → queue → worker → emulator.
import t from 'tap'
import { startBot, textUpdate, user } from '../helpers/bot.ts'
import { waitFor } from '../helpers/wait.ts'

const ADMIN_CHAT = 1001

t.test('commands', async t => {
  const bot = await startBot(t, { env: { TELEGRAM_ADMIN_CHAT_IDS: `${ADMIN_CHAT},-100500`, DEFAULT_LANGUAGE: 'ru' } })
  const { emulator } = bot
  const replies = async (chat: number, n: number) => {
    await waitFor(() => emulator.received(chat).length >= n, `${n} replies to chat ${chat}`)
    return emulator.received(chat).map(m => m.text ?? '')
  }

  t.test('/start in Russian registers the chat with its deep-link payload', async t => {
    await emulator.pushUpdate(textUpdate(user(2001, 'ru', { first_name: 'Иван', username: 'ivan' }), '/start booking-42'))
    const [text] = await replies(2001, 1)
    t.match(text, /Здравствуйте, Иван \(@ivan\)!/)
    t.match(text, /ID чата: 2001/)
    t.notOk(emulator.received(2001)[0]?.params.parse_mode, 'plain text: a user\'s name is never parsed as HTML')
    const reg = await bot.app.redis.hgetall(bot.keys.chat(2001))
    t.match(reg, { chat_id: '2001', chat_type: 'private', user_id: '2001', username: 'ivan', first_name: 'Иван', language: 'ru', language_code: 'ru', payload: 'booking-42' })
    t.ok(Number(reg.registered_at) > Date.now() - 60_000, 'registered_at is set')
    t.not(await bot.app.redis.zscore(bot.keys.chats, '2001'), null, 'listed among registered chats')
  })

  t.test('/start in English; a later /start keeps the first date and payload', async t => {
    await emulator.pushUpdate(textUpdate(user(2002, 'en-US', { first_name: 'Ann' }), '/start promo_7'))
    const [text] = await replies(2002, 1)
    t.match(text, /^Hello, Ann \(@user2002\)!/)
    t.match(text, /Chat id: 2002/)
    const first = await bot.app.redis.hgetall(bot.keys.chat(2002))
    t.equal(first.language, 'en')
    await emulator.pushUpdate(textUpdate(user(2002, 'en'), '/start'))
    await replies(2002, 2)
    const again = await bot.app.redis.hgetall(bot.keys.chat(2002))
    t.equal(again.registered_at, first.registered_at)
    t.equal(again.payload, 'promo_7')
  })

  t.test('an unknown language gets DEFAULT_LANGUAGE', async t => {
    await emulator.pushUpdate(textUpdate(user(2003, 'de'), '/start'))
    t.match((await replies(2003, 1))[0], /^Здравствуйте/)
  })

  t.test('/help lists the commands; admin chats also see /status', async t => {
    await emulator.pushUpdate(textUpdate(user(2004, 'en'), '/help'))
    const [text] = await replies(2004, 1)
    t.match(text, /\/start/)
    t.match(text, /\/help/)
    t.notMatch(text, /\/status/)
    await emulator.pushUpdate(textUpdate(user(ADMIN_CHAT, 'en'), '/help'))
    t.match((await replies(ADMIN_CHAT, 1))[0], /\/status/)
  })

  t.test('an unknown command or plain text gets a short hint', async t => {
    await emulator.pushUpdate(textUpdate(user(2005, 'en'), '/frobnicate now'))
    await emulator.pushUpdate(textUpdate(user(2005, 'en'), 'hello?'))
    const texts = await replies(2005, 2)
    t.same(texts, ["I don't know that command. Send /help for the list.", "I don't know that command. Send /help for the list."])
  })

  t.test('/status: depths and breaker for admin chats, a polite refusal for others', async t => {
    await emulator.pushUpdate(textUpdate(user(ADMIN_CHAT, 'en'), '/status'))
    const texts = await replies(ADMIN_CHAT, 2)
    const status = texts[1] as string
    t.match(status, /^Delivery status/)
    t.match(status, /Queued: \d+ \(critical \d+, high \d+, normal \d+, low \d+\)/)
    t.match(status, /Dead letters: 0/)
    t.match(status, /Workers: 1/)
    t.match(status, /Telegram: reachable \(circuit closed\)/)

    await emulator.pushUpdate(textUpdate(user(2006, 'ru'), '/status'))
    t.match((await replies(2006, 1))[0], /только в чатах администраторов/)
  })

  t.test('in a group: our commands are answered, chatter and other commands ignored', async t => {
    const group = { id: -100500, type: 'supergroup' }
    const before = emulator.messages.length
    await emulator.pushUpdate(textUpdate(user(2007, 'en'), 'just chatting', { chat: group }))
    await emulator.pushUpdate(textUpdate(user(2007, 'en'), '/weather', { chat: group }))
    await emulator.pushUpdate(textUpdate(user(2007, 'en'), '/status@tg_relay_bot', { chat: group }))
    const texts = await replies(-100500, 1)
    await bot.drained()
    t.equal(emulator.messages.length, before + 1, 'one reply')
    t.match(texts[0], /^Delivery status/, 'the group is an admin chat')
  })
})
