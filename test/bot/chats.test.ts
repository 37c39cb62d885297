// The chat directory end to end: /start registers, a kicked my_chat_member blocks at once
// (no send wasted), /start and my_chat_member member unblock, and the listing pages.
import t from 'tap'
import { startBot, textUpdate, user } from '../helpers/bot.ts'
import { waitFor } from '../helpers/wait.ts'

function memberUpdate (chatId: number, status: string, o: { date?: number, type?: string } = {}): Record<string, unknown> {
  return {
    my_chat_member: {
      chat: { id: chatId, type: o.type ?? (chatId > 0 ? 'private' : 'supergroup') },
      from: { id: Math.abs(chatId), is_bot: false, first_name: 'U' },
      date: o.date ?? Math.floor(Date.now() / 1000),
      old_chat_member: { status: status === 'kicked' ? 'member' : 'kicked', user: { id: 1, is_bot: true, first_name: 'bot' } },
      new_chat_member: { status, user: { id: 1, is_bot: true, first_name: 'bot' } }
    }
  }
}

t.test('chat directory', async t => {
  const bot = await startBot(t)
  const { emulator } = bot
  const sends = (chat: number) => emulator.received(chat).length
  const status = async (id: string) => (await bot.call('GET', `/api/telegram/messages/${id}`)).body.status as string

  t.test('/start registers: user, language, payload, when', async t => {
    await emulator.pushUpdate(textUpdate(user(3001, 'ru', { first_name: 'Ivan', username: 'ivan' }), '/start booking-42'))
    await waitFor(() => sends(3001) === 1, 'the /start reply')
    const res = await bot.call('GET', '/api/telegram/chats/3001')
    t.equal(res.status, 200)
    t.match(res.body, {
      chat_id: 3001,
      type: 'private',
      user: { id: 3001, username: 'ivan', first_name: 'Ivan', language_code: 'ru' },
      language: 'ru',
      payload: 'booking-42',
      blocked: null,
      migrated_to: null
    })
    t.ok(Date.parse(res.body.registered_at) > Date.now() - 60_000)
    t.equal((await bot.call('GET', '/api/telegram/chats/4242')).status, 404, 'an unknown chat')
    t.equal((await bot.call('GET', '/api/telegram/chats/abc')).status, 400)
  })

  t.test('kicked in a private chat blocks at once: the next message costs no send; member unblocks', async t => {
    await emulator.pushUpdate(memberUpdate(3002, 'kicked'))
    await waitFor(async () => (await bot.call('GET', '/api/telegram/chats/3002')).body.blocked !== null, 'the chat blocked')
    const view = (await bot.call('GET', '/api/telegram/chats/3002')).body
    t.match(view, { member_status: 'kicked', blocked: { reason: /blocked by the user/ } })
    t.ok(Date.parse(view.blocked.since) > Date.now() - 60_000, 'since: when Telegram said so')

    const requests = emulator.stats.requests
    const sent = await bot.send({ chat_id: 3002, text: 'your booking' })
    await waitFor(async () => await status(sent.body.id) === 'dead', 'the message dead-lettered')
    t.match((await bot.call('GET', `/api/telegram/messages/${sent.body.id}`)).body, { attempts: 0, last_error: /^chat is blocked: / })
    t.equal(emulator.stats.requests, requests, 'no request reached Telegram')
    t.equal(sends(3002), 0, 'no sendMessage to the chat (the emulator would have taken it)')

    await emulator.pushUpdate(memberUpdate(3002, 'member'))
    await waitFor(async () => (await bot.call('GET', '/api/telegram/chats/3002')).body.blocked === null, 'unblocked')
    await bot.send({ chat_id: 3002, text: 'welcome back' })
    await waitFor(() => sends(3002) === 1, 'delivered again')
  })

  t.test('an older my_chat_member than the one applied changes nothing; kicked in a group blocks nothing', async t => {
    const now = Math.floor(Date.now() / 1000)
    await emulator.pushUpdate(memberUpdate(3003, 'member', { date: now }))
    await emulator.pushUpdate(memberUpdate(3003, 'kicked', { date: now - 60 }))
    await emulator.pushUpdate(memberUpdate(-1003003, 'kicked'))
    await waitFor(async () => (await bot.call('GET', '/api/telegram/chats/-1003003')).status === 200, 'the group recorded')
    t.match((await bot.call('GET', '/api/telegram/chats/3003')).body, { member_status: 'member', blocked: null })
    t.match((await bot.call('GET', '/api/telegram/chats/-1003003')).body, { member_status: 'kicked', type: 'supergroup', blocked: null })
  })

  t.test('blocked by a failed send (403): listed as blocked; /start brings it back', async t => {
    emulator.blockChat(3004)
    const sent = await bot.send({ chat_id: 3004, text: 'first' })
    await waitFor(async () => await status(sent.body.id) === 'dead', 'the 403')
    const listed = await bot.call('GET', '/api/telegram/chats?blocked=true')
    t.equal(listed.status, 200)
    const entry = listed.body.chats.find((c: { chat_id: number }) => c.chat_id === 3004)
    t.match(entry, { blocked: { reason: /403: Forbidden: bot was blocked by the user/ } }, 'a chat blocked by the queue is listed too')

    emulator.reset()
    await bot.admin('POST', '/api/telegram/webhook/setup', { url: `${bot.url}/api/telegram/webhook` })
    await emulator.pushUpdate(textUpdate(user(3004, 'en'), '/start'))
    await waitFor(() => sends(3004) === 1, 'the /start reply')
    t.equal((await bot.call('GET', '/api/telegram/chats/3004')).body.blocked, null, '/start unblocked it')
    await bot.send({ chat_id: 3004, text: 'again' })
    await waitFor(() => sends(3004) === 2, 'delivered again')
  })

  t.test('DELETE /chats/:id/block unblocks; listing pages newest first, filtered by blocked', async t => {
    for (const id of [3101, 3102, 3103, 3104, 3105]) {
      await emulator.pushUpdate(textUpdate(user(id, 'en'), '/start'))
      await waitFor(() => sends(id) === 1, `the reply to ${id}`)
    }
    await emulator.pushUpdate(memberUpdate(3102, 'kicked'))
    await emulator.pushUpdate(memberUpdate(3104, 'kicked'))
    await waitFor(async () => (await bot.call('GET', '/api/telegram/chats/3104')).body.blocked !== null, 'both blocked')

    const seen: number[] = []
    let cursor: string | undefined
    do {
      const res = await bot.call('GET', `/api/telegram/chats?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      t.equal(res.status, 200, JSON.stringify(res.body))
      t.ok(res.body.chats.length <= 2)
      seen.push(...res.body.chats.map((c: { chat_id: number }) => c.chat_id))
      cursor = res.body.next_cursor
    } while (cursor)
    t.same(seen.slice(0, 5), [3105, 3104, 3103, 3102, 3101], 'newest first, each once')
    t.equal(new Set(seen).size, seen.length, 'no chat twice')

    const open = (await bot.call('GET', '/api/telegram/chats?blocked=false&limit=500')).body.chats.map((c: { chat_id: number }) => c.chat_id)
    t.notOk(open.includes(3102) || open.includes(3104), 'blocked=false leaves blocked chats out')
    t.ok(open.includes(3101) && open.includes(3105))
    const blocked = (await bot.call('GET', '/api/telegram/chats?blocked=true&limit=1')).body
    t.equal(blocked.chats[0].chat_id, 3104, 'the most recently blocked first')
    t.type(blocked.next_cursor, 'string')

    t.same((await bot.call('DELETE', '/api/telegram/chats/3104/block')).body, { chat_id: 3104, blocked: false, was_blocked: true })
    t.same((await bot.call('DELETE', '/api/telegram/chats/3104/block')).body, { chat_id: 3104, blocked: false, was_blocked: false })
    t.equal((await bot.call('GET', '/api/telegram/chats/3104')).body.blocked, null)
    t.equal((await bot.call('GET', '/api/telegram/chats?limit=0')).status, 400)
  })
})
