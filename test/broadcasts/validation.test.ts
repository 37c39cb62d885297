// A broadcast is checked whole before anything is queued: a bad recipient,
// bad template data for one recipient, or a bad option is a 400 naming it,
// and Redis holds no message and no broadcast afterwards.
import t, { type Test } from 'tap'
import { startRelay } from '../helpers/relay.ts'
import { redisClient } from '../helpers/redis.ts'

t.test('broadcast validation', async t => {
  const relay = await startRelay(t, { env: { ROLE: 'api' } })
  const redis = redisClient(t, relay.redis.url)
  const keys = relay.app.queue.keys
  const post = (body: unknown) => relay.call('POST', '/api/telegram/broadcasts', body)
  const many = (n: number) => Array.from({ length: n }, (_, i) => 700_000 + i)

  const nothingQueued = async (t: Test) => {
    t.equal(await redis.get(keys.seq), null, 'no message was ever queued')
    for (const q of keys.queues) t.equal(await redis.llen(q), 0, `${q} is empty`)
    t.same(await redis.keys(`${keys.base}bc*`), [], 'no broadcast stored')
  }

  const cases: Array<[string, unknown, string | RegExp]> = [
    ['a bad chat id among 1,000', { recipients: [...many(123), 'not a chat', ...many(876)], text: 'x' }, 'body.recipients[123]'],
    ['a float chat id', { recipients: [1, 2, 3.5], text: 'x' }, 'body.recipients[2]'],
    ['an unknown field in a recipient', { recipients: [1, { chat_id: 2, colour: 'red' }], template: 'system_notification', data: { title: 't', message: 'm' } }, 'body.recipients[1].colour'],
    ['recipient data without a template', { recipients: [1, { chat_id: 2, data: { a: 1 } }], text: 'x' }, 'body.recipients[1]'],
    ['template data that fails for one recipient', {
      recipients: [1, 2, { chat_id: 3, data: { title: '' } }, 4],
      template: 'system_notification',
      data: { title: 'Title', message: 'Message' }
    }, 'body.recipients[2].data.title'],
    ['template data that fails for everyone', { recipients: [1, 2], template: 'system_notification', data: { title: 'Title' } }, 'body.data.message'],
    ['an unknown language for one recipient', { recipients: [1, { chat_id: 2, language: 'xx' }], template: 'system_notification', data: { title: 'T', message: 'M' } }, 'body.recipients[1].language'],
    ['an unknown template', { recipients: [1], template: 'no_such_template', data: {} }, 'body.template'],
    ['text and template together', { recipients: [1], text: 'x', template: 'system_notification', data: {} }, 'body.text'],
    ['no content', { recipients: [1] }, /text, photo/],
    ['bad HTML', { recipients: [1], text: '<b>unclosed', parse_mode: 'HTML' }, 'body.text'],
    ['no recipients', { recipients: [], text: 'x' }, 'body.recipients'],
    ['too many recipients', { recipients: many(100_001), text: 'x' }, 'body.recipients'],
    ['expiry in the past', { recipients: [1], text: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'body.expires_at'],
    ['an unknown field', { recipients: [1], text: 'x', colour: 'red' }, 'body.colour']
  ]
  for (const [what, body, field] of cases) {
    t.test(what, async t => {
      const res = await post(body)
      t.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300))
      const fields = (res.body.details ?? []).map((d: { field: string }) => d.field)
      if (typeof field === 'string') t.ok(fields.includes(field), `names ${field}: ${JSON.stringify(fields)}`)
      else t.match(res.body.message, field)
      await nothingQueued(t)
    })
  }

  t.test('many bad recipients: the first ones named, the rest counted', async t => {
    const res = await post({ recipients: Array.from({ length: 50 }, () => 'x'), text: 'x' })
    t.equal(res.status, 400)
    t.equal(res.body.details.length, 20)
    t.match(res.body.message, /^50 bad recipients: body\.recipients\[0\].*\(and 30 more\)$/)
    await nothingQueued(t)
  })
})
