// Configuration: defaults, conversion, and one clear line per bad variable
// (never echoing a secret).
import t from 'tap'
import { loadConfig, ConfigError } from '../src/config.ts'

t.test('defaults and sandbox mode', async t => {
  const c = loadConfig({})
  t.equal(c.PORT, 3000)
  t.equal(c.sandbox, true)
  t.equal(c.TELEGRAM_RATE_LIMIT_REQUESTS, 30)
  t.equal(c.QUEUE_BACKOFF_DELAY, 2000)
  t.equal(c.TELEGRAM_RETRY_BACKOFF_FACTOR, 2)
  t.equal(c.attempts, 5)
  t.equal(c.DEFAULT_LANGUAGE, 'ru')
  t.equal(c.DELIVERY_GUARANTEE, 'at-least-once')
})

t.test('conversion from strings; empty counts as unset; TELEGRAM_MAX_RETRIES is an alias', async t => {
  const c = loadConfig({ PORT: '8080', TELEGRAM_ENABLE_QUEUE: 'false', TELEGRAM_API_TIMEOUT: '2.5', TELEGRAM_MAX_RETRIES: '9', REDIS_URL: '', TELEGRAM_BOT_TOKEN: '123:abc' })
  t.equal(c.PORT, 8080)
  t.equal(c.TELEGRAM_ENABLE_QUEUE, false)
  t.equal(c.TELEGRAM_API_TIMEOUT, 2.5)
  t.equal(c.attempts, 9)
  t.equal(c.REDIS_URL, undefined)
  t.equal(c.sandbox, false)
})

t.test('a bad value names the variable and the expected form', async t => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'abc' }, /^invalid PORT="abc": expected an integer/],
    [{ PORT: '70000' }, /PORT.*<= 65535/],
    [{ ROLE: 'both' }, /ROLE.*one of all, api, worker/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL.*redis/],
    [{ DELIVERY_GUARANTEE: 'exactly-once' }, /DELIVERY_GUARANTEE/],
    [{ TELEGRAM_ENABLE_QUEUE: 'maybe' }, /TELEGRAM_ENABLE_QUEUE.*true or false/]
  ]
  for (const [env, re] of cases) t.throws(() => loadConfig(env), re, JSON.stringify(env))
})

t.test('secrets are never echoed in the error', async t => {
  for (const env of [{ TELEGRAM_BOT_TOKEN: 'not-a-token-secret' }, { ADMIN_TOKEN: 'short-secret' }]) {
    try {
      loadConfig(env)
      t.fail('should throw')
    } catch (err) {
      t.ok(err instanceof ConfigError)
      t.notMatch((err as Error).message, /secret/)
      t.match((err as Error).message, /\(hidden\)/)
    }
  }
})
