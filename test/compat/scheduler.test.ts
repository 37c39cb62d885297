// The scheduler (hsl-dashboard): its broadcast history, and BOT_TOKEN; with
// the resilient API's REDIS_HOST… variables, in a real tg-relay process.
import t from 'tap'
import { Redis } from 'ioredis'
import { startEmulator } from '../../src/emulator/index.ts'
import { startRelay, ADMIN_TOKEN, SERVICE_TOKEN } from '../helpers/relay.ts'
import { redisServer } from '../helpers/redis.ts'
import { spawnRelay } from '../helpers/spawn.ts'
import { waitFor } from '../helpers/wait.ts'

t.test('GET /api/telegram/broadcasts: newest first, filtered, paged', async t => {
  const relay = await startRelay(t)
  const { call } = relay
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const res = await call('POST', '/api/telegram/broadcasts', { text: `news ${i} ${'long '.repeat(i === 4 ? 60 : 0)}`, recipients: [6000 + i, 6100 + i] })
    t.equal(res.status, 202)
    ids.push(res.body.id)
  }
  const later = await call('POST', '/api/telegram/broadcasts', { text: 'tomorrow', recipients: [6200], send_at: new Date(Date.now() + 86_400_000).toISOString() })
  ids.push(later.body.id)
  await waitFor(async () => (await call('GET', `/api/telegram/broadcasts/${ids[4]}?limit=0`)).body.status === 'completed', 'the last one delivered')

  const all = await call('GET', '/api/telegram/broadcasts?limit=100')
  t.equal(all.status, 200, JSON.stringify(all.body))
  t.same(all.body.broadcasts.map((b: { id: string }) => b.id), [...ids].reverse(), 'newest first')
  const last = all.body.broadcasts[1]
  t.match(last, { id: ids[4], status: 'completed', recipients: 2, successful_deliveries: 2, failed: 0, pending: 0, created_at: String })
  t.ok(last.preview.startsWith('news 4') && last.preview.length <= 100, 'a text preview')
  t.match(all.body.broadcasts[0], { status: 'scheduled', send_at: String, pending: 1 })

  const scheduled = await call('GET', '/api/telegram/broadcasts?status=scheduled')
  t.same(scheduled.body.broadcasts.map((b: { id: string }) => b.id), [later.body.id])

  const seen: string[] = []
  let cursor: string | undefined
  do {
    const page = await call('GET', `/api/telegram/broadcasts?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    t.ok(page.body.broadcasts.length <= 2)
    seen.push(...page.body.broadcasts.map((b: { id: string }) => b.id))
    cursor = page.body.next_cursor
  } while (cursor !== undefined)
  t.same(seen, [...ids].reverse(), 'pages cover every broadcast once')
  t.equal((await call('GET', '/api/telegram/broadcasts?status=nope')).status, 400)
})

t.test('BOT_TOKEN is live mode; REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_DB are the Redis used', async t => {
  const server = await redisServer(t)
  const setup = new Redis(server.url)
  await setup.config('SET', 'requirepass', 's3cret:p@ss')
  setup.disconnect()
  const token = '424242:SCHEDULER-token_x'
  const emulator = await startEmulator({ limits: false, token })
  t.teardown(() => emulator.close())
  const proc = await spawnRelay(t, {
    BOT_TOKEN: token,
    TELEGRAM_API_URL: emulator.url,
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(server.port),
    REDIS_PASSWORD: 's3cret:p@ss',
    REDIS_DB: '3',
    ADMIN_TOKEN,
    SERVICE_TOKEN,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn'
  })
  const out = proc.output()
  t.match(out, /mode:\s+live/, 'live, not sandbox')
  t.notMatch(out, /local redis-server/, 'no private redis-server')
  t.notMatch(out, /s3cret|SCHEDULER-token/, 'no secret in the output')
  const url = /URL:\s+(http:\/\/\S+)/.exec(out)?.[1] as string
  const res = await fetch(`${url}/api/telegram/send`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: 6300, text: 'from the scheduler' })
  })
  t.equal(res.status, 202, await res.clone().text())
  await waitFor(() => emulator.received(6300).length === 1, 'delivered live, under BOT_TOKEN', 20_000)
  const db3 = new Redis(`redis://:${encodeURIComponent('s3cret:p@ss')}@127.0.0.1:${server.port}/3`)
  t.teardown(() => { db3.disconnect() })
  t.ok((await db3.keys('{tg}:*')).length > 0, 'the queue lives in REDIS_DB 3')
  proc.child.kill('SIGTERM')
  t.equal((await proc.exit).code, 0)
})
