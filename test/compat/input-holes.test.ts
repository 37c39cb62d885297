// Two holes the fuzz test found: blank text and chat ids beyond Telegram's.
import t from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'

t.test('input holes', async t => {
  const relay = await startRelay(t)
  const redis = redisClient(t, relay.redis.url)
  // message records, not every key: the monitor writes its own (history, histograms) in the background
  const messages = async () => (await redis.keys(relay.app.queue.keys.msg('*'))).length
  const before = await messages()
  const refused = async (body: string | Record<string, unknown>, field: string) => {
    const res = await relay.call('POST', '/api/telegram/send', body)
    t.equal(res.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`)
    t.ok(res.body.details?.some((d: { field: string }) => d.field === field), `names ${field}`)
  }
  await refused({ chat_id: 1, text: '   ' }, 'body.text')
  await refused({ chat_id: 1, text: '\n\t ' }, 'body.text')
  await refused({ chat_id: 1, text: '<b> </b>', parse_mode: 'HTML' }, 'body.text')
  await refused({ chat_id: 1, text: '<i></i>\n', parse_mode: 'HTML' }, 'body.text')
  await refused('{"chat_id":1e300,"text":"x"}', 'body.chat_id')
  await refused({ chat_id: 2 ** 52 + 1, text: 'x' }, 'body.chat_id')
  await refused({ chat_id: -(2 ** 53), text: 'x' }, 'body.chat_id')
  await refused({ chat_id: '99999999999999999999', text: 'x' }, 'body.chat_id')
  await refused({ chat_id: '@ab', text: 'x' }, 'body.chat_id')
  t.equal(await messages(), before, 'nothing queued')
  for (const chat of [2 ** 52, -1001234567890, '-1001234567890', '@studio_news']) {
    t.equal((await relay.send({ chat_id: chat, text: 'fine' })).status, 202, String(chat))
  }
  t.equal((await relay.send({ chat_id: 1, text: '&nbsp;<b>x</b>', parse_mode: 'HTML' })).status, 400, 'an unknown entity is still bad HTML')
  t.equal((await relay.send({ chat_id: 1, text: '&amp;', parse_mode: 'HTML' })).status, 202, 'an entity is something to show')
})
