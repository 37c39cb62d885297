// Malformed requests across every route in the OpenAPI document: wrong types,
// unknown fields, broken JSON, huge bodies, prototype-pollution keys, bad
// auth, bad webhook secrets. Every answer must be a 4xx (never 5xx), nothing
// may be queued, the service stays healthy, and no secret reaches the logs
// even at trace level. `npm run soak` sends 5x as many.
import t from 'tap'
import { Writable } from 'node:stream'
import { request } from 'undici'
import { startRelay, ADMIN_TOKEN, SERVICE_TOKEN, BOT_TOKEN, TEST_ENV } from '../helpers/relay.ts'
import { loggerOptions } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'

const SOAK = process.env.SOAK === '1'
const WEBHOOK_SECRET = 'fuzz-webhook-secret-0123456789'

// a small deterministic PRNG so a failure can be replayed
function rng (seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
}

t.test('fuzzed requests: 4xx only, nothing queued, nothing leaked', async t => {
  let logs = ''
  const sink = new Writable({ write (chunk, _enc, done) { logs += String(chunk); done() } })
  const relay = await startRelay(t, {
    env: { LOG_LEVEL: 'trace', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_CHAT_ID: '-100200300' },
    // the service's own logger options (redaction included), at trace level, into a buffer
    logger: { ...loggerOptions(loadConfig(TEST_ENV)), level: 'trace', stream: sink } as never
  })
  const { app } = relay
  const docs = await relay.call('GET', '/docs/json')
  t.equal(docs.status, 200, 'the OpenAPI document lists the routes')
  const routes: Array<{ method: string, path: string }> = []
  for (const [path, ops] of Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) routes.push({ method: method.toUpperCase(), path })
  }
  t.ok(routes.length >= 15, `${routes.length} routes to fuzz`)

  const random = rng(7)
  const pick = <T> (xs: T[]): T => xs[Math.floor(random() * xs.length)] as T
  const weird: unknown[] = [null, true, -1, 1e308, 'x'.repeat(10_000), '\u0000\u202e<script>', [], [[[]]], {}, { $ne: 1 }, '🙂'.repeat(3000), 'NaN', -0.5]
  const fieldNames = ['chat_id', 'text', 'priority', 'booking', 'event', 'template', 'data', 'recipients', 'user_id', 'url', 'reason', 'language', 'send_at', 'attempts', 'update_id', 'message']
  const fill = (path: string) => path.replace(/\{[^}]+\}/g, () => pick(['1', 'abc', '-1', '%00', '..%2F..', 'x'.repeat(300), '9'.repeat(30)]))
  const headersFor = (kind: number): Record<string, string> => {
    switch (kind % 4) {
      case 0: return {}
      case 1: return { authorization: `Bearer ${pick(['wrong', 'x'.repeat(5000), SERVICE_TOKEN.slice(0, -1)])}` }
      case 2: return { authorization: `Bearer ${SERVICE_TOKEN}` }
      default: return { authorization: `Bearer ${ADMIN_TOKEN}` }
    }
  }
  // every body is invalid by construction: an unknown field, or not an object at all
  const bodyFor = (): string => {
    const shape = Math.floor(random() * 6)
    if (shape === 0) return '{"chat_id": 1, "text": '
    if (shape === 1) return JSON.stringify(pick(weird))
    if (shape === 2) return '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "chat_id": 1, "text": "x"}'
    const body: Record<string, unknown> = { zz_unknown_field: pick(weird) }
    for (let i = 0; i < 3; i++) body[pick(fieldNames)] = pick(weird)
    if (shape === 4) body.chat_id = 123
    return JSON.stringify(body)
  }

  const seqBefore = await app.redis.get(app.queue.keys.seq)
  const N = SOAK ? 5000 : 1000
  const statuses = new Map<number, number>()
  const fives: string[] = []
  for (let i = 0; i < N; i++) {
    const r = pick(routes)
    const path = fill(r.path)
    const headers: Record<string, string> = headersFor(i)
    if (path.includes('/webhook') && r.method === 'POST' && !path.includes('setup')) {
      headers['x-telegram-bot-api-secret-token'] = pick(['', 'wrong', WEBHOOK_SECRET.slice(1), 'x'.repeat(300)])
    }
    let body: string | undefined
    if (r.method !== 'GET' && r.method !== 'DELETE') {
      body = i % 50 === 0 ? JSON.stringify({ chat_id: 1, text: 'x'.repeat(3_000_000) }) : bodyFor()
      headers['content-type'] = i % 17 === 0 ? pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) : 'application/json'
    }
    const res = await request(relay.url + path, { method: r.method as 'POST', headers, ...(body === undefined ? {} : { body }) })
    const text = await res.body.text()
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode >= 500) fives.push(`${r.method} ${path} -> ${res.statusCode} ${text.slice(0, 200)}`)
    if (res.statusCode >= 400 && res.statusCode < 500 && text.length > 0) {
      const parsed = JSON.parse(text) as { message?: unknown }
      if (typeof parsed.message !== 'string') fives.push(`${r.method} ${path} -> ${res.statusCode} without a message: ${text.slice(0, 200)}`)
    }
  }
  // always: broken multipart with valid tokens (a plugin once logged these headers at trace level)
  for (const token of [SERVICE_TOKEN, ADMIN_TOKEN]) {
    const res = await request(`${relay.url}/api/telegram/send`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n1\r\n--x--' })
    await res.body.dump()
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    if (res.statusCode >= 500) fives.push(`multipart -> ${res.statusCode}`)
  }
  t.comment(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`)
  t.same(fives, [], 'no 5xx, and every 4xx has a message')
  t.equal(await app.redis.get(app.queue.keys.seq), seqBefore, '0 messages queued')
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
  t.equal((await relay.call('GET', '/health/ready')).status, 200, 'still healthy')
  t.equal((await relay.send({ chat_id: 1, text: 'still works' })).status, 202, 'still serving')
  for (const [name, secret] of Object.entries({ BOT_TOKEN, ADMIN_TOKEN, SERVICE_TOKEN, WEBHOOK_SECRET })) {
    // on failure, show where (masked), so the leak can be found
    const where = logs.split('\n').filter(line => line.includes(secret)).slice(0, 2).map(line => line.replaceAll(secret, '<SECRET>').slice(0, 600))
    t.same(where, [], `${name} appears 0 times in ${logs.length} bytes of trace logs`)
  }
})
