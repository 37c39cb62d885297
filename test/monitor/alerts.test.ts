// Admin-chat alerts against the emulator: each condition queues one
// high-priority message per ALERT_INTERVAL to every admin chat, in
// DEFAULT_LANGUAGE, once for the deployment however many processes watch.
import t from 'tap'
import { startRelay, type Relay } from '../helpers/relay.ts'
import { deadLetters, asAdmin } from '../helpers/admin.ts'
import { redisClient } from '../helpers/redis.ts'
import { waitFor } from '../helpers/wait.ts'
import { conditions } from '../../src/monitor/alerts.ts'
import { loadConfig } from '../../src/config.ts'

const ADMINS = [7001, 7002]
const alertEnv = (extra: Record<string, string> = {}) => ({
  ADMIN_ALERTS: 'true', TELEGRAM_ADMIN_CHAT_IDS: ADMINS.join(','), ALERT_AFTER: '1', ALERT_INTERVAL: '3600', ...extra
})
const texts = (relay: Relay, chat: number) => relay.emulator.received(chat).map(m => m.text ?? '')

t.test('ADMIN_ALERTS needs the admin chats', async t => {
  t.throws(() => loadConfig({ ADMIN_ALERTS: 'true' }), /ADMIN_ALERTS=true: expected TELEGRAM_ADMIN_CHAT_IDS/)
  t.equal(loadConfig({ ADMIN_ALERTS: 'true', TELEGRAM_ADMIN_CHAT_IDS: '1' }).ALERT_INTERVAL, 3600)
})

t.test('DLQ over the threshold: one alert per interval for two processes, in Russian', async t => {
  const env = alertEnv({ ALERT_DLQ_THRESHOLD: '1', DEFAULT_LANGUAGE: 'ru' })
  const a = await startRelay(t, { env })
  // a second tg-relay process on the same Redis and Bot API: it watches too
  const b = await startRelay(t, { env, redis: a.redis, emulator: a.emulator })
  await deadLetters(a, [7101])
  // one dead letter is not over a threshold of 1: nothing
  await new Promise(resolve => setTimeout(resolve, 2500))
  t.same(texts(a, ADMINS[0] as number), [])
  await deadLetters(b, [7102, 7103])
  await waitFor(() => ADMINS.every(c => texts(a, c).length === 1), 'the alert in both admin chats', 15_000)
  t.match(texts(a, 7001)[0], /^⚠️ tg-relay: в очереди недоставленных [23] сообщений \(порог 1\)/)
  // the alert went through the queue, at high priority
  const log = (await asAdmin(a)('GET', '/api/telegram/messages?chat_id=7001')).body.messages
  t.match(log, [{ priority: 'high', status: 'sent', metadata: { alert: 'dlq' } }])
  // more dead letters, both processes checking every 2 s: still one per chat
  await deadLetters(a, [7104])
  await new Promise(resolve => setTimeout(resolve, 4500))
  t.same(ADMINS.map(c => texts(a, c).length), [1, 1], 'at most once per ALERT_INTERVAL')
})

t.test('the breaker open over ALERT_AFTER: queued while Telegram is down, delivered when it is back', async t => {
  const relay = await startRelay(t, { env: alertEnv({ DEFAULT_LANGUAGE: 'en', BREAKER_VOLUME: '4', BREAKER_RESET_MS: '1000' }) })
  const admin = asAdmin(relay)
  await relay.emulator.setOutage(true)
  for (let i = 0; i < 6; i++) await relay.send({ chat_id: 7200 + i, text: `during the outage ${i}` })
  await waitFor(async () => {
    const log = (await admin('GET', '/api/telegram/messages?chat_id=7001')).body.messages as Array<{ metadata?: { alert?: string } }>
    return log.some(m => m.metadata?.alert === 'breaker')
  }, 'the breaker alert queued', 15_000, 100)
  t.same(relay.emulator.received(7001), [], 'nothing reaches Telegram while it is down')
  await relay.emulator.setOutage(false)
  await waitFor(() => texts(relay, 7001).some(x => x.includes('Telegram has been unreachable')), 'the alert delivered after recovery', 20_000, 100)
  t.match(texts(relay, 7001).find(x => x.includes('unreachable')), /^⚠️ tg-relay: Telegram has been unreachable for \d+ s \(circuit breaker open\)/)
  await waitFor(() => relay.emulator.received().filter(m => String(m.text).startsWith('during the outage')).length === 6, 'the waiting messages delivered too', 20_000)
})

t.test('a 429 pause over ALERT_AFTER', async t => {
  const relay = await startRelay(t, { env: alertEnv({ DEFAULT_LANGUAGE: 'en', ALERT_AFTER: '5' }) })
  const redis = redisClient(t, relay.redis.url)
  const admin = asAdmin(relay)
  // Telegram's group limit: the second message to the group gets a 429 with a long retry_after
  relay.emulator.setLimits({ global: 1000, perChat: 1000, perGroup: 1 })
  await relay.send({ chat_id: -7300, text: 'first' })
  await relay.send({ chat_id: -7300, text: 'second' })
  await waitFor(async () => {
    const log = (await admin('GET', '/api/telegram/messages?chat_id=7001')).body.messages as Array<{ metadata?: { alert?: string } }>
    return log.some(m => m.metadata?.alert === 'paused')
  }, 'the pause alert queued', 15_000, 100)
  const pause = await redis.pttl(relay.app.queue.keys.pause)
  t.ok(pause > 5000, `the bot is paused for ${pause} ms, more than ALERT_AFTER`)
  // the pause ends (sooner than Telegram's minute, for the test; the worker,
  // sleeping out the pause, restarts): the alert goes out
  relay.emulator.setLimits(false)
  await redis.del(relay.app.queue.keys.pause)
  await relay.app.worker?.stop()
  relay.app.worker?.start()
  await waitFor(() => texts(relay, 7001).length === 1, 'the alert delivered', 15_000)
  t.match(texts(relay, 7001)[0], /^⚠️ tg-relay: Telegram paused the bot \(429 Too Many Requests\) for over 5 s; every worker waits, \d+ s left\./)
})

t.test('no live worker over ALERT_AFTER: sent once a worker is back', async t => {
  const env = alertEnv({ DEFAULT_LANGUAGE: 'en' })
  const api = await startRelay(t, { env: { ...env, ROLE: 'api' } })
  await waitFor(async () => {
    const log = (await asAdmin(api)('GET', '/api/telegram/messages?chat_id=7002')).body.messages as Array<{ metadata?: { alert?: string } }>
    return log.some(m => m.metadata?.alert === 'no_worker')
  }, 'the no-worker alert queued', 15_000, 100)
  t.same(api.emulator.received(7002), [])
  await startRelay(t, { env: { ...env, ROLE: 'worker' }, redis: api.redis, emulator: api.emulator })
  await waitFor(() => texts(api, 7002).length === 1, 'delivered by the new worker', 15_000)
  t.match(texts(api, 7002)[0], /^⚠️ tg-relay: no worker has been alive for \d+ s/)
})

t.test('conditions: pure', async t => {
  const base = {
    dlq: 0,
    rate_limiter: { pause_ms: 0 },
    breaker: { local: 'closed', workers: [{ worker: 'w', state: 'closed' }] },
    workers: { live: [{}], gone: [] }
  }
  const c = (over: object) => conditions({ ...base, ...over } as never, { dlqThreshold: 5, afterMs: 60_000 })
  t.same(Object.values(c({})).map(x => x.holds), [false, false, false, false])
  t.equal(c({ dlq: 5 }).dlq.holds, false, 'at the threshold: no')
  t.match(c({ dlq: 6 }).dlq, { holds: true, afterMs: 0, params: { dlq: 6, threshold: 5 } })
  t.match(c({ breaker: { local: 'closed', workers: [{ worker: 'w', state: 'half-open' }] } }).breaker, { holds: true, afterMs: 60_000 })
  t.match(c({ rate_limiter: { pause_ms: 61_000 } }).paused, { holds: true, aheadMs: 61_000 })
  t.equal(c({ workers: { live: [], gone: [] } }).no_worker.holds, true)
})
